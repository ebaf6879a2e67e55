"""Webhooks in the admin: registration with the secret shown once, the
SSRF guard on the form, the test-event action and the delivery log."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.webhooks.conftest import signature_valid
from tracker.choices import DeliveryStatus, WebhookEvent
from tracker.models import WebhookDelivery, WebhookEndpoint
from tracker.services.webhooks import endpoint_register

pytestmark = pytest.mark.django_db

ADD = reverse("admin:tracker_webhookendpoint_add")
LIST = reverse("admin:tracker_webhookendpoint_changelist")


def form(url, **extra):
    return {
        "name": "Partner",
        "url": url,
        "events": ["claim.created", "news.approved"],
        "secret": "",
        **extra,
    }


def test_registering_shows_the_secret_once_and_stores_it_encrypted(
    admin_client, receiver, private_webhooks_allowed
):
    response = admin_client.post(ADD, form(receiver.url()))

    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("whsec_")
    assert secret in response.content.decode()
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["claim.created", "news.approved"]
    assert secret not in endpoint.secret_encrypted
    change = reverse("admin:tracker_webhookendpoint_change", args=[endpoint.pk])
    page = admin_client.get(change).content.decode()
    assert secret not in page
    assert endpoint.secret_encrypted not in page
    # Saving again without asking keeps the secret.
    before = endpoint.secret_encrypted
    admin_client.post(change, form(receiver.url(), active="on"))
    endpoint.refresh_from_db()
    assert endpoint.secret_encrypted == before


def test_a_typed_secret_is_kept_and_a_replacement_is_shown_once(
    admin_client, receiver, private_webhooks_allowed
):
    typed = "a-partner-chosen-secret-0123456789"
    admin_client.post(ADD, form(receiver.url(), secret=typed))
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret_hint == typed[-4:]

    change = reverse("admin:tracker_webhookendpoint_change", args=[endpoint.pk])
    response = admin_client.post(
        change,
        form(receiver.url(), active="on", new_secret="on"),  # pragma: allowlist secret
    )

    assert response.context["secret"] != typed
    endpoint.refresh_from_db()
    assert endpoint.secret_hint == response.context["secret"][-4:]


def test_the_form_refuses_a_private_target(admin_client, settings):
    settings.TRACKER_ALLOW_PRIVATE_WEBHOOKS = False

    response = admin_client.post(ADD, form("http://169.254.169.254/latest/"))

    assert response.status_code == 200
    assert "link-local" in str(response.context["adminform"].form.errors["url"])
    assert not WebhookEndpoint.objects.exists()


def test_send_test_event_delivers_a_signed_test_payload(
    admin_client, receiver, private_webhooks_allowed, commit
):
    endpoint, secret = endpoint_register(
        name="Partner", url=receiver.url(), events=["claim.created"]
    )

    commit(
        lambda: admin_client.post(
            LIST, {"action": "send_test_event", "_selected_action": [endpoint.pk]}
        )
    )

    assert len(receiver.received) == 1
    got = receiver.received[0]
    assert got.payload["type"] == WebhookEvent.TEST
    assert got.payload["data"]["sent_by"] == "root"
    assert signature_valid(secret, got.headers["X-Tracker-Signature"], got.body)
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED


def test_staff_who_may_only_view_cannot_send_a_test_event(
    client, receiver, private_webhooks_allowed, commit
):
    viewer = factories.StaffFactory(username="viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_webhookendpoint"))
    client.force_login(viewer)
    endpoint, _ = endpoint_register(
        name="Partner", url=receiver.url(), events=["claim.created"]
    )

    listing = client.get(LIST)
    commit(
        lambda: client.post(
            LIST, {"action": "send_test_event", "_selected_action": [endpoint.pk]}
        )
    )

    assert listing.status_code == 200
    assert "send_test_event" not in listing.content.decode()
    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


def test_the_delivery_log_lists_in_the_same_queries_for_one_or_many(
    admin_client, receiver, private_webhooks_allowed, commit
):
    endpoint, _ = endpoint_register(
        name="Partner", url=receiver.url(), events=["claim.created"]
    )
    url = reverse("admin:tracker_webhookdelivery_changelist")

    commit(lambda: factories.PolicyFactory())
    admin_client.get(url)
    with CaptureQueriesContext(connection) as one:
        admin_client.get(url)
    for _ in range(5):
        commit(lambda: factories.PolicyFactory())
    with CaptureQueriesContext(connection) as six:
        response = admin_client.get(url)

    assert response.context["cl"].result_count == 6
    assert len(six) == len(one)


def test_a_delivery_shows_every_try(
    admin_client, receiver, private_webhooks_allowed, commit
):
    endpoint_register(name="Partner", url=receiver.url(), events=["claim.created"])
    receiver.status = 500
    commit(lambda: factories.PolicyFactory())
    delivery = WebhookDelivery.objects.get()

    page = admin_client.get(
        reverse("admin:tracker_webhookdelivery_change", args=[delivery.pk])
    ).content.decode()

    assert "HTTP 500" in page
    assert str(delivery.idempotency_key) in page
    assert "claim.created" in page


def test_staff_can_subscribe_an_endpoint_to_deprecations(
    admin_client, receiver, private_webhooks_allowed
):
    page = admin_client.get(ADD).content.decode()
    assert 'value="claim.deprecated"' in page

    admin_client.post(
        ADD, form(receiver.url(), events=["claim.deprecated", "claim.disputed"])
    )

    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["claim.deprecated", "claim.disputed"]
