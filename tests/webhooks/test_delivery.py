import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories
from tests.webhooks.conftest import signature_valid
from tracker import choices
from tracker.choices import DeliveryStatus, WebhookEvent
from tracker.models import Production, WebhookAttempt, WebhookDelivery
from tracker.services.records import record_create, record_deprecate
from tracker.services.webhooks import (
    MAX_ATTEMPTS,
    deliveries_claim,
    endpoint_register,
    retry_delay,
)
from tracker.tasks import deliveries_queue

pytestmark = pytest.mark.django_db


def claim_create(title="A New Show"):
    return record_create(
        model=Production,
        fields={
            "title": title,
            "kind": choices.ProductionKind.SERIES,
            "ic_status": choices.ICStatus.USED,
            "ic_evidence": choices.ICEvidence.PRESS_REPORT,
        },
        citations=[{"source": factories.SourceFactory(), "quote": "It had one."}],
    )


def sweep(now):
    """What beat's sweep does, at a moved clock."""
    return deliveries_queue(deliveries_claim(now=now))


@pytest.fixture
def hook(receiver, private_webhooks_allowed):
    endpoint, secret = endpoint_register(
        name="Partner campaign",
        url=receiver.url(),
        events=[WebhookEvent.CLAIM_CREATED, WebhookEvent.CLAIM_CHANGED],
    )
    return endpoint, secret


def test_a_local_receiver_gets_a_signed_versioned_event_for_a_new_claim(
    receiver, hook, commit
):
    endpoint, secret = hook

    production = commit(claim_create)

    assert len(receiver.received) == 1
    got = receiver.received[0]
    assert signature_valid(secret, got.headers["X-Tracker-Signature"], got.body)
    assert not signature_valid(
        "another secret", got.headers["X-Tracker-Signature"], got.body
    )
    payload = got.payload
    assert payload["version"] == 1
    assert payload["type"] == "claim.created"
    assert payload["data"]["resource"] == "productions"
    assert payload["data"]["record"]["slug"] == production.slug
    # The record is in the API's read shape, its citation included.
    assert payload["data"]["record"]["citations"][0]["quote"] == "It had one."
    delivery = WebhookDelivery.objects.get()
    assert got.headers["Idempotency-Key"] == str(delivery.idempotency_key)
    assert got.headers["X-Tracker-Event"] == "claim.created"
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempt_log.get().status_code == 200


def test_a_receiver_that_was_down_for_a_while_still_gets_the_event(
    receiver, hook, commit
):
    receiver.stop()
    commit(claim_create)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert "Network error" in delivery.last_error
    now = timezone.now()
    assert sweep(now) == []  # not due yet: the first retry waits 4 minutes

    assert sweep(now + dt.timedelta(minutes=5)) == [delivery.pk]  # still down
    receiver.start()
    assert sweep(now + dt.timedelta(minutes=10)) == []  # next try at +16 min
    sweep(now + dt.timedelta(minutes=25))

    assert len(receiver.received) == 1
    got = receiver.received[0]
    delivery.refresh_from_db()
    assert got.headers["Idempotency-Key"] == str(delivery.idempotency_key)
    assert got.payload["type"] == "claim.created"
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts == 3
    log = list(delivery.attempt_log.values_list("number", "status_code"))
    assert log == [(1, None), (2, None), (3, 200)]
    delivery.endpoint.refresh_from_db()
    assert delivery.endpoint.consecutive_failures == 0
    assert delivery.endpoint.active


def test_six_failed_tries_over_a_day_give_up_and_disable_the_endpoint(
    receiver, hook, commit
):
    receiver.status = 503
    commit(claim_create)
    clock = timezone.now()
    for _ in range(MAX_ATTEMPTS - 1):
        clock += dt.timedelta(days=1)
        sweep(clock)

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == MAX_ATTEMPTS
    assert len(receiver.received) == MAX_ATTEMPTS
    assert {r.headers["Idempotency-Key"] for r in receiver.received} == {
        str(delivery.idempotency_key)
    }
    endpoint = delivery.endpoint
    endpoint.refresh_from_db()
    assert not endpoint.active
    assert "all 6 tries" in endpoint.disabled_reason
    assert "HTTP 503" in endpoint.disabled_reason
    # Nothing more is tried, and new events are not queued for it.
    assert sweep(clock + dt.timedelta(days=9)) == []
    commit(lambda: claim_create("Another"))
    assert WebhookDelivery.objects.count() == 1


def test_the_retry_schedule_is_about_six_tries_over_a_day():
    waits = [retry_delay(n) for n in range(1, MAX_ATTEMPTS)]

    assert waits == sorted(waits)
    assert dt.timedelta(hours=20) < sum(waits, dt.timedelta()) < dt.timedelta(hours=26)


def test_a_private_target_is_refused_at_registration(settings, db):
    settings.TRACKER_ALLOW_PRIVATE_WEBHOOKS = False

    with pytest.raises(ValidationError) as refused:
        endpoint_register(
            name="Sneaky", url="http://127.0.0.1/admin", events=["claim.created"]
        )
    assert "loopback" in str(refused.value.message_dict["url"])
    with pytest.raises(ValidationError, match="Port 6379 is not fetched"):
        endpoint_register(
            name="Redis", url="http://hooks.example:6379/", events=["claim.created"]
        )
    with pytest.raises(ValidationError, match="Only http and https"):
        endpoint_register(
            name="File", url="file:///etc/passwd", events=["claim.created"]
        )


def test_a_target_that_turns_private_is_refused_at_delivery(
    receiver, fake_internet, commit
):
    """Registered while its name pointed at a public address; by delivery
    the name points inside the network (DNS rebinding)."""
    fake_internet["hooks.example"] = ["127.0.0.1"]
    endpoint, _ = endpoint_register(
        name="Rebinding",
        url=f"http://hooks.example:{receiver.port}/hook",
        events=["claim.created"],
    )
    fake_internet["hooks.example"] = ["10.0.0.7"]

    commit(claim_create)

    assert receiver.received == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert "resolves to a private address" in delivery.last_error
    endpoint.refresh_from_db()
    assert not endpoint.active
    assert "private address" in endpoint.disabled_reason


def test_the_secret_is_stored_encrypted_and_a_lost_key_is_a_clear_failure(
    receiver, hook, commit, settings
):
    endpoint, secret = hook
    assert secret not in endpoint.secret_encrypted
    assert endpoint.secret_hint == secret[-4:]

    settings.TRACKER_WEBHOOK_SECRET_KEY = (
        "x" * 43 + "="
    )  # a valid Fernet key, not the one it was encrypted with
    commit(claim_create)

    assert receiver.received == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert "cannot be decrypted" in delivery.last_error


def test_an_endpoint_filtered_by_a_record_hears_only_about_it(
    receiver, private_webhooks_allowed, commit
):
    show = commit(lambda: factories.ProductionFactory(title="Watched"))
    other = commit(lambda: factories.ProductionFactory(title="Not watched"))
    endpoint_register(
        name="One show",
        url=receiver.url(),
        events=["claim.created"],
        production=show,
    )

    commit(lambda: factories.StatementFactory(production=other))
    commit(lambda: factories.StatementFactory(production=show))

    assert len(receiver.received) == 1
    record = receiver.received[0].payload["data"]["record"]
    assert record["production"]["slug"] == show.slug


def test_a_delivery_key_never_repeats_across_deliveries(receiver, hook, commit):
    commit(claim_create)
    commit(lambda: claim_create("Second"))

    keys = [r.headers["Idempotency-Key"] for r in receiver.received]
    assert len(set(keys)) == 2
    assert all(uuid.UUID(k) for k in keys)
    assert WebhookAttempt.objects.count() == 2


def test_a_deprecation_delivers_one_signed_event_with_its_reason_and_date(
    receiver, private_webhooks_allowed, commit
):
    _, secret = endpoint_register(
        name="Corrections desk",
        url=receiver.url(),
        events=[WebhookEvent.CLAIM_DEPRECATED],
    )
    production = commit(claim_create)

    commit(
        lambda: record_deprecate(
            record=production,
            reason="The press report named the wrong series.",
            on=dt.date(2026, 11, 30),
        )
    )

    assert len(receiver.received) == 1
    got = receiver.received[0]
    assert signature_valid(secret, got.headers["X-Tracker-Signature"], got.body)
    assert got.headers["X-Tracker-Event"] == "claim.deprecated"
    payload = got.payload
    assert payload["type"] == "claim.deprecated"
    assert payload["data"]["slug"] == production.slug
    assert payload["data"]["deprecation"] == {
        "of": "claim",
        "deprecated_on": "2026-11-30",
        "reason": "The press report named the wrong series.",
    }
    delivery = WebhookDelivery.objects.get()
    assert got.headers["Idempotency-Key"] == str(delivery.idempotency_key)
    assert delivery.status == DeliveryStatus.DELIVERED
