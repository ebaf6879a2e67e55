import pytest
from playwright.sync_api import expect

from tracker.demo import demo_data_load

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


def test_the_methodology_page_opens_from_the_case_page(live_server, page, console):
    demo_data_load()

    page.goto(f"{live_server.url}/")
    page.locator("a.cohorts__method").click()

    expect(page).to_have_url(f"{live_server.url}/methodology/#cohorts")
    expect(page.locator("h2")).to_have_count(7)
    expect(page.locator("#cohorts")).to_contain_text("Wilson score interval")
    expect(page.locator("main a[rel=license]")).to_contain_text("CC BY 4.0")
    assert console.errors == []
