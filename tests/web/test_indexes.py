"""The index of every kind of record: the API's filters as a plain GET
form, counts that match the API, pages, and what they cost."""

import re

import pytest

from tests import factories
from tests.web import worlds
from tests.web.test_pages import text
from tests.web.test_records import queries_for
from tracker import choices
from tracker.web.records import KINDS

pytestmark = pytest.mark.django_db


def test_an_index_page_costs_the_same_with_one_record_as_with_many(client):
    worlds.build(1, "index-one")
    one = {kind.key: queries_for(client, kind.index_url) for kind in KINDS}
    worlds.build(3, "index-many")
    many = {kind.key: queries_for(client, kind.index_url) for kind in KINDS}

    assert many == one


def count_on(response) -> int:
    return int(re.search(r'data-count="(\d+)"', response.content.decode()).group(1))


def test_an_index_filters_with_the_api_parameters_and_counts_the_same(client, db):
    for year in (2019, 2020, 2020):
        factories.ProductionFactory(start_year=year)
    factories.ProductionFactory(
        start_year=2020,
        ic_status=choices.ICStatus.NOT_USED,
        ic_evidence=choices.ICEvidence.PRESS_REPORT,
    )
    query = "?ic_status=used&year_min=2020&year_max=2020"

    page = client.get(f"/productions/{query}")
    api = client.get(f"/api/v1/productions/{query}")

    assert count_on(page) == api.json()["count"] == 2


def test_an_empty_form_field_means_any(client, db):
    factories.ProductionFactory()
    factories.ProductionFactory(kind=choices.ProductionKind.SERIES)

    response = client.get("/productions/?ic_status=&kind=&year_min=&search=")

    assert response.status_code == 200
    assert count_on(response) == 2


def test_a_filter_that_does_not_parse_is_explained_not_ignored(client, db):
    factories.ProductionFactory()

    response = client.get("/productions/?year_min=soon&colour=red")
    page = text(response)

    assert response.status_code == 400
    assert "These filters could not be read" in page
    assert "year_min" in page
    assert "colour: Unknown parameter" in page


def test_the_index_form_offers_the_apis_choices(client, db):
    factories.OrganizationFactory(
        name="HBO", slug="hbo", kind=choices.OrganizationKind.NETWORK
    )

    html = client.get("/productions/").content.decode()

    assert '<form class="filters" method="get"' in html
    assert '<option value="used">Used an IC</option>' in html
    assert '<option value="hbo">HBO</option>' in html
    assert 'name="year_min"' in html
    assert 'name="search"' in html


def test_an_index_pages_through_its_records(client, db):
    for index in range(30):
        factories.PersonFactory(name=f"Person {index:02}")

    first = client.get("/people/")
    second = client.get("/people/?page=2")

    assert count_on(first) == 30
    assert "Page 1 of 2." in text(first)
    assert 'href="?page=2" rel="next"' in first.content.decode()
    assert "Person 29" in text(second)
    assert "Person 00" not in text(second)


def test_a_filtered_page_keeps_its_filters_across_pages(client, db):
    for _ in range(30):
        factories.StatementFactory(stance=choices.Stance.OPPOSES)

    html = client.get("/statements/?stance=opposes").content.decode()

    assert 'href="?stance=opposes&amp;page=2" rel="next"' in html


def test_a_filtered_index_leaves_the_header_search_box_empty(client, db):
    factories.ProductionFactory(start_year=2020)

    page = client.get("/productions/?ic_status=used&year_min=2020").content.decode()

    box = re.search(r'<input id="site-search-q"[^>]*>', page).group(0)
    assert 'value=""' in box


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.key)
def test_every_drop_down_of_an_index_offers_any_first_never_dashes(client, kind):
    html = client.get(kind.index_url).content.decode()

    selects = re.findall(r"<select[^>]*>(.*?)</select>", html, flags=re.S)
    assert "---------" not in html
    for options in selects:
        first = re.search(r"<option[^>]*>([^<]*)</option>", options)
        assert first and first.group(1) == "Any", options[:200]
