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
from tracker.web.records import KINDS, PERSON, PRODUCTION

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


def section_filter(kind, section) -> str:
    """How a section's own query names the record: its rows' column (or the
    join table's, for a many-to-many) IN (the record's id)."""
    field = section.queryset().model._meta.get_field(section.pointing)
    if field.many_to_many:
        table = field.remote_field.through._meta.db_table
        column = f"{kind.model._meta.model_name}_id"
    else:
        table, column = field.model._meta.db_table, field.column
    return f'"{table}"."{column}" IN ('


def section_queries(client, kind, url) -> dict[str, int]:
    """How many queries the page sent for each section's rows, and for its
    news (not counting the EXISTS inside the record's own query)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    sent = [query["sql"] for query in queries]
    counts = {
        section.attr: sum(section_filter(kind, section) in sql for sql in sent)
        for section in kind.sections
    }
    counts["news"] = sum(
        sql.startswith('SELECT "tracker_newsarticle".') for sql in sent
    )
    return {name: count for name, count in counts.items() if count}


SECTION_HEADINGS = (
    "outcomes-title",
    "mentions-title",
    "statements-title",
    "news-title",
)


@pytest.mark.parametrize("kind", [PRODUCTION, PERSON], ids=lambda kind: kind.key)
def test_a_record_with_nothing_in_a_section_sends_no_query_for_it(client, db, kind):
    factory = (
        factories.ProductionFactory if kind is PRODUCTION else factories.PersonFactory
    )
    url = kind.detail_url(factory(slug="bare"))

    assert section_queries(client, kind, url) == {}
    html = client.get(url).content.decode()
    for heading in SECTION_HEADINGS:
        assert f'id="{heading}"' not in html


@pytest.mark.parametrize("kind", [PRODUCTION, PERSON], ids=lambda kind: kind.key)
def test_a_record_with_rows_in_its_sections_fetches_each_once(client, hubs, kind):
    slug = hubs["many"][kind.key].rstrip("/").rsplit("/", 1)[-1]
    record = kind.model.objects.get(slug=slug)
    filled = [
        section.attr
        for section in kind.sections
        if section.queryset().filter(**{section.pointing: record}).exists()
    ]

    sent = section_queries(client, kind, kind.detail_url(record))

    assert len(filled) >= 3
    assert sent == dict.fromkeys(filled, 1)


@pytest.mark.parametrize(
    ("passage", "shown"),
    [
        # The source quotes him: one pair of marks, not two.
        ("“It would inhibit me more.”", "“It would inhibit me more.”"),
        ('"It would inhibit me more."', '"It would inhibit me more."'),
        # The source's own words: the page adds the marks.
        ("Bean told the Times.", "“Bean told the Times.”"),
        # A quotation inside the passage, or two of them: still wrapped.
        ("“Safe,” she said, “and seen.”", "““Safe,” she said, “and seen.””"),
    ],
)
def test_a_passage_is_in_one_pair_of_quotation_marks(passage, shown):
    html = render_to_string(
        "tracker/_quote.html", {"text": passage, "kind": "verbatim"}
    )

    assert unescape(re.sub(r"<[^>]+>", "", html)).strip() == shown


def citation_queries(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(
        query["sql"].startswith('SELECT "tracker_citation".') for query in queries
    )


@pytest.mark.parametrize("kind", [PRODUCTION, PERSON], ids=lambda kind: kind.key)
def test_credits_citations_are_fetched_only_for_credits_that_cite(client, db, kind):
    from tracker.models import Citation

    credit = factories.CreditFactory()
    record = credit.production if kind is PRODUCTION else credit.person
    # A second credit of the same record, which cites nothing either way.
    if kind is PRODUCTION:
        factories.CreditFactory(production=record)
    else:
        factories.CreditFactory(person=record)
    url = kind.detail_url(record)
    own = 1 if kind is PRODUCTION else 0  # a production's own citations
    assert citation_queries(client, url) == own

    Citation.objects.create(
        claim=credit, source=factories.SourceFactory(), quote="Credited so."
    )

    assert citation_queries(client, url) == own + 1
    assert "Credited so." in client.get(url).content.decode()
