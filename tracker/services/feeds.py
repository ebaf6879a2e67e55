"""Staff's writes on feeds from the admin."""

from django.db import transaction

from tracker.models import Feed
from tracker.tasks import refreshes_queue


@transaction.atomic
def feeds_reactivate(*, feed_ids) -> int:
    """Active again, failures forgotten, due now. Saved one by one so the
    history shows who reactivated which."""
    count = 0
    for feed in Feed.objects.filter(pk__in=list(feed_ids)):
        feed.active = True
        feed.consecutive_failures = 0
        feed.disabled_reason = ""
        feed.next_fetch_at = None
        feed.save()
        count += 1
    return count


def feeds_refresh_queue(*, feed_ids) -> list[int]:
    """One refresh task per active feed, queued once the request's writes
    are committed; returns the ids queued (fewer if the broker is down)."""
    ids = list(
        Feed.objects.filter(pk__in=list(feed_ids), active=True).values_list(
            "pk", flat=True
        )
    )
    return refreshes_queue(ids)
