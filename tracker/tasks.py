"""Thin Celery tasks: they take ids and call one service. Every task is
idempotent (a refresh stores each article once), so late acknowledgement and
redelivery after a lost worker are safe."""

from celery import shared_task
from django.db import transaction

from tracker.news.services import FeedTemporarilyFailing, feed_refresh, feeds_claim


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


@shared_task
def refresh_due_feeds() -> list[int]:
    """Queues one refresh per due feed, once the claim is committed."""
    feed_ids = feeds_claim()

    def enqueue():
        for feed_id in feed_ids:
            refresh_feed.delay(feed_id)

    transaction.on_commit(enqueue)
    return feed_ids
