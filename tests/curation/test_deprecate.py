"""Deprecating claims from their lists in the admin: the action's page asks
for a reason and a date, each record goes through record_deprecate, and
subscribers hear one `claim.deprecated` per record."""

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.test_security import inline_code
from tracker.admin import deprecation
from tracker.admin.core import CitedAdmin
from tracker.choices import WebhookEvent
from tracker.models import CLAIM_MODELS, Production, Statement
from tracker.models.sources import DEPRECATION_REASON_MESSAGE
from tracker.services.records import record_deprecate
from tracker.services.webhooks import endpoint_register

pytestmark = pytest.mark.django_db

LIST = reverse("admin:tracker_production_changelist")
ACTION = "deprecate_selected"


@pytest.fixture
def subscribed(receiver, private_webhooks_allowed):
    endpoint_register(
        name="Deprecations", url=receiver.url(), events=[WebhookEvent.CLAIM_DEPRECATED]
    )
    return receiver


def deprecations(receiver) -> list[tuple[str, str]]:
    return [
        (r.payload["type"], r.payload["data"]["slug"])
        for r in receiver.received
        if r.payload["type"] == WebhookEvent.CLAIM_DEPRECATED
    ]


def choose(client, records, url=LIST):
    """The first step: the list's action run on the selected records."""
    return client.post(
        url,
        {"action": ACTION, "index": "0", "_selected_action": [r.pk for r in records]},
    )


def confirm(client, records, reason, on="", url=LIST):
    """The second step: the action's page sent back."""
    return client.post(
        url,
        {
            "action": ACTION,
            "_selected_action": [r.pk for r in records],
            "post": "yes",
            "deprecation_reason": reason,
            "deprecated_on": on,
        },
    )


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("model", CLAIM_MODELS, ids=lambda m: m.__name__)
def test_every_claim_admin_offers_the_action_to_whoever_may_change(model):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = factories.UserFactory(is_staff=True, is_superuser=True)

    assert isinstance(model_admin, CitedAdmin)
    assert ACTION in model_admin.get_actions(request)
    assert model_admin.get_actions(request)[ACTION][2] == (
        "Deprecate the selected claims…"
    )


def two_productions():
    """Listed in this order: the list is by title."""
    return [factories.ProductionFactory(title=t) for t in ("Alpha", "Beta")]


def test_the_page_lists_the_records_asks_why_and_keeps_the_selection(admin_client):
    first, second = two_productions()

    response = choose(admin_client, [first, second], url=f"{LIST}?ic_status=used")

    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["records"] == [first, second]
    assert str(first) in page and str(second) in page
    assert 'name="deprecation_reason"' in page and "required" in page
    assert f'value="{timezone.localdate().isoformat()}"' in page
    for record in (first, second):
        assert f'name="_selected_action" value="{record.pk}"' in page
    assert f'name="action" value="{ACTION}"' in page
    assert 'name="index"' not in page  # sent back, the action runs, not a new one
    # Cancel is a link back to the list, with its filters.
    assert f'href="{LIST}?ic_status=used" class="closelink"' in page
    assert inline_code(page) == []
    assert not Production.objects.filter(deprecated_on__isnull=False).exists()


def test_staff_who_may_change_deprecate_two_claims_one_event_each(
    client, subscribed, commit
):
    editor = factories.StaffFactory(username="editor")
    editor.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="tracker",
            codename__in=["view_production", "change_production"],
        )
    )
    client.force_login(editor)
    first, second = commit(two_productions)
    subscribed.received.clear()

    response = commit(
        lambda: confirm(
            client, [first, second], "Both were misattributed.", on="2026-03-04"
        )
    )

    assert response.status_code == 302
    assert response["Location"] == LIST
    for record in (first, second):
        record.refresh_from_db()
        assert record.deprecated_on == dt.date(2026, 3, 4)
        assert record.deprecation_reason == "Both were misattributed."
        latest = record.history.latest()
        assert latest.history_user == editor
        assert latest.history_change_reason == "Deprecated: Both were misattributed."
        assert LogEntry.objects.get(object_id=record.pk).action_flag == CHANGE
    assert sorted(deprecations(subscribed)) == sorted(
        [("claim.deprecated", first.slug), ("claim.deprecated", second.slug)]
    )
    payload = subscribed.received[0].payload["data"]["deprecation"]
    assert payload == {
        "of": "claim",
        "deprecated_on": "2026-03-04",
        "reason": "Both were misattributed.",
    }
    assert texts(response) == [
        "2 productions deprecated: “Alpha (2023)”, “Beta (2023)”.",
    ]


def test_the_date_defaults_to_today(admin_client):
    statement = factories.StatementFactory()

    confirm(
        admin_client,
        [statement],
        "Misquoted.",
        url=reverse("admin:tracker_statement_changelist"),
    )

    statement.refresh_from_db()
    assert statement.deprecated_on == timezone.localdate()


# With delete permission the list has an action (delete_selected), so the
# forged POST meets the action form's own check, not an empty action list.
@pytest.mark.parametrize("also", [(), ("delete_production",)], ids=["view", "delete"])
def test_staff_who_may_not_change_are_not_offered_it_and_a_forged_post_does_nothing(
    client, subscribed, commit, also
):
    viewer = factories.StaffFactory(username="viewer")
    viewer.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="tracker",
            codename__in=["view_production", *also],
        )
    )
    client.force_login(viewer)
    production = commit(lambda: factories.ProductionFactory())
    subscribed.received.clear()

    listing = client.get(LIST)
    shown = commit(lambda: choose(client, [production]))
    forged = commit(lambda: confirm(client, [production], "Not mine to say."))

    assert listing.status_code == 200
    assert "Deprecate the selected claims" not in listing.content.decode()
    assert "records" not in (shown.context or {})
    assert forged.status_code in (200, 302)
    production.refresh_from_db()
    assert production.deprecated_on is None
    assert production.deprecation_reason == ""
    assert subscribed.received == []


@pytest.mark.parametrize("reason", ["", "   \n\t "])
def test_a_blank_reason_shows_the_page_again_with_the_error_and_changes_nothing(
    admin_client, subscribed, commit, reason
):
    first, second = commit(lambda: factories.ProductionFactory.create_batch(2))
    subscribed.received.clear()

    response = commit(lambda: confirm(admin_client, [first, second], reason))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "deprecation_reason": [DEPRECATION_REASON_MESSAGE]
    }
    page = response.content.decode()
    assert DEPRECATION_REASON_MESSAGE in page
    assert "Please correct the error below." in page
    # Still the same selection, so sending it again deprecates these.
    for record in (first, second):
        assert f'name="_selected_action" value="{record.pk}"' in page
    assert not Production.objects.filter(deprecated_on__isnull=False).exists()
    assert subscribed.received == []


def test_an_already_deprecated_record_is_skipped_and_named(
    admin_client, subscribed, commit
):
    old, current = commit(lambda: factories.ProductionFactory.create_batch(2))
    commit(
        lambda: record_deprecate(
            record=old, reason="Withdrawn long ago.", on=dt.date(2025, 1, 2)
        )
    )
    subscribed.received.clear()

    page = choose(admin_client, [old, current]).content.decode()
    response = commit(lambda: confirm(admin_client, [old, current], "Found wrong."))

    assert "already deprecated on 2025-01-02, it will be skipped" in page
    old.refresh_from_db()
    current.refresh_from_db()
    assert (old.deprecated_on, old.deprecation_reason) == (
        dt.date(2025, 1, 2),
        "Withdrawn long ago.",
    )
    assert current.deprecated_on == timezone.localdate()
    assert current.deprecation_reason == "Found wrong."
    assert deprecations(subscribed) == [("claim.deprecated", current.slug)]
    assert texts(response) == [
        f"1 production deprecated: “{current}”.",
        f"Not deprecated again: “{old}” already deprecated on 2025-01-02. "
        "Change a reason on the record's own page.",
    ]


def test_a_claim_withdrawn_for_a_misquote_can_be_deprecated(admin_client):
    misquoted = factories.StatementFactory()
    # Written around the rules, as an old row might be: the verbatim quote
    # is not in its source's passage. That is a reason to withdraw it, and
    # must not block withdrawing it.
    Statement.objects.filter(pk=misquoted.pk).update(quote="Words never said.")

    response = confirm(
        admin_client,
        [misquoted],
        "Misquoted: the source does not hold these words.",
        url=reverse("admin:tracker_statement_changelist"),
    )

    assert response.status_code == 302
    misquoted.refresh_from_db()
    assert misquoted.deprecated_on is not None
    assert texts(response) == [f"1 statement deprecated: “{misquoted}”."]


def test_a_refusal_of_the_service_is_said_and_the_others_are_deprecated(
    admin_client, monkeypatch
):
    refused, sound = factories.StatementFactory.create_batch(2)
    service = deprecation.record_deprecate

    def refusing(*, record, **kwargs):
        if record.pk == refused.pk:
            raise ValidationError({"deprecation_reason": "Refused for the test."})
        return service(record=record, **kwargs)

    monkeypatch.setattr(deprecation, "record_deprecate", refusing)

    response = confirm(
        admin_client,
        [refused, sound],
        "Found wrong.",
        url=reverse("admin:tracker_statement_changelist"),
    )

    assert response.status_code == 302
    refused.refresh_from_db()
    sound.refresh_from_db()
    assert refused.deprecated_on is None
    assert sound.deprecated_on is not None
    refusal, success = texts(response)
    assert refusal == f"“{refused}” was not deprecated: Refused for the test."
    assert success == f"1 statement deprecated: “{sound}”."
