"""The news pipeline's writes: refreshing a feed end to end, adding a feed,
reviewing matches. Celery tasks and commands call these; they hold no logic
of their own."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from tracker.choices import FeedStatus, ReviewStatus
from tracker.models import ArticleMatch, Feed

from .article_store import entries_store
from .fetch import FetchError, FetchLimits, feed_fetch, feed_url_check
from .match_store import articles_match
from .parse import FeedParseError, feed_parse

logger = logging.getLogger(__name__)

# A feed failing this many times in a row is made inactive, with the reason,
# until staff look at it.
FEED_MAX_FAILURES = 8
# However often a feed fails, it is tried again at least once a day.
MAX_BACKOFF = dt.timedelta(hours=24)
# A due feed is claimed for this long when its refresh is queued, so the
# next scheduled run does not queue it again while the first waits.
CLAIM_FOR = dt.timedelta(minutes=15)


@dataclass
class RefreshResult:
    feed_id: int
    url: str
    status: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    over_cap: int = 0
    """New entries beyond TRACKER_FEED_MAX_NEW_ENTRIES, not stored."""
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


def _failure_record(feed: Feed, error: BaseException) -> RefreshResult:
    now = timezone.now()
    failures = feed.consecutive_failures + 1
    delay = backoff_delay(feed, failures)
    retry_after = getattr(error, "retry_after", None)
    if retry_after:
        delay = max(delay, dt.timedelta(seconds=min(retry_after, 7 * 86400)))
    message = str(error) or type(error).__name__
    if not isinstance(error, FetchError | FeedParseError):
        # An unexpected error's type is half of what it says.
        message = f"{type(error).__name__}: {message}"
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


def _inactive(feed: Feed) -> RefreshResult:
    return RefreshResult(
        feed.pk, feed.url, FeedStatus.ERROR, error="The feed is inactive."
    )


def feed_refresh(*, feed_id: int) -> RefreshResult:
    """Fetch, parse, store and match one feed, and record its health.

    A 304 touches nothing but the check and next-fetch times. Any failure,
    expected (the network, the document) or not, is logged with its
    traceback, recorded on the feed and pushes its next fetch back
    exponentially: that backoff is the only retry, so it shows in the
    admin and survives restarts. Nothing is raised, so one feed's failure
    never stops the others.
    """
    feed = Feed.objects.get(pk=feed_id)
    if not feed.active:
        return _inactive(feed)
    try:
        return _feed_refresh(feed)
    except (FetchError, FeedParseError) as exc:
        logger.warning("Feed %s (%s) failed: %s", feed.pk, feed.url, exc, exc_info=True)
        return _failure_record(feed, exc)
    except Exception as exc:
        # Anything else (a database error, a bug, a task's soft time
        # limit) is still this one feed's failure.
        logger.exception("Feed %s (%s) failed unexpectedly", feed.pk, feed.url)
        return _failure_record(feed, exc)


def feed_failure_record(*, feed_id: int, error: BaseException) -> RefreshResult | None:
    """Records a failure that ended a refresh from outside, such as a
    worker killed at its hard time limit; None if the feed is gone."""
    feed = Feed.objects.filter(pk=feed_id).first()
    if feed is None:
        return None
    return _failure_record(feed, error)


def _feed_refresh(feed: Feed) -> RefreshResult:
    fetched = feed_fetch(
        feed.url,
        etag=feed.etag,
        last_modified=feed.last_modified,
        limits=feed_limits(),
        allow_private=settings.TRACKER_ALLOW_PRIVATE_FEEDS,
    )
    now = timezone.now()
    if fetched.not_modified:
        Feed.objects.filter(pk=feed.pk).update(
            last_checked_at=now,
            last_status=FeedStatus.NOT_MODIFIED,
            consecutive_failures=0,
            next_fetch_at=now + dt.timedelta(minutes=feed.interval_minutes),
        )
        return RefreshResult(feed.pk, feed.url, FeedStatus.NOT_MODIFIED)
    parsed = feed_parse(
        fetched.content,
        fetched.content_type,
        base_url=fetched.url,
        budget=settings.TRACKER_FEED_PARSE_SECONDS,
    )
    error = parsed.error

    with transaction.atomic():
        stored = entries_store(
            feed, parsed.entries, max_new=settings.TRACKER_FEED_MAX_NEW_ENTRIES
        )
        if stored.over_cap:
            error = " ".join(
                filter(
                    None,
                    [
                        error,
                        f"{stored.over_cap} new entries over the cap of "
                        f"{settings.TRACKER_FEED_MAX_NEW_ENTRIES} per refresh "
                        "are left for the next refresh.",
                    ],
                )
            )
        articles_match(stored.touched)
        Feed.objects.filter(pk=feed.pk).update(
            etag=fetched.etag[:500],
            last_modified=fetched.last_modified[:100],
            last_checked_at=now,
            last_success_at=now,
            last_status=FeedStatus.OK,
            last_error=error[:5000],
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
        over_cap=stored.over_cap,
        error=error,
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
