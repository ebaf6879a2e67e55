"""Staff's writes on API tokens."""

from django.db import transaction
from django.utils import timezone

from tracker.models import ApiToken


@transaction.atomic
def tokens_revoke(*, token_ids) -> int:
    return ApiToken.objects.filter(
        pk__in=list(token_ids), revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
