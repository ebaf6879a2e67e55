"""feed_refresh end to end against the local HTTP server: storing, health,
back-off, and the review flow."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.news.conftest import Route
from tracker.choices import FeedStatus, ReviewStatus
from tracker.models import ArticleMatch, Feed, NewsArticle
from tracker.news.services import (
    FEED_MAX_FAILURES,
    feed_add,
    feed_refresh,
    feeds_claim,
    feeds_due,
    matches_review,
)

pytestmark = pytest.mark.usefixtures("private_feeds_allowed")


def serve_with_etag(feed_server, path, body, content_type="application/rss+xml"):
    def conditional(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            return Route(status=304)
        return Route(body=body, headers={"ETag": '"v1"', "Content-Type": content_type})

    return feed_server.route(path, handler=conditional)


def test_a_refresh_stores_matches_and_records_health(
    feed_server, feed_file, feed_make, known_entities
):
    feed = feed_make(serve_with_etag(feed_server, "/rss", feed_file("rss2.xml")))

    result = feed_refresh(feed_id=feed.pk)

    assert (result.status, result.new, result.updated, result.unchanged) == (
        FeedStatus.OK,
        2,
        0,
        0,
    )
    feed.refresh_from_db()
    assert feed.etag == '"v1"'
    assert feed.last_status == FeedStatus.OK
    assert feed.last_success_at == feed.last_checked_at
    assert feed.next_fetch_at == feed.last_checked_at + dt.timedelta(minutes=30)
    coel_story = NewsArticle.objects.get(title__startswith="Michaela")
    assert coel_story.canonical_url == "https://trade.example/news/coel-bafta"
    assert coel_story.award_mention
    assert {m.entity for m in coel_story.matches.all()} == {
        known_entities["coel"],
        known_entities["obrien"],
        known_entities["bafta"],
        known_entities["destroy"],
    }


def test_a_304_writes_nothing_but_the_check_time(feed_server, feed_file, feed_make):
    feed = feed_make(serve_with_etag(feed_server, "/rss", feed_file("rss2.xml")))
    feed_refresh(feed_id=feed.pk)
    feed.refresh_from_db()
    before = {a.pk: a.updated_at for a in NewsArticle.objects.all()}

    with CaptureQueriesContext(connection) as queries:
        result = feed_refresh(feed_id=feed.pk)

    assert result.status == FeedStatus.NOT_MODIFIED
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if not q["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE"))
    ]
    assert len(writes) == 1 and writes[0].startswith('UPDATE "tracker_feed"')
    assert "last_checked_at" in writes[0]
    assert "etag" not in writes[0]
    assert {a.pk: a.updated_at for a in NewsArticle.objects.all()} == before
    after = Feed.objects.get(pk=feed.pk)
    assert after.last_checked_at > feed.last_checked_at
    assert after.updated_at == feed.updated_at


def test_a_second_run_without_an_etag_changes_nothing(
    feed_server, feed_file, feed_make
):
    url = feed_server.route("/plain", body=feed_file("atom.xml"))
    feed = feed_make(url)
    feed_refresh(feed_id=feed.pk)

    second = feed_refresh(feed_id=feed.pk)

    assert (second.new, second.updated, second.unchanged) == (0, 0, 1)
    assert NewsArticle.objects.count() == 1


def test_the_same_story_in_two_feeds_is_stored_once(feed_server, feed_file, feed_make):
    first = feed_make(feed_server.route("/one", body=feed_file("rss2.xml")))
    second = feed_make(feed_server.route("/two", body=feed_file("rss2.xml")))

    feed_refresh(feed_id=first.pk)
    result = feed_refresh(feed_id=second.pk)

    assert (result.new, result.unchanged) == (0, 2)
    assert NewsArticle.objects.count() == 2
    assert all(a.sightings.count() == 2 for a in NewsArticle.objects.all())


def test_a_malformed_feed_keeps_what_it_can_and_records_the_error(
    feed_server, feed_file, feed_make
):
    feed = feed_make(feed_server.route("/broken", body=feed_file("malformed.xml")))

    result = feed_refresh(feed_id=feed.pk)

    assert result.new == 2
    feed.refresh_from_db()
    assert feed.last_status == FeedStatus.OK
    assert feed.last_error.startswith("Malformed XML")


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("billion_laughs.xml", "DTD or entities"),
        ("xxe.xml", "DTD or entities"),
        ("not_a_feed.html", "HTML page"),
    ],
)
def test_a_hostile_or_wrong_document_is_recorded_as_a_failure(
    feed_server, feed_file, feed_make, name, error
):
    feed = feed_make(feed_server.route("/bad", body=feed_file(name)))

    result = feed_refresh(feed_id=feed.pk)

    assert result.status == FeedStatus.ERROR and error in result.error
    feed.refresh_from_db()
    assert (feed.consecutive_failures, feed.last_status) == (1, FeedStatus.ERROR)
    assert error in feed.last_error
    assert NewsArticle.objects.count() == 0


def test_failures_back_off_exponentially_then_disable_the_feed(feed_server, feed_make):
    feed = feed_make(
        feed_server.route("/garbage", body=b"garbage"), interval_minutes=10
    )
    delays = []

    for _ in range(FEED_MAX_FAILURES):
        started = timezone.now()
        feed_refresh(feed_id=feed.pk)
        feed.refresh_from_db()
        delays.append(round((feed.next_fetch_at - started).total_seconds() / 60))
        # Never due again until the back-off has passed: no hot loop.
        assert not feeds_due().filter(pk=feed.pk).exists()

    assert delays[:4] == [20, 40, 80, 160]
    assert delays[-1] == 24 * 60
    assert not feed.active
    assert feed.disabled_reason.startswith(f"Disabled after {FEED_MAX_FAILURES}")
    assert "Not an RSS or Atom feed" in feed.disabled_reason
    assert feed.history.filter(active=False).exists()


def test_a_429_is_not_retried_before_its_retry_after(feed_server, feed_make):
    url = feed_server.route("/busy", status=429, headers={"Retry-After": "7200"})
    feed = feed_make(url, interval_minutes=5)

    feed_refresh(feed_id=feed.pk)

    feed.refresh_from_db()
    assert feed.next_fetch_at - feed.last_checked_at >= dt.timedelta(seconds=7200)


def test_a_network_failure_is_recorded_and_backed_off_not_raised(
    feed_make, unreachable_url
):
    feed = feed_make(unreachable_url, interval_minutes=10)

    result = feed_refresh(feed_id=feed.pk)

    feed.refresh_from_db()
    assert result.status == "error"
    assert feed.consecutive_failures == 1
    assert "Connection refused" in feed.last_error
    assert feed.next_fetch_at - feed.last_checked_at == dt.timedelta(minutes=20)


def test_a_permanent_redirect_updates_the_stored_url(feed_server, feed_file, feed_make):
    new_url = feed_server.route("/new-home", body=feed_file("rss2.xml"))
    feed = feed_make(
        feed_server.route("/old-home", status=301, headers={"Location": "/new-home"})
    )

    feed_refresh(feed_id=feed.pk)

    feed.refresh_from_db()
    assert feed.url == new_url


def test_feeds_due_skips_inactive_and_backed_off_feeds(feed_make):
    now = timezone.now()
    due = feed_make("https://a.example/rss")
    feed_make("https://b.example/rss", active=False)
    feed_make("https://c.example/rss", next_fetch_at=now + dt.timedelta(minutes=5))
    past = feed_make("https://d.example/rss", next_fetch_at=now - dt.timedelta(1))

    assert set(feeds_due(now)) == {due, past}
    assert set(feeds_claim(now)) == {due.pk, past.pk}
    assert not feeds_due(now).exists()


def test_adding_a_feed_uses_the_fetchers_address_check(settings, db):
    settings.TRACKER_ALLOW_PRIVATE_FEEDS = False

    with pytest.raises(ValidationError, match="public internet"):
        feed_add(url="http://169.254.169.254/latest/meta-data/")
    with pytest.raises(ValidationError, match="Only http and https"):
        feed_add(url="file:///etc/passwd")
    assert not Feed.objects.exists()


def test_reviewing_matches_records_who_and_when(
    feed_server, feed_file, feed_make, known_entities
):
    feed_refresh(
        feed_id=feed_make(feed_server.route("/r", body=feed_file("rss2.xml"))).pk
    )
    reviewer = factories.StaffFactory()
    coel = ArticleMatch.objects.get(person=known_entities["coel"])
    bafta = ArticleMatch.objects.get(organization=known_entities["bafta"])

    approved = matches_review(
        match_ids=[coel.pk], status=ReviewStatus.APPROVED, reviewer=reviewer
    )
    rejected = matches_review(
        match_ids=[bafta.pk, coel.pk], status=ReviewStatus.REJECTED, reviewer=reviewer
    )

    assert (approved, rejected) == (1, 2)
    coel.refresh_from_db()
    assert coel.review_status == ReviewStatus.REJECTED
    assert coel.reviewed_by == reviewer and coel.reviewed_at is not None
    # Matches are created in bulk, without history; every decision has one.
    assert list(coel.history.values_list("review_status", flat=True)) == [
        ReviewStatus.REJECTED,
        ReviewStatus.APPROVED,
    ]
    with pytest.raises(ValidationError):
        matches_review(match_ids=[coel.pk], status="maybe", reviewer=reviewer)
