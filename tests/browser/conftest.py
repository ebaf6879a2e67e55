"""Headless Chromium for the browser tests: Debian's package, driven by
Playwright's Python package. Where it is missing the tests skip with a
message; on CI (TRACKER_REQUIRE_SERVICES=1) they fail instead."""

import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import services_required

CHROMIUM = os.environ.get("TRACKER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
# For actions and for `expect` alike (whose own default is 5 s): ReDoc takes
# longer than that to render on a busy two-core machine.
TIMEOUT_MS = 15_000


def _unavailable(reason: str):
    message = f"browser tests need Chromium: {reason} (run `make test` as root)"
    if services_required():
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser(django_db_setup):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"no executable at {CHROMIUM}")
    # Playwright's sync API keeps an event loop running in the test's
    # thread while the browser is open, and Django refuses ORM calls from a
    # thread with a running loop; the tests themselves are synchronous.
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()


class ConsoleLog:
    """Errors the page reported: console.error calls, uncaught exceptions
    and failed requests (named by URL, which the console message omits)."""

    def __init__(self, page):
        self.errors = []
        page.on(
            "console",
            lambda m: m.type == "error" and self.errors.append(m.text),
        )
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on(
            "response",
            lambda r: r.status >= 400 and self.errors.append(f"{r.status} {r.url}"),
        )


@pytest.fixture
def page(browser):
    # Reduced motion turns off the charts' animation, so screenshots show
    # them finished.
    context = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()


@pytest.fixture
def console(page):
    return ConsoleLog(page)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
