"""Full-text search on PostgreSQL: the unaccent extension, an IMMUTABLE
wrapper (unaccent itself is only STABLE, so it cannot be indexed) and GIN
indexes on the expressions `tracker.search.search_document` builds. On
SQLite nothing is needed: the function is registered per connection."""

from django.db import migrations

INDEXED = {
    "tracker_production": ("title", "aliases"),
    "tracker_person": ("name", "aliases"),
    "tracker_organization": ("name", "aliases"),
    "tracker_statement": ("quote", "venue"),
}


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
        "AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$ "
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
    dependencies = [("tracker", "0003_api_tokens")]

    operations = [migrations.RunPython(forwards, backwards)]
