"""Thin Celery tasks: they take ids and call one service. Every task is
idempotent (a refresh stores each article once), so late acknowledgement and
redelivery after a lost worker are safe."""

import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError

from tracker.models import Source
from tracker.news.services import FeedTemporarilyFailing, feed_refresh, feeds_claim
from tracker.services.archive import (
    links_check_for_host,
    links_claim,
    snapshot_needed,
    snapshot_take,
    wayback_submit,
)

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    autoretry_for=(FeedTemporarilyFailing,),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=2,
    acks_late=True,
)
def refresh_feed(self, feed_id: int) -> dict:
    return feed_refresh(feed_id=feed_id, raise_transient=True).as_dict()


def refreshes_queue(feed_ids: list[int]) -> list[int]:
    """Queue one refresh per feed and return the ids queued.

    With the broker down a publish fails within the bounded retry policy
    (CELERY_TASK_PUBLISH_RETRY_POLICY) instead of hanging; the rest are
    not tried, since they would fail the same way, and are logged. Their
    claim stands, so the schedule takes them again once it has lapsed.
    """
    queued = []
    for feed_id in feed_ids:
        try:
            refresh_feed.delay(feed_id)
        except OperationalError as exc:
            logger.error(
                "Broker unreachable; refresh not queued for feed(s) %s "
                "(due again after their claim lapses): %s",
                ", ".join(str(pk) for pk in feed_ids[len(queued) :]),
                exc,
            )
            break
        queued.append(feed_id)
    return queued


@shared_task
def refresh_due_feeds() -> list[int]:
    """Queues one refresh per due feed, once the claim is committed."""
    feed_ids = feeds_claim()
    transaction.on_commit(lambda: refreshes_queue(feed_ids))
    return feed_ids


# --- sources that last ------------------------------------------------------


def source_saved(sender, instance, raw=False, **kwargs):
    """A saved source with a URL not yet archived: its snapshot is queued
    once the save is committed (a fixture load, `raw`, queues nothing)."""
    if raw or not settings.TRACKER_ARCHIVE_ON_SAVE or not instance.url:
        return
    if snapshot_needed(instance):
        source_id = instance.pk
        transaction.on_commit(lambda: _snapshot_queue(source_id))


def citation_saved(sender, instance, raw=False, **kwargs):
    """Citing a source archives it, if its save did not already."""
    source_saved(Source, instance.source, raw=raw)


def _snapshot_queue(source_id: int) -> None:
    try:
        snapshot_source.delay(source_id)
    except OperationalError as exc:
        # The source is saved; the next snapshot_sources run takes it.
        logger.error(
            "Broker unreachable; snapshot of source %s not queued: %s", source_id, exc
        )


@shared_task(acks_late=True)
def snapshot_source(source_id: int, only_if_needed: bool = True) -> dict:
    """Snapshot one source (and, with TRACKER_WAYBACK, submit it to Save
    Page Now); the outcome is recorded on the snapshot, never raised. A
    source whose URL is already archived is left alone unless asked, so a
    save and a citation queued together fetch once."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None or (only_if_needed and not snapshot_needed(source)):
        return {"source_id": source_id, "outcome": "", "reason": "already archived"}
    snapshot = snapshot_take(source_id=source_id)
    wayback = wayback_submit(source_id=source_id) if settings.TRACKER_WAYBACK else ""
    return {
        "source_id": source_id,
        "outcome": snapshot.outcome if snapshot else "",
        "reason": snapshot.reason if snapshot else "",
        "wayback_url": wayback,
    }


@shared_task
def recheck_due_links() -> dict:
    """Queues one task per host whose sources are due for a link check, so
    that each host sees one request at a time."""
    by_host = links_claim()
    transaction.on_commit(
        lambda: [check_links_for_host.delay(ids) for ids in by_host.values()]
    )
    return {host: len(ids) for host, ids in by_host.items()}


@shared_task(acks_late=True)
def check_links_for_host(source_ids: list[int]) -> int:
    return links_check_for_host(source_ids=source_ids)
