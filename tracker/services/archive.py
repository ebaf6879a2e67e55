"""Writes for the tracker's own copies of its sources: taking a snapshot,
rechecking a link, submitting to the Wayback Machine.

Every fetch goes through the feed fetcher (its SSRF guard, size cap and one
deadline). Nothing here raises to the person who saved the source: a
refused address, a failed fetch or a page that cannot be read is recorded
with the reason, where staff see it.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import logging
import time
from collections import defaultdict
from dataclasses import replace
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tracker.archive import text_extract
from tracker.choices import LinkStatus, SnapshotOrigin, SnapshotOutcome
from tracker.models import LinkCheck, Source, SourceLink, SourceSnapshot
from tracker.news.fetch import (
    FeedAddressRefused,
    FeedHTTPError,
    FeedTooLarge,
    FetchError,
    FetchLimits,
    FetchResult,
    feed_fetch,
)
from tracker.news.services import feed_limits

logger = logging.getLogger(__name__)

# A link is dead after this many failures of the kind that do not pass
# (404, 410, no such host), the first and last at least DEAD_AFTER apart:
# one bad day at a publisher must not bury a source.
DEAD_FAILURES = 2
DEAD_AFTER = dt.timedelta(days=1)
HARD_STATUSES = (404, 410)
# How often each kind of link is looked at again.
RECHECK_OK = dt.timedelta(days=7)
RECHECK_FAILING = DEAD_AFTER
RECHECK_DEAD = dt.timedelta(days=30)
# Sources of one host checked per run: the rest wait for the next run, so
# a run stays within the task time limit however many sources a host has.
LINKS_PER_HOST = 10
# A due link is claimed for this long when its check is queued.
CLAIM_FOR = dt.timedelta(hours=1)


def archive_limits() -> FetchLimits:
    return replace(feed_limits(), max_bytes=settings.TRACKER_SNAPSHOT_MAX_BYTES)


def _fetch(url: str, limits: FetchLimits | None = None) -> FetchResult:
    return feed_fetch(
        url,
        limits=limits or archive_limits(),
        allow_private=settings.TRACKER_ALLOW_PRIVATE_FEEDS,
    )


def link_health_get(source: Source) -> SourceLink:
    link, _ = SourceLink.objects.get_or_create(source=source)
    return link


def snapshot_take(*, source_id: int) -> SourceSnapshot | None:
    """Fetch a source's page and keep it, or record why not. None for a
    source with no URL (the seed article's copy is shipped instead)."""
    source = Source.objects.get(pk=source_id)
    if not source.url:
        return None
    now = timezone.now()
    snapshot = SourceSnapshot(source=source, requested_url=source.url, fetched_at=now)
    try:
        fetched = _fetch(source.url)
    except FeedAddressRefused as exc:
        snapshot.outcome = SnapshotOutcome.REFUSED
        snapshot.reason = str(exc)
    except FetchError as exc:
        snapshot.outcome = SnapshotOutcome.FAILED
        snapshot.reason = str(exc) or type(exc).__name__
        snapshot.http_status = getattr(exc, "status", None)
    except Exception as exc:
        logger.exception("Snapshot of source %s failed", source.pk)
        snapshot.outcome = SnapshotOutcome.FAILED
        snapshot.reason = f"Unexpected error: {exc!r}"
    else:
        body = fetched.content
        extracted = text_extract(body, fetched.content_type)
        snapshot.outcome = SnapshotOutcome.ARCHIVED
        snapshot.final_url = fetched.url[:1000]
        snapshot.http_status = fetched.status
        snapshot.content_type = fetched.content_type[:200]
        snapshot.sha256 = hashlib.sha256(body).hexdigest()
        snapshot.size = len(body)
        snapshot.body_gzip = gzip.compress(body, mtime=0)
        snapshot.text = extracted.text
        snapshot.text_note = extracted.note[:500]
    snapshot.reason = snapshot.reason[:5000]
    with transaction.atomic():
        if snapshot.outcome == SnapshotOutcome.ARCHIVED:
            _latest_replace(snapshot)
            _link_answered(link_health_get(source), now)
        else:
            snapshot.save()
    return snapshot


def _latest_replace(snapshot: SourceSnapshot) -> None:
    """Save an archived snapshot as its source's latest; a refused or
    failed fetch leaves the previous copy in place."""
    SourceSnapshot.objects.filter(source=snapshot.source, latest=True).update(
        latest=False
    )
    snapshot.latest = True
    snapshot.save()


@transaction.atomic
def snapshot_ship(*, source: Source, text: str, shipped_at: dt.datetime) -> bool:
    """The shipped text as the snapshot of a source with no URL (the seed
    article); True when a new snapshot was stored, False when the latest
    already holds this text."""
    body = text.encode("utf-8")
    digest = hashlib.sha256(body).hexdigest()
    latest = source_snapshot_latest(source)
    if latest is not None and latest.sha256 == digest:
        return False
    snapshot = SourceSnapshot(
        source=source,
        outcome=SnapshotOutcome.ARCHIVED,
        origin=SnapshotOrigin.SHIPPED,
        fetched_at=shipped_at,
        content_type="text/plain; charset=utf-8",
        sha256=digest,
        size=len(body),
        body_gzip=gzip.compress(body, mtime=0),
        text=text,
    )
    _latest_replace(snapshot)
    return True


def source_snapshot_latest(source: Source) -> SourceSnapshot | None:
    return (
        SourceSnapshot.objects.filter(source=source, latest=True)
        .defer("body_gzip")
        .first()
    )


def snapshot_needed(source: Source) -> bool:
    """Whether a source's current URL has no snapshot yet, archived or
    refused (a refusal is not retried on every save)."""
    return (
        bool(source.url)
        and not SourceSnapshot.objects.filter(
            source=source, requested_url=source.url
        ).exists()
    )


# --- link health ---------------------------------------------------------------


def _link_answered(link: SourceLink, now: dt.datetime) -> None:
    link.status = LinkStatus.OK
    link.checked_at = now
    link.failing_since = None
    link.hard_failures = 0
    link.last_error = ""
    link.next_check_at = now + RECHECK_OK
    link.save()


def _hard_failure(exc: FetchError) -> bool:
    if isinstance(exc, FeedHTTPError):
        return exc.status in HARD_STATUSES
    # The fetcher's words for a name that does not resolve.
    return "Cannot resolve host" in str(exc) or "resolves to no address" in str(exc)


def link_check(*, source_id: int, now: dt.datetime | None = None) -> LinkCheck:
    """Fetch a source's URL once and update its link health. Returns the
    check; its `retry_after` attribute carries a server's Retry-After."""
    now = now or timezone.now()
    source = Source.objects.get(pk=source_id)
    link = link_health_get(source)
    check = LinkCheck(source=source, checked_at=now, ok=False)
    check.retry_after = None
    try:
        # The answer matters, not the page: a small cap, and a page over
        # it still answered.
        fetched = _fetch(source.url, replace(archive_limits(), max_bytes=1024 * 1024))
    except FetchError as exc:
        if isinstance(exc, FeedTooLarge):
            check.ok, check.http_status = True, 200
        else:
            check.error = (str(exc) or type(exc).__name__)[:5000]
            check.http_status = getattr(exc, "status", None)
            check.hard = _hard_failure(exc)
            check.retry_after = getattr(exc, "retry_after", None)
    else:
        check.ok, check.http_status = True, fetched.status
    with transaction.atomic():
        check.save()
        if check.ok:
            _link_answered(link, now)
        else:
            _link_failed(link, check, now)
    return check


def _link_failed(link: SourceLink, check: LinkCheck, now: dt.datetime) -> None:
    link.checked_at = now
    link.last_error = check.error
    if link.failing_since is None:
        link.failing_since = now
    if check.hard:
        link.hard_failures += 1
    first_hard = (
        LinkCheck.objects.filter(
            source_id=link.source_id, hard=True, checked_at__gte=link.failing_since
        )
        .order_by("checked_at")
        .values_list("checked_at", flat=True)
        .first()
    )
    dead = (
        link.hard_failures >= DEAD_FAILURES
        and first_hard is not None
        and now - first_hard >= DEAD_AFTER
    )
    link.status = LinkStatus.DEAD if dead else LinkStatus.FAILING
    delay = RECHECK_DEAD if dead else RECHECK_FAILING
    if check.retry_after:
        delay = max(delay, dt.timedelta(seconds=min(check.retry_after, 30 * 86400)))
    link.next_check_at = now + delay
    link.save()


def links_claim(now: dt.datetime | None = None) -> dict[str, list[int]]:
    """The sources whose link is due for a check, by host, each claimed for
    CLAIM_FOR so that it is queued once."""
    now = now or timezone.now()
    with transaction.atomic():
        # A source with a URL and no health yet is due at once.
        for source in Source.objects.exclude(url="").filter(link_health__isnull=True):
            SourceLink.objects.get_or_create(source=source)
        due = (
            SourceLink.objects.filter(source__url__gt="")
            .exclude(next_check_at__gt=now)
            .select_related("source")
            .order_by("next_check_at", "pk")
        )
        by_host: dict[str, list[int]] = defaultdict(list)
        claimed = []
        for link in due:
            host = (urlsplit(link.source.url).hostname or "").lower()
            if len(by_host[host]) < LINKS_PER_HOST:
                by_host[host].append(link.source_id)
                claimed.append(link.pk)
        SourceLink.objects.filter(pk__in=claimed).update(next_check_at=now + CLAIM_FOR)
    return dict(by_host)


def links_check_for_host(*, source_ids: list[int], pause: float | None = None) -> int:
    """Check one host's sources one after another, a pause between them;
    a Retry-After from the host ends the run and puts the rest off until
    then. Returns how many were checked."""
    pause = settings.TRACKER_LINK_CHECK_PAUSE if pause is None else pause
    checked = 0
    for position, source_id in enumerate(source_ids):
        if position:
            time.sleep(pause)
        check = link_check(source_id=source_id)
        checked += 1
        if check.retry_after:
            later = timezone.now() + dt.timedelta(
                seconds=min(check.retry_after, 30 * 86400)
            )
            for rest in source_ids[position + 1 :]:
                SourceLink.objects.update_or_create(
                    source_id=rest, defaults={"next_check_at": later}
                )
            break
    return checked


# --- the Wayback Machine ---------------------------------------------------------


def wayback_submit(*, source_id: int) -> str:
    """Ask Save Page Now to archive a source, and store the URL of its copy
    (or the error). Returns the URL, or "" when it failed."""
    source = Source.objects.get(pk=source_id)
    link = link_health_get(source)
    endpoint = settings.TRACKER_WAYBACK_SAVE_URL
    try:
        # Save Page Now answers with a redirect to the new copy.
        fetched = _fetch(
            endpoint + quote(source.url, safe=":/?&=%#+,;@!$'()*~"),
            replace(archive_limits(), max_bytes=1024 * 1024, total_timeout=120),
        )
    except FetchError as exc:
        link.wayback_error = (str(exc) or type(exc).__name__)[:5000]
        link.save(update_fields=["wayback_error"])
        return ""
    if "/web/" not in urlsplit(fetched.url).path:
        link.wayback_error = (
            f"Save Page Now answered without a copy's address ({fetched.url})."
        )
        link.save(update_fields=["wayback_error"])
        return ""
    link.wayback_url = fetched.url[:1000]
    link.wayback_error = ""
    link.save(update_fields=["wayback_url", "wayback_error"])
    return link.wayback_url
