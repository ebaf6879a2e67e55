"""The archive page of the seed article in Chromium: its cited passages
highlighted, each linking to its claim, and nothing loaded from elsewhere."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tracker.demo import demo_data_load
from tracker.models import Citation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

SEED = "case-for-an-oscar-for-best-intimacy-coordinator"


def test_the_seed_archive_highlights_every_cited_passage(live_server, page, console):
    demo_data_load()
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(f"{live_server.url}/sources/{SEED}/archive/")

    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "The Case for an Oscar for Best Intimacy Coordinator"
    )
    marks = page.locator("mark.archive__passage")
    # At least ten passages of the seed are cited; the tenth is there.
    expect(marks.nth(9)).to_be_visible()
    expect(page.locator("text=Quotes not found in this copy")).to_have_count(0)
    claim = page.locator("a.archive__claim").first
    href = claim.get_attribute("href")
    claim.click()
    expect(page).to_have_url(f"{live_server.url}{href}")
    screenshot(page, "archive-claim")
    assert console.errors == []
    assert all(url.startswith(live_server.url) for url in requested), requested


def test_a_record_page_links_its_citations_to_the_archive(live_server, page, console):
    demo_data_load()
    production = (
        Citation.objects.filter(source__slug=SEED, content_type__model="production")
        .first()
        .claim
    )

    page.goto(f"{live_server.url}/productions/{production.slug}/")

    checks = page.locator(".quote-check--found")
    expect(checks.first).to_be_visible()
    page.locator("a.citation__archive").first.click()
    expect(page.locator("mark.archive__passage").first).to_be_visible()
    screenshot(page, "archive-page")
    assert console.errors == []
