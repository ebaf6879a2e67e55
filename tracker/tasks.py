"""Thin Celery tasks: they take ids and call one service. Every task is
idempotent (a refresh stores each article once), so late acknowledgement and
redelivery after a lost worker are safe."""

import logging

from celery import Task, shared_task
from django.db import transaction
from kombu.exceptions import OperationalError

from tracker.news.services import (
    CLAIM_FOR,
    feed_failure_record,
    feed_refresh,
    feeds_claim,
)

logger = logging.getLogger(__name__)

# A refresh still queued when its feed's claim lapses is a duplicate of the
# one the schedule queues then: it expires instead of running twice. As a
# task attribute it applies wherever the task is queued from.
REFRESH_EXPIRES = int(CLAIM_FOR.total_seconds())


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
@shared_task(base=FeedRefreshTask, acks_late=True, expires=REFRESH_EXPIRES)
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
