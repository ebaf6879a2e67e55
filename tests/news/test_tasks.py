"""The Celery tasks, run eagerly in-process; the real worker is in
test_worker.py."""

import pytest
from celery.exceptions import TimeLimitExceeded
from django_celery_beat.models import PeriodicTask

from tracker.models import Feed, NewsArticle
from tracker.news.services import CLAIM_FOR
from tracker.tasks import refresh_due_feeds, refresh_feed

pytestmark = pytest.mark.usefixtures("private_feeds_allowed")


def test_refresh_due_feeds_fans_out_one_refresh_per_due_feed_after_commit(
    feed_server, feed_file, feed_make, django_capture_on_commit_callbacks
):
    due = feed_make(feed_server.route("/a", body=feed_file("rss2.xml")))
    also_due = feed_make(feed_server.route("/b", body=feed_file("atom.xml")))
    feed_make(feed_server.route("/c", body=feed_file("rss1.rdf")), active=False)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = refresh_due_feeds.delay().get()
    assert sorted(queued) == sorted([due.pk, also_due.pk])
    assert NewsArticle.objects.count() == 0  # nothing runs before the commit

    for callback in callbacks:
        callback()

    assert NewsArticle.objects.count() == 3
    assert [path for path, _ in feed_server.seen] != []
    assert "/c" not in [path for path, _ in feed_server.seen]


def test_a_claimed_feed_is_not_queued_twice(feed_server, feed_file, feed_make):
    feed_make(feed_server.route("/a", body=feed_file("rss2.xml")))

    first = refresh_due_feeds.delay().get()
    second = refresh_due_feeds.delay().get()

    assert len(first) == 1 and second == []


def test_refresh_feed_returns_its_summary(feed_server, feed_file, feed_make):
    feed = feed_make(feed_server.route("/a", body=feed_file("feed.json")))

    result = refresh_feed.delay(feed.pk).get()

    assert result["status"] == "ok" and result["new"] == 1
    assert "skipped" in result["error"]


def test_a_network_failure_is_recorded_once_with_no_celery_retry(
    feed_make, unreachable_url
):
    feed = feed_make(unreachable_url)

    result = refresh_feed.delay(feed.pk).get()

    assert result["status"] == "error"
    assert getattr(refresh_feed, "autoretry_for", ()) == ()
    feed.refresh_from_db()
    assert feed.consecutive_failures == 1
    assert "Connection refused" in feed.last_error


def test_a_refresh_expires_when_its_feed_claim_lapses():
    assert refresh_feed.expires == CLAIM_FOR.total_seconds()


def test_a_hard_time_limit_is_recorded_on_the_feed(feed_make):
    feed = feed_make("https://feeds.example/rss")

    # What the worker calls after killing the process at the hard limit.
    refresh_feed.on_failure(TimeLimitExceeded(180), "task-id", (feed.pk,), {}, None)

    feed.refresh_from_db()
    assert feed.last_status == "error"
    assert feed.consecutive_failures == 1
    assert "TimeLimitExceeded" in feed.last_error


def test_the_schedule_is_installed_with_an_expiry(db):
    task = PeriodicTask.objects.get(task="tracker.tasks.refresh_due_feeds")

    assert (task.interval.every, task.interval.period) == (5, "minutes")
    assert 0 < task.expire_seconds < 5 * 60
    assert task.enabled
    assert Feed.objects.count() == 0
