"""A GIN index for `?search=` on news articles, on the very expression
`tracker.search.search_document` builds for tracker_newsarticle (see
0004_search for the IMMUTABLE tracker_unaccent it relies on). Nothing on
SQLite."""

from django.db import migrations

TABLE = "tracker_newsarticle"
COLUMNS = ("title", "summary")


def _document():
    parts = " || ' ' || ".join(
        f'coalesce("{TABLE}"."{column}"::text, \'\')' for column in COLUMNS
    )
    return f"to_tsvector('simple'::regconfig, tracker_unaccent({parts}))"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TABLE}_search ON {TABLE} "
        f"USING gin (({_document()}))"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TABLE}_search")


class Migration(migrations.Migration):
    dependencies = [("tracker", "0005_merge_0003_news_0004_search")]

    operations = [migrations.RunPython(forwards, backwards)]
