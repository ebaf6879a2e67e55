"""Thin Celery tasks: they take ids and call one service. Every task is
idempotent (a refresh stores each article once), so late acknowledgement and
redelivery after a lost worker are safe."""

import logging

from celery import Task, shared_task, signals
from django.conf import settings
from django.db import DatabaseError, connections, transaction
from kombu.exceptions import OperationalError

from tracker.models import Source
from tracker.news.match_store import matcher_get
from tracker.news.services import (
    CLAIM_FOR,
    feed_failure_record,
    feed_refresh,
    feeds_claim,
)
from tracker.services.archive import (
    links_check_for_host,
    links_claim,
    snapshot_needed,
    snapshot_take,
    wayback_submit,
)
from tracker.services.webhooks import deliveries_claim, delivery_attempt

logger = logging.getLogger(__name__)

# A refresh still queued when its feed's claim lapses is a duplicate of the
# one the schedule queues then: it expires instead of running twice. As a
# task attribute it applies wherever the task is queued from.
REFRESH_EXPIRES = int(CLAIM_FOR.total_seconds())


@signals.worker_init.connect
def matcher_preload(**kwargs):
    """Build the automaton of every name once, in the worker's main process,
    before it forks its pool: each of the 16 processes inherits it instead
    of building its own on its first refresh (at 100k productions a build
    reads 70k names and costs 3-6 s of CPU; sixteen of them took the first
    minute of a 2-core worker). A process builds again only when the names
    change (match_store's stamp)."""
    try:
        matcher_get()
    except DatabaseError:
        # A worker may start before the database is migrated or reachable;
        # its processes then build on their first refresh, as before.
        logger.warning("Matcher not preloaded; built on first use", exc_info=True)
    finally:
        # The pool's processes must not share this process's connections.
        connections.close_all()


class FeedRefreshTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # The refresh records its own failures, a soft time limit included;
        # what reaches here ended it from outside (the hard time limit kills
        # the process; this runs in the worker that did it), so the feed's
        # health still shows it.
        feed_id = (list(args) + [kwargs.get("feed_id")])[0]
        logger.error("Refresh of feed %s ended: %r", feed_id, exc)
        if feed_id is not None:
            feed_failure_record(feed_id=feed_id, error=exc)


# No autoretry: a failed refresh is recorded on the feed and its next fetch
# pushed back (services.backoff_delay); that schedule is the one retry layer.
# No result stored: the outcome is on the feed (last_status, last_error), and
# nothing waits on the task, so a result row per feed in the database backend
# would be a write and a round trip per refresh that no one reads.
@shared_task(
    base=FeedRefreshTask, acks_late=True, expires=REFRESH_EXPIRES, ignore_result=True
)
def refresh_feed(feed_id: int) -> dict:
    return feed_refresh(feed_id=feed_id).as_dict()


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


# --- Webhooks ----------------------------------------------------------------
# Retries are kept in the database (WebhookDelivery.next_attempt_at) rather
# than as broker ETAs: a retry due in 17 hours survives a broker restart, and
# Redis would redeliver an ETA task past its visibility timeout.


@shared_task(acks_late=True)
def deliver_webhook(delivery_id: int) -> str | None:
    delivery = delivery_attempt(delivery_id=delivery_id)
    return delivery.status if delivery else None


def deliveries_queue(delivery_ids: list[int]) -> list[int]:
    """Queue one attempt per delivery; with the broker down the rest wait
    for the sweep, which takes them once their claim lapses."""
    queued = []
    for delivery_id in delivery_ids:
        try:
            deliver_webhook.delay(delivery_id)
        except OperationalError as exc:
            logger.error(
                "Broker unreachable; webhook deliveries %s wait for the next sweep: %s",
                ", ".join(str(pk) for pk in delivery_ids[len(queued) :]),
                exc,
            )
            break
        queued.append(delivery_id)
    return queued


@shared_task
def deliver_due_webhooks() -> list[int]:
    """Queues one attempt per delivery whose retry is due."""
    delivery_ids = deliveries_claim()
    transaction.on_commit(lambda: deliveries_queue(delivery_ids))
    return delivery_ids


# --- sources that last ------------------------------------------------------


def source_saved(sender, instance, raw=False, **kwargs):
    """A saved source with a URL not yet archived: its snapshot is queued
    once the save is committed (a fixture load, `raw`, queues nothing)."""
    if raw or not settings.TRACKER_ARCHIVE_ON_SAVE or not instance.url:
        return
    if not _snapshot_pending(instance) and snapshot_needed(instance):
        transaction.on_commit(_SnapshotQueue(instance.pk, instance.url))


def citation_saved(sender, instance, raw=False, **kwargs):
    """Citing a source archives it, if its save did not already."""
    source_saved(Source, instance.source, raw=raw)


class _SnapshotQueue:
    """The callback that queues one source's snapshot once the save is
    committed; an object rather than a lambda, so that the next save of the
    same source in the same transaction can see it is already pending."""

    def __init__(self, source_id: int, url: str):
        self.source_id = source_id
        self.url = url

    def __call__(self) -> None:
        try:
            snapshot_source.delay(self.source_id)
        except OperationalError as exc:
            # The source is saved; the next snapshot_sources run takes it.
            logger.error(
                "Broker unreachable; snapshot of source %s not queued: %s",
                self.source_id,
                exc,
            )


def _snapshot_pending(source: Source) -> bool:
    """Whether the open transaction already queues a snapshot of this
    source at this URL when it commits. A source cited by many claims in
    one transaction (the demo load, a spreadsheet import) is then queued
    once, not once per citation. Django drops the callbacks of a
    rolled-back savepoint, so a source whose save was undone is queued
    again by the next one."""
    return any(
        isinstance(callback, _SnapshotQueue)
        and (callback.source_id, callback.url) == (source.pk, source.url)
        for _, callback, _ in transaction.get_connection().run_on_commit
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
