"""A page for every kind of record, and an index of each: what they show,
what they link to, and what they cost."""

import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.web import worlds
from tests.web.test_pages import text
from tracker.web.records import KINDS

pytestmark = pytest.mark.django_db

KIND_KEYS = [kind.key for kind in KINDS]


def queries_for(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


@pytest.fixture(scope="module")
def hubs(django_db_setup, django_db_blocker):
    """Built once for the module (as TestCase.setUpTestData does) and
    rolled back after it: each test runs in a savepoint inside."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield {"one": worlds.build(1, "one"), "many": worlds.build(3, "many")}
        transaction.set_rollback(True)


@pytest.mark.parametrize("key", KIND_KEYS)
def test_a_record_page_costs_the_same_with_one_related_row_as_with_many(
    client, hubs, key
):
    one = queries_for(client, hubs["one"][key])
    many = queries_for(client, hubs["many"][key])

    assert many == one, f"{key}: {one} queries with 1 related row, {many} with 3"


@pytest.mark.parametrize("key", KIND_KEYS)
def test_a_record_page_shows_its_sources_both_sides_and_when_it_changed(
    client, hubs, key
):
    response = client.get(hubs["many"][key])
    html = response.content.decode()
    page = text(response)

    assert response.status_code == 200
    assert "Last changed" in page
    assert re.search(r'<link rel="canonical" href="http://testserver/[^"]+">', html)
    assert '<meta property="og:title"' in html
    assert '<meta name="twitter:card" content="summary">' in html
    if key in ("person", "organization", "source", "campaign"):
        return
    assert "Supports this" in page
    assert "Disputes this" in page
    assert "Disputed." in page
    assert "Where in the source: paragraph 2" in page
    assert 'href="/sources/' in html


@pytest.mark.parametrize("key", KIND_KEYS)
def test_a_record_page_links_its_json_and_csv_as_alternates(client, hubs, key):
    html = client.get(hubs["one"][key]).content.decode()

    json_url = re.search(
        r'<link rel="alternate" type="application/json" title="[^"]+" href="([^"]+)"',
        html,
    ).group(1)
    csv_url = re.search(
        r'<link rel="alternate" type="text/csv" title="[^"]+" href="([^"]+)"', html
    ).group(1)
    assert client.get(json_url).status_code == 200
    response = client.get(unescape(csv_url))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


def test_a_person_page_lists_what_they_said_and_their_awards(client, hubs):
    page = text(client.get(hubs["many"]["person"]))

    assert "What Hub Person many has said" in page
    assert "What others have said about Hub Person many" in page
    assert "Award mentions" in page
    assert "Awards" in page


def test_an_award_body_is_named_as_readers_know_it(client, hubs):
    page = text(client.get(hubs["one"]["award-category"]))

    assert "Award body BD" in page


def test_a_source_page_lists_every_claim_citing_it(client, hubs):
    page = text(client.get(hubs["many"]["source"]))

    for kind in ("Production", "Statement", "Award outcome", "Policy"):
        assert f"{kind}:" in page
    assert "Intimacy coordinator - Hub Production many" in page


def test_a_verbatim_quote_is_in_quotation_marks(client, db):
    statement = factories.StatementFactory(
        slug="said", quote="Intimacy coordinators make sets safer"
    )

    page = text(client.get(f"/statements/{statement.slug}/"))

    assert "“Intimacy coordinators make sets safer”" in page


def test_a_paraphrase_is_shown_without_quotation_marks():
    html = render_to_string(
        "tracker/_quote.html", {"text": "ICs make sets safer", "kind": "paraphrase"}
    )

    assert "Paraphrase:</span> ICs make sets safer" in html
    assert "“" not in html
    assert "<blockquote" not in html


@pytest.mark.parametrize("path", ["productions", "people", "campaigns", "milestones"])
def test_an_unknown_record_is_a_clean_404(client, db, path):
    lookup = "999" if path == "milestones" else "no-such-record"
    response = client.get(f"/{path}/{lookup}/")

    assert response.status_code == 404
    assert b"Traceback" not in response.content
