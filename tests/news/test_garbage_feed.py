"""A feed that answers garbage forever, seen from the schedule: beat ticks
far more often than the feed is due, and the local server counts every
fetch, so a hot loop would show as extra requests. The back-off arithmetic
itself is tested in test_services.py."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from tracker.models import Feed
from tracker.news.services import FEED_MAX_FAILURES, MAX_BACKOFF
from tracker.tasks import refresh_due_feeds

pytestmark = pytest.mark.usefixtures("private_feeds_allowed")

TICKS_BETWEEN_DUE = 5


def test_a_feed_answering_garbage_forever_is_fetched_once_per_backoff_then_never(
    feed_server, feed_make, django_capture_on_commit_callbacks
):
    # Given a feed whose server answers random bytes, labelled as RSS
    noise = random.Random(6).randbytes(4096)  # noqa: S311
    url = feed_server.route(
        "/noise", body=noise, headers={"Content-Type": "application/rss+xml"}
    )
    feed = feed_make(url, interval_minutes=10)

    def tick():
        """One run of the scheduled job, its queued refreshes included."""
        with django_capture_on_commit_callbacks(execute=True):
            refresh_due_feeds.delay().get()

    def fetches():
        return len(feed_server.requests_to("/noise"))

    waits = []
    for attempt in range(1, FEED_MAX_FAILURES + 1):
        # When the feed is due, one tick fetches it once
        tick()
        assert fetches() == attempt
        feed.refresh_from_db()
        assert feed.consecutive_failures == attempt
        waits.append(feed.next_fetch_at - feed.last_checked_at)
        # and the ticks during its back-off fetch nothing
        for _ in range(TICKS_BETWEEN_DUE):
            tick()
        assert fetches() == attempt, "fetched again before its back-off ended"
        # until the back-off has passed.
        Feed.objects.filter(pk=feed.pk).update(
            next_fetch_at=timezone.now() - dt.timedelta(seconds=1)
        )

    # Then every wait doubled the one before, up to the cap
    for before, after in zip(waits, waits[1:], strict=False):
        assert after == min(before * 2, MAX_BACKOFF), waits
    assert waits[0] == dt.timedelta(minutes=20)
    # and the feed is disabled with the reason
    feed.refresh_from_db()
    assert not feed.active
    assert feed.disabled_reason.startswith(f"Disabled after {FEED_MAX_FAILURES}")
    # and however long the schedule keeps running, it is never fetched again.
    for _ in range(3 * TICKS_BETWEEN_DUE):
        tick()
    assert fetches() == FEED_MAX_FAILURES
