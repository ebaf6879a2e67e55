"""?search= ignores accents and case, on SQLite as on PostgreSQL."""

import pytest

from tests import factories as f


def _names(api, path, query):
    response = api.get(f"/api/v1/{path}/", {"search": query})
    assert response.status_code == 200, response.content
    return [
        record.get("name") or record.get("title")
        for record in response.json()["results"]
    ]


@pytest.fixture
def people(db):
    f.PersonFactory(name="Ita O'Brien")
    f.PersonFactory(name="Zoë Kravitz")
    f.PersonFactory(name="Sean Bean")


@pytest.mark.parametrize("query", ("obrien", "O'BRIEN", "o’brien", "ITA", "Ita OBrien"))
def test_search_finds_a_name_whatever_the_case_and_apostrophe(api, people, query):
    assert _names(api, "people", query) == ["Ita O'Brien"]


@pytest.mark.parametrize("query", ("zoe", "Zoë", "ZOË", "ZOE kravitz"))
def test_search_ignores_accents_both_ways(api, people, query):
    assert _names(api, "people", query) == ["Zoë Kravitz"]


def test_every_word_must_match(api, people):
    assert _names(api, "people", "sean brien") == []


def test_an_accented_title_is_found_without_accents(api):
    f.ProductionFactory(title="Amélie")
    f.ProductionFactory(title="Am I Being Unreasonable?")
    assert _names(api, "productions", "AMELIE") == ["Amélie"]


def test_aliases_are_searched(api):
    f.OrganizationFactory(name="British Academy of Film", aliases=["BAFTA"])
    f.OrganizationFactory(name="HBO")
    assert _names(api, "organizations", "bafta") == ["British Academy of Film"]


def test_search_combines_with_filters(api):
    f.StatementFactory(quote="Coordinators spoil the spontaneity.", stance="opposes")
    f.StatementFactory(quote="Coordinators are essential.", stance="supports")
    response = api.get(
        "/api/v1/statements/", {"search": "coordinators", "stance": "opposes"}
    )
    (statement,) = response.json()["results"]
    assert statement["quote"] == "Coordinators spoil the spontaneity."


def test_a_search_of_punctuation_only_changes_nothing(api, people):
    assert len(_names(api, "people", "''")) == 3


@pytest.mark.parametrize(
    ("model", "own"),
    [
        ("Production", "tracker_production_search"),
        ("Statement", "tracker_statement_search"),
    ],
)
def test_a_search_by_text_or_by_person_can_use_its_index(db, model, own):
    """Found by its own words or by a person's name: the two are a union of
    ids, not an OR in one WHERE, which kept PostgreSQL from using either
    index and made it compute the document of every row (a second at 100k
    productions)."""
    from django.db import connection, transaction

    from tracker import models
    from tracker.search import search_filter

    production = f.ProductionFactory(title="Golden Lantern")
    f.StatementFactory(quote="Golden lanterns everywhere", production=production)
    queryset = search_filter(getattr(models, model).objects.all(), "golden lantern")

    assert queryset.count() == 1
    if connection.vendor != "postgresql":
        # SQLite has no such index to plan with; the count above is the check.
        return
    with transaction.atomic(), connection.cursor() as cursor:
        # A few test rows are cheaper to read whole than through any index;
        # forbidding that shows whether the query can use the index at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    # The people's side may start from the credits or the speaker instead,
    # as the statistics suggest; the row's own index is what the OR lost.
    assert own in plan, plan
