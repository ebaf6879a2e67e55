"""The locked-out login in Chromium: after five wrong passwords the page
that answers is styled like the admin, says what to do, and opens with no
console error (the CSP refuses inline script and style)."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-curator-password"  # pragma: allowlist secret


def test_the_lockout_page_opens_styled_and_without_a_console_error(
    live_server, page, console
):
    factories.UserFactory(username="curator", password=PASSWORD, is_staff=True)
    login_url = f"{live_server.url}/admin/login/?next=/admin/"
    page.goto(login_url)
    for _ in range(5):
        page.fill("#id_username", "curator")
        page.fill("#id_password", "a wrong guess")
        page.click("input[type=submit]")
        page.wait_for_load_state("load")

    expect(page.locator("h1")).to_have_text("Login locked")
    expect(page.locator("#content-main")).to_contain_text("Wait 60 minutes")
    expect(page.locator("#content-main code").first).to_contain_text(
        "axes_reset_ip_username 127.0.0.1 curator"
    )
    # The admin's stylesheets applied: its header bar and the login page's
    # narrow box.
    expect(page.locator("#site-name")).to_have_text(
        "Intimacy coordination awards tracker"
    )
    width = page.locator("#container").evaluate("e => e.getBoundingClientRect().width")
    assert width < 600
    screenshot(page, "login-locked")

    # The one expected error is the page's own status, 429; anything else
    # (a refused inline script or style, a missing stylesheet) fails.
    locked = f"429 {live_server.url}/admin/login/?next=/admin/"
    assert locked in console.errors
    others = [
        error
        for error in console.errors
        if error != locked and "status of 429" not in error
    ]
    assert others == []
