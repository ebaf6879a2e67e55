"""Full-text search on PostgreSQL; nothing on SQLite, where
`tracker.search` registers the same function name per connection.

- the unaccent extension;
- `tracker_unaccent(text)`: an IMMUTABLE wrapper (unaccent itself is only
  STABLE, so it cannot be indexed) that also drops apostrophes, as
  `tracker.search.fold` does, so "obrien" finds O'Brien;
- GIN indexes on the very expressions `tracker.search.search_document`
  builds, so the planner uses them.

The tables and columns are written out here rather than imported: a
migration must keep meaning what it meant when it ran. A change to
`tracker.search.SEARCH_COLUMNS` for an indexed table needs a migration.
"""

from django.db import migrations

INDEXED = {
    "tracker_production": ("title", "aliases"),
    "tracker_person": ("name", "aliases"),
    "tracker_organization": ("name", "aliases"),
    "tracker_statement": ("quote", "venue"),
    "tracker_newsarticle": ("title", "summary"),
}
# Apostrophe, left and right single quotation marks, modifier letter
# apostrophe: the same set as tracker.search.APOSTROPHES.
APOSTROPHES = "''\u2018\u2019\u02bc"
UNACCENT = "public.unaccent('public.unaccent'::regdictionary, $1)"


def _document(table, columns):
    parts = " || ' ' || ".join(
        f'coalesce("{table}"."{column}"::text, \'\')' for column in columns
    )
    return f"to_tsvector('simple'::regconfig, tracker_unaccent({parts}))"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute(
        "CREATE OR REPLACE FUNCTION tracker_unaccent(text) RETURNS text "
        f"AS $$ SELECT translate({UNACCENT}, '{APOSTROPHES}', '') $$ "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT"
    )
    for table, columns in INDEXED.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search ON {table} "
            f"USING gin (({_document(table, columns)}))"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in INDEXED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search")
    schema_editor.execute("DROP FUNCTION IF EXISTS tracker_unaccent(text)")


class Migration(migrations.Migration):
    dependencies = [("tracker", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
