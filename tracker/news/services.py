"""The news pipeline's writes: refreshing a feed end to end, adding a feed,
reviewing matches. Celery tasks and commands call these; they hold no logic
of their own."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from tracker.choices import FeedStatus, ReviewStatus
from tracker.models import ArticleMatch, Feed

from .fetch import FetchError, FetchLimits, FetchResult, feed_fetch, feed_url_check
from .match import Matcher
from .parse import FeedParseError, ParsedFeed, feed_parse
from .store import articles_match, entries_store, matcher_get

logger = logging.getLogger(__name__)

# A feed failing this many times in a row is made inactive, with the reason,
# until staff look at it.
FEED_MAX_FAILURES = 8
# However often a feed fails, it is tried again at least once a day.
MAX_BACKOFF = dt.timedelta(hours=24)
# A due feed is claimed for this long when its refresh is queued, so the
# next scheduled run does not queue it again while the first waits.
CLAIM_FOR = dt.timedelta(minutes=15)
# Downloads in flight at once when many feeds are refreshed together: feeds
# are mostly waiting on the network, so far more than the CPU count.
FEEDS_CONCURRENCY = 32


class FeedTemporarilyFailing(Exception):
    """Raised after the failure is recorded, so a Celery task can retry."""


@dataclass
class RefreshResult:
    feed_id: int
    url: str
    status: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    error: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def feed_limits() -> FetchLimits:
    """The fetcher's limits from the settings: every fetch (the Celery task,
    refresh_news, the admin) goes through these."""
    total = settings.TRACKER_FETCH_TIMEOUT
    return FetchLimits(
        max_bytes=settings.TRACKER_FEED_MAX_BYTES,
        total_timeout=total,
        connect_timeout=min(FetchLimits.connect_timeout, total),
        read_timeout=min(FetchLimits.read_timeout, total),
        ports=tuple(settings.TRACKER_FETCH_PORTS),
    )


def feeds_due(now: dt.datetime | None = None) -> QuerySet[Feed]:
    now = now or timezone.now()
    return Feed.objects.filter(active=True).filter(
        Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now)
    )


def feeds_claim(now: dt.datetime | None = None) -> list[int]:
    """The due feeds, each pushed back by CLAIM_FOR so that it is queued
    once; its refresh then sets the real next time."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(feeds_due(now).values_list("pk", flat=True))
        Feed.objects.filter(pk__in=ids).update(next_fetch_at=now + CLAIM_FOR)
    return ids


def backoff_delay(feed: Feed, failures: int) -> dt.timedelta:
    delay = dt.timedelta(minutes=feed.interval_minutes) * (2 ** min(failures, 16))
    return min(delay, MAX_BACKOFF)


def _failure_record(feed: Feed, error: Exception) -> RefreshResult:
    now = timezone.now()
    failures = feed.consecutive_failures + 1
    delay = backoff_delay(feed, failures)
    retry_after = getattr(error, "retry_after", None)
    if retry_after:
        delay = max(delay, dt.timedelta(seconds=min(retry_after, 7 * 86400)))
    message = str(error) or type(error).__name__
    Feed.objects.filter(pk=feed.pk).update(
        last_checked_at=now,
        last_status=FeedStatus.ERROR,
        last_error=message[:5000],
        consecutive_failures=F("consecutive_failures") + 1,
        next_fetch_at=now + delay,
    )
    if failures >= FEED_MAX_FAILURES:
        feed.refresh_from_db()
        feed.active = False
        feed.disabled_reason = (
            f"Disabled after {failures} failures in a row; last: {message}"
        )[:500]
        # A save, not an update, so the history shows when and why.
        feed.save(update_fields=["active", "disabled_reason", "updated_at"])
    return RefreshResult(feed.pk, feed.url, FeedStatus.ERROR, error=message)


@dataclass
class _Download:
    """What the network and the parser gave for one feed: no database
    involved, so it can be produced on any thread."""

    fetched: FetchResult | None = None
    parsed: ParsedFeed | None = None
    error: FetchError | FeedParseError | None = None


def _feed_download(
    url: str, etag: str, last_modified: str, limits: FetchLimits, allow_private: bool
) -> _Download:
    try:
        fetched = feed_fetch(
            url,
            etag=etag,
            last_modified=last_modified,
            limits=limits,
            allow_private=allow_private,
        )
        if fetched.not_modified:
            return _Download(fetched=fetched)
        return _Download(fetched, feed_parse(fetched.content, fetched.content_type))
    except (FetchError, FeedParseError) as exc:
        return _Download(error=exc)


def _inactive(feed: Feed) -> RefreshResult:
    return RefreshResult(
        feed.pk, feed.url, FeedStatus.ERROR, error="The feed is inactive."
    )


def feed_refresh(*, feed_id: int, raise_transient: bool = False) -> RefreshResult:
    """Fetch, parse, store and match one feed, and record its health.

    A 304 touches nothing but the check and next-fetch times. Any failure is
    recorded and pushes the next fetch back exponentially; with
    `raise_transient`, a network failure is then raised as
    FeedTemporarilyFailing for the caller to retry.
    """
    feed = Feed.objects.get(pk=feed_id)
    if not feed.active:
        return _inactive(feed)
    download = _feed_download(
        feed.url,
        feed.etag,
        feed.last_modified,
        feed_limits(),
        settings.TRACKER_ALLOW_PRIVATE_FEEDS,
    )
    return _download_record(feed, download, raise_transient=raise_transient)


def feeds_refresh(
    *, feed_ids: Iterable[int], concurrency: int = FEEDS_CONCURRENCY
) -> list[RefreshResult]:
    """Refresh many feeds at once, `concurrency` downloads in flight, each
    recorded exactly as feed_refresh records it; results in `feed_ids`
    order.

    Only the downloads (network wait and parsing) run on worker threads.
    Every database write happens on the calling thread as downloads
    arrive: worker threads never open a database connection (none to leak
    or close), and SQLite, which takes one writer at a time, is never
    contended. A failing feed is recorded and never stops the others; a
    crash loses at most the feeds not yet committed, which the next
    refresh fetches again.
    """
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    wanted = list(dict.fromkeys(feed_ids))
    feeds = Feed.objects.in_bulk(wanted)
    missing = [feed_id for feed_id in wanted if feed_id not in feeds]
    if missing:
        raise Feed.DoesNotExist(f"No feed with id {missing[0]}.")
    limits = feed_limits()
    allow_private = settings.TRACKER_ALLOW_PRIVATE_FEEDS
    # The names cannot usefully change within one batch: checking their
    # stamp once, not four queries per feed.
    matcher = matcher_get()
    results: dict[int, RefreshResult] = {}
    with ThreadPoolExecutor(
        max_workers=concurrency, thread_name_prefix="feed-download"
    ) as pool:
        pending = {}
        for feed_id in wanted:
            feed = feeds[feed_id]
            if not feed.active:
                results[feed_id] = _inactive(feed)
                continue
            future = pool.submit(
                _feed_download,
                feed.url,
                feed.etag,
                feed.last_modified,
                limits,
                allow_private,
            )
            pending[future] = feed
        waiting = set(pending)
        while waiting:
            done, waiting = wait(waiting, return_when=FIRST_COMPLETED)
            # One commit for every download that finished meanwhile, each
            # feed in its own savepoint: a commit (an fsync) per feed would
            # otherwise be most of the time a batch takes.
            with transaction.atomic():
                for future in done:
                    feed = pending[future]
                    results[feed.pk] = _download_record_safely(feed, future, matcher)
    return [results[feed_id] for feed_id in wanted]


def _download_record_safely(feed: Feed, future, matcher: Matcher) -> RefreshResult:
    try:
        with transaction.atomic():
            return _download_record(feed, future.result(), matcher=matcher)
    except Exception as exc:
        # As the refresh_news command does: one feed's unexpected error is
        # reported, and the other feeds are still stored.
        logger.exception("Refresh of feed %s failed", feed.pk)
        return RefreshResult(feed.pk, feed.url, FeedStatus.ERROR, error=f"{exc!r}")


def _download_record(
    feed: Feed,
    download: _Download,
    *,
    raise_transient: bool = False,
    matcher: Matcher | None = None,
) -> RefreshResult:
    """Store, match and record the health of one downloaded feed."""
    if download.error is not None:
        result = _failure_record(feed, download.error)
        transient = getattr(download.error, "transient", False)
        if raise_transient and transient:
            raise FeedTemporarilyFailing(result.error) from download.error
        return result
    fetched, parsed = download.fetched, download.parsed
    now = timezone.now()
    if fetched.not_modified:
        Feed.objects.filter(pk=feed.pk).update(
            last_checked_at=now,
            last_status=FeedStatus.NOT_MODIFIED,
            consecutive_failures=0,
            next_fetch_at=now + dt.timedelta(minutes=feed.interval_minutes),
        )
        return RefreshResult(feed.pk, feed.url, FeedStatus.NOT_MODIFIED)

    with transaction.atomic():
        stored = entries_store(feed, parsed.entries)
        articles_match(stored.touched, matcher)
        Feed.objects.filter(pk=feed.pk).update(
            etag=fetched.etag[:500],
            last_modified=fetched.last_modified[:100],
            last_checked_at=now,
            last_success_at=now,
            last_status=FeedStatus.OK,
            last_error=parsed.error[:5000],
            consecutive_failures=0,
            next_fetch_at=now + dt.timedelta(minutes=feed.interval_minutes),
        )
        moved = fetched.permanent_url
        if moved and moved != feed.url and not Feed.objects.filter(url=moved).exists():
            feed.url = moved
            feed.save(update_fields=["url", "updated_at"])
    return RefreshResult(
        feed.pk,
        feed.url,
        FeedStatus.OK,
        new=len(stored.new),
        updated=len(stored.updated),
        unchanged=stored.unchanged,
        error=parsed.error,
    )


def feed_add(*, url: str, name: str = "", interval_minutes: int = 30) -> Feed:
    """A new feed, after the same address check the fetcher makes."""
    try:
        feed_url_check(
            url,
            allow_private=settings.TRACKER_ALLOW_PRIVATE_FEEDS,
            limits=feed_limits(),
        )
    except FetchError as exc:
        raise ValidationError({"url": str(exc)}) from exc
    feed = Feed(url=url, name=name or url, interval_minutes=interval_minutes)
    feed.full_clean()
    feed.save()
    return feed


@transaction.atomic
def matches_review(*, match_ids, status: str, reviewer) -> int:
    """Approves or rejects matches; returns how many changed."""
    if status not in (ReviewStatus.APPROVED, ReviewStatus.REJECTED):
        raise ValidationError(f"Review status must be approved or rejected: {status!r}")
    now = timezone.now()
    changed = 0
    for match in ArticleMatch.objects.filter(pk__in=match_ids).exclude(
        review_status=status
    ):
        match.review_status = status
        match.reviewed_by = reviewer
        match.reviewed_at = now
        # Saved one by one so each decision lands in the history.
        match.save(
            update_fields=["review_status", "reviewed_by", "reviewed_at", "updated_at"]
        )
        changed += 1
    return changed
