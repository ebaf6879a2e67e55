"""The public archive page, the quote check beside each citation on the
record pages and in the API."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tracker.choices import SnapshotOutcome
from tracker.models import SourceSnapshot
from tracker.services.archive import snapshot_ship, snapshot_take

pytestmark = pytest.mark.django_db

HOSTILE_TEXT = (
    "Before. <script>alert('x')</script><img src=https://evil.example/p.gif> "
    "The coordinator was on set every day of the shoot. After."
)


@pytest.fixture
def shipped(source_make, cite):
    """A source whose archived copy is `text`, cited for `quotes`."""

    def make(text, *quotes):
        source = source_make("")
        snapshot_ship(source=source, text=text, shipped_at=timezone.now())
        claims = [
            cite(source, quote, title=f"Show {n}") for n, quote in enumerate(quotes)
        ]
        return source, claims

    return make


def archive(client, source):
    return client.get(reverse("web:source_archive", args=[source.slug]))


def test_the_archive_page_highlights_each_passage_and_links_its_claims(client, shipped):
    source, (first, second) = shipped(
        "Intro. The coordinator was on set every day. Middle. Consent was "
        "asked again before each take. End.",
        "The coordinator was on set every day.",
        "Consent was asked again before each take.",
    )

    response = archive(client, source)

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<mark class="archive__passage"') == 2
    assert ">The coordinator was on set every day.</mark>" in page
    assert ">Consent was asked again before each take.</mark>" in page
    for claim in (first, second):
        assert f'href="{reverse("web:production", args=[claim.slug])}"' in page
    assert "2 cited passages highlighted" in page


def test_markup_in_the_archived_text_is_never_markup_on_the_page(client, shipped):
    source, _ = shipped(HOSTILE_TEXT, "The coordinator was on set every day")

    page = archive(client, source).content.decode()

    assert "<script>" not in page and "alert(" not in page
    assert "<img" not in page and "evil.example" not in page
    assert "The coordinator was on set every day</mark>" in page


def test_a_quote_not_in_the_copy_is_listed_under_the_text(client, shipped):
    source, (claim,) = shipped("Nothing relevant here.", "Words that are absent")

    page = archive(client, source).content.decode()

    assert "Quotes not found in this copy" in page
    assert "Words that are absent" in page
    assert "<mark" not in page


def test_a_source_with_no_copy_says_so(client, source_make):
    page = archive(client, source_make("https://news.example.org/x")).content.decode()

    assert "There is no archived copy of this source yet." in page


def test_an_unknown_source_is_a_404(client, db):
    assert client.get("/sources/no-such-source/archive/").status_code == 404


def test_the_archive_page_costs_the_same_queries_for_one_citation_or_many(
    client, shipped, cite, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    source, _ = shipped("One two three four five six.", "two three")
    with CaptureQueriesContext(connection) as one:
        archive(client, source)
    for n in range(5):
        cite(source, "four five", title=f"More {n}")
    with CaptureQueriesContext(connection) as many:
        archive(client, source)

    assert len(many) == len(one)


def test_a_record_page_shows_each_quote_check_with_its_date(
    client, shipped, source_make, cite
):
    source, (found,) = shipped("The coordinator was on set.", "was on set")
    snapshot = SourceSnapshot.objects.get(source=source)
    other = source_make("https://news.example.org/unfetched")
    cite(other, "Never archived words", claim=found)

    page = client.get(reverse("web:production", args=[found.slug])).content.decode()

    assert "Found in the archived copy" in page
    assert f"({snapshot.fetched_at:%-d %b %Y})" in page
    assert "No archived copy to check" in page
    assert f'href="{reverse("web:source_archive", args=[source.slug])}"' in page


def test_a_record_page_costs_the_same_queries_for_one_source_or_many(
    client, shipped, source_make, cite
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    source, (production,) = shipped("The coordinator was on set.", "was on set")
    url = reverse("web:production", args=[production.slug])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(4):
        more = source_make("")
        snapshot_ship(source=more, text=f"Copy {n}.", shipped_at=timezone.now())
        cite(more, f"Copy {n}", claim=production)
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(one)


def test_the_api_gives_each_citation_its_quote_check(
    client, shipped, source_make, cite
):
    source, (production,) = shipped("The coordinator was on set.", "was on set")
    snapshot = SourceSnapshot.objects.get(source=source)
    missing = source_make("")
    snapshot_ship(source=missing, text="Other words.", shipped_at=timezone.now())
    cite(missing, "Not these words", claim=production)
    cite(source_make("https://news.example.org/u"), "Any", claim=production)

    data = client.get(f"/api/v1/productions/{production.slug}/").json()

    checks = {c["source"]: c["quote_check"] for c in data["citations"]}
    assert checks[source.slug]["result"] == "found"
    assert dt.datetime.fromisoformat(checks[source.slug]["snapshot_at"]) == (
        snapshot.fetched_at
    )
    assert checks[missing.slug]["result"] == "not_found"
    assert [
        v["result"] for k, v in checks.items() if k not in (source.slug, missing.slug)
    ] == ["no_snapshot"]


def test_the_api_list_costs_the_same_queries_for_one_claim_or_many(client, shipped):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    shipped("Words on the page.", "on the page")
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/productions/")
    shipped("More words on the page.", "more words", "on the page", "words")
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/productions/")

    assert len(many) == len(one)


def test_a_refused_snapshot_leaves_the_citation_without_a_copy(
    settings, feed_server, source_make, cite
):
    from tracker.models import Citation
    from tracker.selectors.archive import quote_check

    settings.TRACKER_ALLOW_PRIVATE_FEEDS = False
    source = source_make(feed_server.route("/p", body=b"<html>x</html>"))
    cite(source, "x")

    snapshot = snapshot_take(source_id=source.pk)

    assert snapshot.outcome == SnapshotOutcome.REFUSED
    assert quote_check(Citation.objects.get(source=source)).result == "no_snapshot"


def test_an_old_copy_dates_its_check(shipped):
    from tracker.models import Citation
    from tracker.selectors.archive import quote_check

    source, _ = shipped("Words.", "Words")
    when = timezone.now() - dt.timedelta(days=400)
    SourceSnapshot.objects.update(fetched_at=when)

    assert quote_check(Citation.objects.get(source=source)).snapshot_at == when
