"""Webhook writes: registering an endpoint, publishing events to the
endpoints that want them, and one delivery attempt with its bookkeeping.
Celery tasks (tracker.tasks) and the admin call these."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

import orjson
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Model, Q
from django.utils import timezone

from tracker.choices import DeliveryStatus, WebhookEvent
from tracker.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tracker.news.fetch import (
    FeedAddressRefused,
    FetchError,
    FetchLimits,
    feed_url_check,
)
from tracker.webhooks.events import concerned_records, envelope, event_data
from tracker.webhooks.secrets import (
    SecretUnreadable,
    secret_decrypt,
    secret_encrypt,
    secret_generate,
)
from tracker.webhooks.signing import SIGNATURE_HEADER, signature_header
from tracker.webhooks.transport import webhook_post

logger = logging.getLogger(__name__)

USER_AGENT = "IC-awards-tracker-webhooks/1.0"
# Six tries over about a day: the first at once, then after 4, 16 and 64
# minutes, about 4 hours and about 17 hours (22.7 hours in all).
MAX_ATTEMPTS = 6
BACKOFF_BASE = dt.timedelta(minutes=1)
BACKOFF_FACTOR = 4
# A delivery is claimed for this long when its attempt is queued, so the
# sweep does not queue it twice while the first waits for a worker.
CLAIM_FOR = dt.timedelta(minutes=10)


def retry_delay(attempts: int) -> dt.timedelta:
    """How long after its `attempts`-th failed try a delivery is tried again."""
    return BACKOFF_BASE * BACKOFF_FACTOR**attempts


def endpoint_url_check(url: str) -> None:
    """The feeds' SSRF guard, as a ValidationError naming the URL field."""
    try:
        feed_url_check(
            url,
            allow_private=settings.TRACKER_ALLOW_PRIVATE_WEBHOOKS,
            limits=FetchLimits(ports=tuple(settings.TRACKER_FETCH_PORTS)),
        )
    except FetchError as exc:
        raise ValidationError({"url": str(exc)}) from exc


def endpoint_secret_set(*, endpoint: WebhookEndpoint, secret: str = "") -> str:
    """Store a secret (a new random one unless given); returns it, the only
    time it is readable outside the signing code."""
    secret = secret or secret_generate()
    endpoint.secret_encrypted = secret_encrypt(secret)
    endpoint.secret_hint = secret[-4:]
    return secret


@transaction.atomic
def endpoint_register(
    *,
    name: str,
    url: str,
    events: list[str],
    production=None,
    person=None,
    secret: str = "",
    created_by=None,
) -> tuple[WebhookEndpoint, str]:
    """Create an endpoint; returns it and its secret, shown once."""
    endpoint_url_check(url)
    endpoint = WebhookEndpoint(
        name=name,
        url=url,
        events=list(events),
        production=production,
        person=person,
        created_by=created_by,
    )
    secret = endpoint_secret_set(endpoint=endpoint, secret=secret)
    endpoint.full_clean()
    endpoint.save()
    return endpoint, secret


def _wants(endpoint: WebhookEndpoint, event: str, records: set) -> bool:
    if event not in endpoint.events:
        return False
    wanted = set()
    if endpoint.production_id:
        wanted.add(("production", endpoint.production_id))
    if endpoint.person_id:
        wanted.add(("person", endpoint.person_id))
    return not wanted or bool(wanted & records)


def _queue(delivery_ids: list[int]) -> None:
    # Imported here: tasks import this module.
    from tracker.tasks import deliveries_queue

    deliveries_queue(delivery_ids)


def events_publish(
    *, events: Iterable[tuple[str, type[Model], int, dict]]
) -> list[WebhookDelivery]:
    """One delivery per event and endpoint that wants it, each queued once
    the deliveries are committed."""
    events = list(events)
    if not events:
        return []
    endpoints = list(WebhookEndpoint.objects.filter(active=True))
    if not endpoints:
        return []
    now = timezone.now()
    deliveries = []
    for event, model, pk, extra in events:
        takers = [e for e in endpoints if event in e.events]
        if not takers:
            continue
        records = concerned_records(model, pk)
        takers = [e for e in takers if _wants(e, event, records)]
        if not takers:
            continue
        data = event_data(event, model, pk, extra)
        if data is None:
            continue
        payload = envelope(event, data)
        deliveries += [
            WebhookDelivery(
                endpoint=endpoint,
                event=event,
                payload=payload,
                next_attempt_at=now + CLAIM_FOR,
            )
            for endpoint in takers
        ]
    with transaction.atomic():
        for delivery in deliveries:
            delivery.save()
        ids = [d.pk for d in deliveries]
        transaction.on_commit(lambda: _queue(ids))
    return deliveries


@transaction.atomic
def test_event_send(*, endpoint: WebhookEndpoint, sent_by=None) -> WebhookDelivery:
    """A `webhook.test` delivery, queued like any other."""
    payload = envelope(
        WebhookEvent.TEST,
        {
            "endpoint": endpoint.name,
            "message": "A test event sent from the tracker's admin.",
            "sent_by": sent_by.get_username() if sent_by else None,
        },
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=WebhookEvent.TEST,
        payload=payload,
        next_attempt_at=timezone.now() + CLAIM_FOR,
    )
    transaction.on_commit(lambda: _queue([delivery.pk]))
    return delivery


def deliveries_due(now: dt.datetime | None = None):
    now = now or timezone.now()
    return WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING,
        endpoint__active=True,
        next_attempt_at__lte=now,
    )


def deliveries_claim(now: dt.datetime | None = None) -> list[int]:
    """The due deliveries, each pushed back by CLAIM_FOR so that it is
    queued once; its attempt then sets the real next time."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(deliveries_due(now).values_list("pk", flat=True)[:500])
        WebhookDelivery.objects.filter(pk__in=ids).update(
            next_attempt_at=now + CLAIM_FOR
        )
    return ids


def _headers(delivery: WebhookDelivery, body: bytes, secret: str) -> dict[str, str]:
    key = str(delivery.idempotency_key)
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Idempotency-Key": key,
        "X-Tracker-Delivery": key,
        "X-Tracker-Event": delivery.event,
        "X-Tracker-Webhook-Version": str(delivery.payload.get("version", "")),
        SIGNATURE_HEADER: signature_header(secret, body),
    }


def delivery_attempt(
    *, delivery_id: int, now: dt.datetime | None = None
) -> WebhookDelivery | None:
    """Try one delivery once and record the try; a failure schedules the
    next, and the last failure gives up and disables the endpoint."""
    now = now or timezone.now()
    delivery = (
        WebhookDelivery.objects.select_related("endpoint")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return delivery
    endpoint = delivery.endpoint
    if not endpoint.active:
        return delivery
    number = delivery.attempts + 1
    # Taken by bumping the count only if nobody else did: two workers never
    # send the same try, and no lock is held during the POST.
    taken = WebhookDelivery.objects.filter(
        pk=delivery.pk, attempts=delivery.attempts, status=DeliveryStatus.PENDING
    ).update(attempts=number, next_attempt_at=now + CLAIM_FOR)
    if not taken:
        return delivery
    delivery.attempts = number
    body = orjson.dumps(delivery.payload)
    status_code, error, duration, permanent = None, "", 0, False
    try:
        secret = secret_decrypt(endpoint.secret_encrypted)
        result = webhook_post(
            endpoint.url,
            body,
            _headers(delivery, body, secret),
            allow_private=settings.TRACKER_ALLOW_PRIVATE_WEBHOOKS,
            ports=tuple(settings.TRACKER_FETCH_PORTS),
        )
    except (SecretUnreadable, FeedAddressRefused) as exc:
        error, permanent = str(exc), True
    except FetchError as exc:
        error = str(exc)
    else:
        status_code, duration = result.status, result.duration_ms
        if not result.ok:
            error = f"HTTP {result.status}: {result.answer[:500]}".strip()
    _record(delivery, endpoint, now, status_code, error, duration, permanent)
    return delivery


@transaction.atomic
def _record(delivery, endpoint, now, status_code, error, duration, permanent):
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=delivery.attempts,
        at=now,
        status_code=status_code,
        error=error,
        duration_ms=duration,
    )
    delivery.last_status_code = status_code
    delivery.last_error = error
    if not error:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            consecutive_failures=0, last_success_at=now
        )
    else:
        logger.warning(
            "Webhook delivery %s to %s failed (try %s of %s): %s",
            delivery.pk,
            endpoint.url,
            delivery.attempts,
            MAX_ATTEMPTS,
            error,
        )
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            consecutive_failures=F("consecutive_failures") + 1, last_failure_at=now
        )
        if permanent or delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
            reason = (
                f"Disabled {now:%Y-%m-%d %H:%M} UTC: "
                + (
                    error
                    if permanent
                    else f"all {MAX_ATTEMPTS} tries of delivery {delivery.pk} "
                    f"failed over a day; the last said: {error}"
                )
            )[:500]
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
                active=False, disabled_reason=reason
            )
        else:
            delivery.next_attempt_at = now + retry_delay(delivery.attempts)
    delivery.save(
        update_fields=[
            "status",
            "delivered_at",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "updated_at",
        ]
    )


@transaction.atomic
def endpoint_enable(*, endpoint: WebhookEndpoint, now=None) -> int:
    """Turn an endpoint back on; its pending deliveries are due at once.
    Returns how many are pending."""
    now = now or timezone.now()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        active=True, disabled_reason="", consecutive_failures=0
    )
    return (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .filter(Q(status=DeliveryStatus.PENDING))
        .update(next_attempt_at=now)
    )
