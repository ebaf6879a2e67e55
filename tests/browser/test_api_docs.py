"""The API's documentation pages render every operation in Chromium under
the site's CSP, with no console error (a CSP refusal is one)."""

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def operations(page, live_server) -> int:
    schema = page.request.get(f"{live_server.url}/api/schema/?format=json").json()
    return sum(
        1
        for operations in schema["paths"].values()
        for method in operations
        if method in METHODS
    )


def test_swagger_ui_renders_every_operation(live_server, page, console):
    expected = operations(page, live_server)

    page.goto(f"{live_server.url}/api/docs/")

    expect(page.locator(".opblock")).to_have_count(expected)
    assert expected > 40
    assert console.errors == []


def test_redoc_renders_every_operation(live_server, page, console):
    expected = operations(page, live_server)

    page.goto(f"{live_server.url}/api/docs/redoc/")

    expect(page.locator('[data-section-id*="/operation/"]')).to_have_count(expected)
    assert console.errors == []
