"""feeds_refresh: many feeds at once against the local HTTP server, each
recorded as feed_refresh records it."""

import threading
import time

import pytest

from tests.news.conftest import Route
from tracker.choices import FeedStatus
from tracker.models import ArticleSighting, Feed, NewsArticle
from tracker.news.services import feeds_refresh

pytestmark = pytest.mark.usefixtures("private_feeds_allowed")

DELAY = 0.5


def rss(name: str, items: int = 2) -> bytes:
    entries = "".join(
        f"<item><title>{name} story {i}</title>"
        f"<link>https://trade.example/{name}/{i}</link>"
        f"<guid>{name}-{i}</guid>"
        f"<pubDate>Mon, 02 Mar 2026 10:0{i}:00 GMT</pubDate></item>"
        for i in range(items)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel>'
        f"<title>{name}</title>{entries}</channel></rss>"
    ).encode()


class InFlight:
    """Counts requests the server is answering at the same moment."""

    def __init__(self):
        self.lock = threading.Lock()
        self.now = self.peak = 0

    def slow(self, route: Route):
        def handler(_request):
            with self.lock:
                self.now += 1
                self.peak = max(self.peak, self.now)
            time.sleep(DELAY)
            with self.lock:
                self.now -= 1
            return route

        return handler


def slow_answer(name: str, in_flight: InFlight, etag: bool):
    """A feed answered after DELAY, with a 304 when its ETag is sent back."""
    tag = f'"{name}"' if etag else ""
    headers = {"Content-Type": "application/rss+xml"}
    if tag:
        headers["ETag"] = tag
    fresh = Route(body=rss(name), headers=headers)

    def answer(request):
        unchanged = tag and request.headers.get("If-None-Match") == tag
        return in_flight.slow(Route(status=304) if unchanged else fresh)(request)

    return answer


def slow_feeds(feed_server, feed_make, count, in_flight, etag=False):
    return [
        feed_make(
            feed_server.route(
                f"/slow/{n}", handler=slow_answer(f"feed{n}", in_flight, etag)
            )
        )
        for n in range(count)
    ]


def test_slow_feeds_are_downloaded_at_once_and_each_stored(feed_server, feed_make):
    in_flight = InFlight()
    feeds = slow_feeds(feed_server, feed_make, 8, in_flight)

    started = time.monotonic()
    results = feeds_refresh(feed_ids=[f.pk for f in feeds], concurrency=8)
    elapsed = time.monotonic() - started

    assert [r.feed_id for r in results] == [f.pk for f in feeds]
    assert [(r.status, r.new) for r in results] == [(FeedStatus.OK, 2)] * 8
    assert in_flight.peak == 8
    # One after another could not take less than 8 x DELAY.
    assert elapsed < 8 * DELAY / 2
    assert NewsArticle.objects.count() == 16
    assert ArticleSighting.objects.count() == 16
    assert set(Feed.objects.values_list("last_status", flat=True)) == {FeedStatus.OK}


def test_no_more_downloads_than_the_concurrency_are_in_flight(feed_server, feed_make):
    in_flight = InFlight()
    feeds = slow_feeds(feed_server, feed_make, 6, in_flight)

    feeds_refresh(feed_ids=[f.pk for f in feeds], concurrency=2)

    assert in_flight.peak == 2


def test_a_second_refresh_of_unchanged_feeds_writes_no_articles(feed_server, feed_make):
    feeds = slow_feeds(feed_server, feed_make, 4, InFlight(), etag=True)
    ids = [f.pk for f in feeds]
    feeds_refresh(feed_ids=ids)
    stored = {a.pk: a.updated_at for a in NewsArticle.objects.all()}

    second = feeds_refresh(feed_ids=ids)

    assert {r.status for r in second} == {FeedStatus.NOT_MODIFIED}
    assert {a.pk: a.updated_at for a in NewsArticle.objects.all()} == stored
    assert ArticleSighting.objects.count() == 8
    assert all(
        feed.etag == f'"feed{n}"' for n, feed in enumerate(Feed.objects.order_by("pk"))
    )


def test_a_failing_or_inactive_feed_never_stops_the_others(feed_server, feed_make):
    good = feed_make(feed_server.route("/good", body=rss("good")))
    missing = feed_make(feed_server.url("/missing"))
    inactive = feed_make(feed_server.route("/off", body=rss("off")), active=False)

    results = feeds_refresh(feed_ids=[missing.pk, inactive.pk, good.pk])

    assert [r.status for r in results] == [FeedStatus.ERROR] * 2 + [FeedStatus.OK]
    assert "404" in results[0].error
    assert results[1].error == "The feed is inactive."
    missing.refresh_from_db()
    assert (missing.last_status, missing.consecutive_failures) == (
        FeedStatus.ERROR,
        1,
    )
    assert list(NewsArticle.objects.values_list("feed", flat=True)) == [good.pk] * 2
    assert not feed_server.requests_to("/off")


def test_a_concurrency_below_one_is_refused(db):
    with pytest.raises(ValueError, match="at least 1"):
        feeds_refresh(feed_ids=[], concurrency=0)
