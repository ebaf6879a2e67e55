"""Accent- and case-insensitive search over a few text columns.

On PostgreSQL it is full-text search: the migration `tracker_search`
creates `tracker_unaccent(text)` (an IMMUTABLE wrapper around the unaccent
extension, so it may appear in an index) and GIN indexes on the very
expression `search_document` builds, so the planner uses them. On SQLite
the same function name is registered in Python and every word must occur
in the folded text.
"""

import re
import unicodedata

from django.db import connections
from django.db.models import QuerySet

from tracker.choices import IC_ROLES

# The columns searched per table; the PostgreSQL migration indexes the same
# expressions, so a change here needs a migration there.
SEARCH_COLUMNS = {
    "tracker_production": ("title", "aliases"),
    "tracker_person": ("name", "aliases"),
    "tracker_organization": ("name", "aliases"),
    "tracker_source": ("title", "publisher"),
    "tracker_statement": ("quote", "venue"),
    "tracker_awardmention": ("quote", "slug"),
    "tracker_policy": ("title", "scope"),
    "tracker_industrystatistic": ("metric", "report", "quoted_wording"),
    "tracker_awardcategory": ("name", "description"),
    "tracker_awardoutcome": ("slug",),
    "tracker_campaign": ("name", "summary"),
    "tracker_campaignmilestone": ("title", "description"),
    "tracker_cohort": ("name", "description"),
    "tracker_newsarticle": ("title", "summary"),
}
# People a row is also found by: a statement by its speaker's name, a
# production by its coordinator's. Each names the ids of the rows found
# through the people table, whose search document is the indexed one;
# `{match}` is where that document is matched. search_filter takes the
# union of these ids and those the row's own text finds: an OR of the two
# in one WHERE kept PostgreSQL from using either GIN index (at 100k
# productions it computed every row's document: a second a search).
RELATED_PEOPLE = {
    "tracker_statement": (
        'SELECT "tracker_statement"."id" FROM "tracker_statement" INNER JOIN '
        '"tracker_person" ON "tracker_person"."id" = "tracker_statement"."speaker_id" '
        "WHERE {match}"
    ),
    "tracker_production": (
        'SELECT "tracker_credit"."production_id" FROM "tracker_credit" INNER JOIN '
        '"tracker_person" ON "tracker_person"."id" = "tracker_credit"."person_id" '
        'WHERE "tracker_credit"."role" IN ({roles}) AND {match}'
    ),
}
INDEXED_TABLES = (
    "tracker_production",
    "tracker_person",
    "tracker_organization",
    "tracker_statement",
    "tracker_newsarticle",
)

_WORD = re.compile(r"[^\W_]+")
# Dropped, not turned into a space: a reader types "obrien" for O'Brien.
# Migration 0006 makes the PostgreSQL function drop the same characters.
APOSTROPHES = "'\u2018\u2019\u02bc"
_NO_APOSTROPHES = str.maketrans("", "", APOSTROPHES)


def unaccent(text: str | None) -> str | None:
    """Lower case without accents or apostrophes: 'Ita O’Brien' ->
    'ita obrien'."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.translate(_NO_APOSTROPHES).casefold()


def search_words(query: str) -> list[str]:
    return _WORD.findall(unaccent(query) or "")[:10]


def search_text(table: str, vendor: str) -> str:
    """The folded text a row is searched in (JSON columns cast to text on
    PostgreSQL, where coalescing jsonb with '' is a type error)."""
    cast = "::text" if vendor == "postgresql" else ""
    parts = " || ' ' || ".join(
        f'coalesce("{table}"."{column}"{cast}, \'\')'
        for column in SEARCH_COLUMNS[table]
    )
    return f"tracker_unaccent({parts})"


def search_document(table: str, vendor: str) -> str:
    """The SQL expression searched; on PostgreSQL also the indexed one."""
    text = search_text(table, vendor)
    if vendor == "postgresql":
        return f"to_tsvector('simple'::regconfig, {text})"
    return text


def _register_sqlite_function(connection) -> None:
    connection.ensure_connection()
    connection.connection.create_function(
        "tracker_unaccent", 1, unaccent, deterministic=True
    )


def _match(table: str, vendor: str, words: list[str]) -> tuple[str, list]:
    """SQL true when `table`'s row holds every word, with its params."""
    document = search_document(table, vendor)
    if vendor == "postgresql":
        tsquery = " & ".join(f"{word}:*" for word in words)
        return (
            f"{document} @@ to_tsquery('simple'::regconfig, tracker_unaccent(%s))",
            [tsquery],
        )
    return " AND ".join(f"instr({document}, %s) > 0" for _ in words), list(words)


def search_filter(queryset: QuerySet, query: str) -> QuerySet:
    """Rows whose searched columns contain every word of `query` (as a
    word prefix on PostgreSQL, as a substring on SQLite), or, for
    statements and productions, whose speaker or coordinator is named so."""
    words = search_words(query)
    if not words:
        return queryset
    table = queryset.model._meta.db_table
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        _register_sqlite_function(connection)
    where, params = _match(table, connection.vendor, words)
    related = RELATED_PEOPLE.get(table)
    if related:
        person, person_params = _match("tracker_person", connection.vendor, words)
        roles = ", ".join("%s" for _ in IC_ROLES)
        # The row's own table again in the first branch: its columns in
        # `where` name the inner table, which hides the outer one. Table
        # names come from the model, the words are parameters: no input.
        found_by_people = related.format(match=person, roles=roles)
        where = (
            f'"{table}"."id" IN (SELECT "{table}"."id" FROM "{table}" '  # noqa: S608  # nosec B608
            f"WHERE {where} UNION {found_by_people})"
        )
        if table == "tracker_production":
            person_params = [*(str(role) for role in IC_ROLES), *person_params]
        params = [*params, *person_params]
    return queryset.extra(where=[where], params=params)  # noqa: S610  # nosec B610
