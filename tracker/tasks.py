"""Thin Celery tasks: they take ids and call one service. Every task is
idempotent (a refresh stores each article once), so late acknowledgement and
redelivery after a lost worker are safe."""

import logging

from celery import shared_task
from django.db import transaction
from kombu.exceptions import OperationalError

from tracker.news.services import FeedTemporarilyFailing, feed_refresh, feeds_claim

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
