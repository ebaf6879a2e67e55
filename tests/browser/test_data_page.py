import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, screenshot
from tracker.demo import demo_data_load
from tracker.services.releases import release_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def releases_dir(settings, tmp_path):
    settings.TRACKER_RELEASES_DIR = tmp_path / "releases"
    return settings.TRACKER_RELEASES_DIR


def test_data_lists_the_releases_and_downloads_one(
    live_server, page, console, releases_dir
):
    demo_data_load()
    release_create()
    release_create(version="1.1.0")

    page.goto(f"{live_server.url}/data/")

    expect(page.locator("tr.release")).to_have_count(2)
    expect(page.locator(".cite__text")).to_contain_text("(Version 1.1.0) [Data set]")
    with page.expect_download() as download:
        page.locator('[id="release-1.0.0"] a.release__zip').click()
    assert download.value.suggested_filename == "ic-awards-tracker-1.0.0.zip"
    assert console.errors == []
    screenshot(page, "data-desktop")


def test_data_fits_a_phone_and_a_record_page_cites_the_release(
    live_server, page, console, releases_dir
):
    demo_data_load()
    release_create()
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/data/")
    expect(page.locator("tr.release")).to_have_count(1)
    page.goto(f"{live_server.url}/productions/i-may-destroy-you/")

    expect(page.locator(".cite__text")).to_contain_text(
        "record productions/i-may-destroy-you"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert console.errors == []
