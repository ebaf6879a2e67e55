"""?format=csv on every list endpoint: streamed, a header row, the same
filters as JSON, cells a spreadsheet would run neutralized."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse

from tests import factories as f
from tests.api.resources import RESOURCES
from tracker import choices as c
from tracker.models import Citation


def _table(response) -> list[dict]:
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_every_list_streams_csv_with_a_header(api, resource):
    made = [resource.make() for _ in range(3)]
    response = api.get(f"/api/v1/{resource.path}/?format=csv")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="{resource.path}.csv"' in response["Content-Disposition"]
    rows = _table(response)
    json_fields = list(api.get(f"/api/v1/{resource.path}/").json()["results"][0])
    assert list(rows[0]) == json_fields
    assert {row["slug"] for row in rows} == {obj.slug for obj in made}


def test_csv_is_not_paginated(api):
    f.OrganizationFactory.create_batch(30)
    rows = _table(api.get("/api/v1/organizations/?format=csv&page_size=5"))
    assert len(rows) == 30


def test_csv_applies_the_same_filters(api):
    hbo = f.OrganizationFactory(slug="hbo", kind=c.OrganizationKind.NETWORK)
    kept = f.ProductionFactory(network=hbo, kind=c.ProductionKind.SERIES)
    f.ProductionFactory(network=hbo, kind=c.ProductionKind.FEATURE)
    f.ProductionFactory(kind=c.ProductionKind.SERIES)
    query = "network=hbo&kind=series&ordering=-title"
    rows = _table(api.get(f"/api/v1/productions/?format=csv&{query}"))
    listed = api.get(f"/api/v1/productions/?{query}").json()["results"]
    assert [row["slug"] for row in rows] == [p["slug"] for p in listed] == [kept.slug]
    assert rows[0]["network"] == "hbo"


def test_csv_cells_carry_each_citations_stance_quote_and_url(api):
    source = f.SourceFactory(url="https://example.org/bafta-speech")
    statement = f.StatementFactory(cite=source)
    Citation.objects.create(
        claim=statement,
        source=f.SourceFactory(url="https://example.org/other-account"),
        stance=c.CitationStance.DISPUTES,
        quote="She said it\nat another ceremony.",
    )
    (row,) = _table(api.get("/api/v1/statements/?format=csv"))
    assert row["citations"].splitlines() == [
        f"supports | {statement.quote} | https://example.org/bafta-speech",
        "disputes | She said it at another ceremony. | "
        "https://example.org/other-account",
    ]
    assert (row["disputed"], row["deprecated"]) == ("true", "false")


def test_a_deprecated_citation_says_so_in_its_cell(api):
    statement = f.StatementFactory()
    statement.citations.update(
        deprecated_on="2026-01-01", deprecation_reason="Misquoted."
    )
    (row,) = _table(api.get("/api/v1/statements/?format=csv"))
    assert row["citations"].startswith("supports (deprecated) | ")


def test_a_citation_cell_neutralizes_a_formula_as_any_cell(api):
    statement = f.StatementFactory()
    statement.citations.update(stance="=cmd")
    (row,) = _table(api.get("/api/v1/statements/?format=csv"))
    assert row["citations"].startswith("'=cmd | ")


def test_csv_neutralizes_a_formula(api):
    f.PersonFactory(name="=HYPERLINK(1)")
    (row,) = _table(api.get("/api/v1/people/?format=csv"))
    assert row["name"] == "'=HYPERLINK(1)"


def test_an_empty_csv_list_still_has_its_header(api):
    response = api.get("/api/v1/policies/?format=csv")
    text = b"".join(response.streaming_content).decode()
    assert text.splitlines() == [
        "slug,organization,title,scope,status,effective_on,effective_precision,"
        "disputed,deprecated,"
        "deprecated_on,deprecation_reason,preferred_reason,citations"
    ]


def test_a_single_record_also_answers_csv(api):
    person = f.PersonFactory(name="Ita O'Brien")
    response = api.get(f"/api/v1/people/{person.slug}/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    (row,) = csv.DictReader(io.StringIO(response.content.decode()))
    assert row["name"] == "Ita O'Brien"


@pytest.mark.parametrize("path", ["/api/v1/productions/", "/api/v1/news/"])
def test_a_malformed_page_size_is_refused_for_csv_too(api, path):
    """A CSV takes every row, yet page_size=null is the 400 it is on JSON."""
    response = api.get(path, {"format": "csv", "page_size": "null"})
    assert response.status_code == 400
    assert "page_size" in response.json()
