"""tracker_unaccent also drops apostrophes, as `tracker.search.fold` does on
SQLite, so "obrien" finds O'Brien. The indexed expressions are unchanged,
but their stored values are not: the GIN indexes are rebuilt."""

from django.db import migrations

INDEXED = (
    "tracker_production",
    "tracker_person",
    "tracker_organization",
    "tracker_statement",
    "tracker_newsarticle",
)
# Apostrophe, left and right single quotation marks, modifier letter
# apostrophe; the same set as tracker.search.APOSTROPHES.
APOSTROPHES = "''\u2018\u2019\u02bc"


def _function(body: str) -> str:
    return (
        "CREATE OR REPLACE FUNCTION tracker_unaccent(text) RETURNS text "
        f"AS $$ SELECT {body} $$ "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT"
    )


UNACCENT = "public.unaccent('public.unaccent'::regdictionary, $1)"


def _reindex(schema_editor):
    for table in INDEXED:
        schema_editor.execute(f"REINDEX INDEX {table}_search")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(_function(f"translate({UNACCENT}, '{APOSTROPHES}', '')"))
    _reindex(schema_editor)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(_function(UNACCENT))
    _reindex(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0006_news_search")]

    operations = [migrations.RunPython(forwards, backwards)]
