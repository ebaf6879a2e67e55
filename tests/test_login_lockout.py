"""The admin login locks out password guessing by username and address
together (django-axes), reading the address by the throttles' rule
(tracker.http.client_ip), and the locked page tells staff what to do."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests import factories
from tests.test_security import csp_directives, inline_code

pytestmark = pytest.mark.django_db

# tests.factories.UserFactory's password
PASSWORD = "correct horse"  # pragma: allowlist secret
ADDRESS = "203.0.113.7"
OTHER_ADDRESS = "198.51.100.23"
PROXY = "10.0.0.2"


def log_in(client, password, *, username="staff", **meta):
    meta.setdefault("REMOTE_ADDR", ADDRESS)
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        **meta,
    )


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse(
        "admin:index"
    )


def five_bad_logins(client, **meta):
    """Four wrong passwords are answered by the login form again; the fifth
    locks."""
    statuses = [log_in(client, "wrong guess", **meta).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]


def test_the_right_password_still_works_after_four_failures(client, staff_user):
    for _ in range(4):
        assert log_in(client, "wrong guess").status_code == 200

    response = log_in(client, PASSWORD)

    assert logged_in(response)
    assert "_auth_user_id" in client.session


def test_five_failures_lock_the_username_from_that_address(client, staff_user):
    five_bad_logins(client)

    response = log_in(client, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_same_username_from_another_address_still_logs_in(client, staff_user):
    five_bad_logins(client)

    response = log_in(client, PASSWORD, REMOTE_ADDR=OTHER_ADDRESS)

    assert logged_in(response)
    assert "_auth_user_id" in client.session


def test_another_username_from_the_locked_address_still_logs_in(client, staff_user):
    factories.StaffFactory(username="colleague")
    five_bad_logins(client)

    response = log_in(client, PASSWORD, username="colleague")

    assert logged_in(response)


def test_behind_one_trusted_proxy_the_address_is_the_forwarded_one(
    client, staff_user, settings
):
    """Every staff member reaches the app through the same proxy: one
    person's typos must not lock the others out."""
    settings.TRACKER_TRUSTED_PROXIES = 1
    five_bad_logins(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ADDRESS)

    locked = log_in(
        client, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {ADDRESS}"
    )
    elsewhere = log_in(
        client, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OTHER_ADDRESS
    )

    assert locked.status_code == 429
    assert ADDRESS in locked.content.decode()
    assert logged_in(elsewhere)


def test_with_no_trusted_proxy_a_forged_forwarded_for_changes_nothing(
    client, staff_user, settings
):
    settings.TRACKER_TRUSTED_PROXIES = 0
    five_bad_logins(client, HTTP_X_FORWARDED_FOR=OTHER_ADDRESS)

    response = log_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_guesser_cannot_shed_the_lock_by_forging_forwarded_for(
    client, staff_user, settings
):
    settings.TRACKER_TRUSTED_PROXIES = 0
    for number in range(5):
        log_in(client, "wrong guess", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")

    response = log_in(client, PASSWORD)

    assert response.status_code == 429


def test_the_locked_page_says_how_long_and_how_to_unlock(client, staff_user):
    five_bad_logins(client)

    response = log_in(client, PASSWORD)

    html = response.content.decode()
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    assert "Login locked" in html
    assert "Wait <strong>60 minutes</strong>" in html
    assert f"axes_reset_ip_username {ADDRESS} staff" in html
    assert "axes_reset_username staff" in html
    assert "Axes › Access attempts" in html
    # The admin's look, under the site's policy, with nothing it would block.
    assert 'href="/static/admin/css/base.css"' in html
    assert "Intimacy coordination awards tracker" in html
    assert csp_directives(response)["script-src"] == ["'self'"]
    assert inline_code(html) == []


def test_the_locked_page_follows_the_cool_off_setting(client, staff_user, settings):
    settings.AXES_COOLOFF_TIME = 0.25
    five_bad_logins(client)

    html = log_in(client, PASSWORD).content.decode()

    assert "Wait <strong>15 minutes</strong>" in html


def test_the_locked_page_escapes_the_username_typed(client, db):
    five_bad_logins(client, username="<b>x</b>")

    html = log_in(client, PASSWORD, username="<b>x</b>").content.decode()

    assert "<b>x</b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_axes_reset_ip_username_lifts_that_lock_only(client, staff_user):
    factories.StaffFactory(username="colleague")
    five_bad_logins(client)
    five_bad_logins(client, username="colleague")

    call_command("axes_reset_ip_username", ADDRESS, "staff", stdout=None)

    assert logged_in(log_in(client, PASSWORD))
    assert log_in(client, PASSWORD, username="colleague").status_code == 429
