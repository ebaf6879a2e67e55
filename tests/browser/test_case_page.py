import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, screenshot
from tracker.demo import demo_data_load
from tracker.selectors.summary import case_summary

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

CHARTS = 4


def charts_drawn(page) -> list[dict]:
    """What Chart.js actually drew on each canvas."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll("canvas[data-chart-data]"))
            .map((canvas) => {
              const chart = window.Chart.getChart(canvas);
              // Year charts plot {x: year, y: count} points on a linear
              // axis; the others label categories.
              const points = chart
                ? chart.data.datasets.flatMap((d) => d.data) : [];
              const value = (p) => (typeof p === "object" ? p.y : p);
              return {
                id: canvas.id,
                width: canvas.width,
                labels: chart && chart.data.labels && chart.data.labels.length
                  ? chart.data.labels.length
                  : points.length,
                values: points.reduce((a, p) => a + value(p), 0),
                axis: chart ? chart.scales.x.type : null,
              };
            })"""
    )


def test_the_case_page_draws_its_charts_from_the_demo_data(live_server, page, console):
    demo_data_load()

    page.goto(f"{live_server.url}/")
    page.wait_for_selector(f"canvas[data-chart-drawn] >> nth={CHARTS - 1}")

    drawn = charts_drawn(page)
    assert len(drawn) == CHARTS
    for chart in drawn:
        assert chart["width"] > 0, chart
        assert chart["labels"] > 0, chart
        assert chart["values"] > 0, chart
    # The demo's 14 productions appear in the organization chart; the
    # year chart plots each production in every year it was on screen and
    # leaves the undated ones to its table and note.
    by_id = {chart["id"]: chart for chart in drawn}
    assert by_id["chart-ic-by-organization"]["values"] == 14
    years = case_summary()["ic_share_by_year"]
    dated = sum(g["used"] + g["not_used"] + g["unknown"] for g in years if g["year"])
    undated = sum(
        g["used"] + g["not_used"] + g["unknown"] for g in years if g["year"] is None
    )
    assert undated > 0
    note = page.locator("#chart-ic-by-year-title").locator("xpath=../..")
    expect(note).to_contain_text(f"Undated: {undated}")
    assert by_id["chart-ic-by-year"]["values"] == dated
    # Years on a linear axis, not as categories.
    assert by_id["chart-ic-by-year"]["axis"] == "linear"
    assert by_id["chart-award-mentions"]["axis"] == "linear"
    # With the charts drawn, their tables fold away but stay one click away.
    expect(page.locator("details.chart__table[open]")).to_have_count(0)
    page.locator("details.chart__table summary").first.click()
    expect(page.locator("details.chart__table[open] table").first).to_be_visible()
    assert console.errors == []
    screenshot(page, "case-desktop")


def test_the_case_page_fits_a_phone(live_server, page, console):
    demo_data_load()
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/")
    page.wait_for_selector(f"canvas[data-chart-drawn] >> nth={CHARTS - 1}")

    # Nothing wider than the screen: no sideways scrolling on a phone.
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"]
    expect(page.locator("h1")).to_be_visible()
    assert console.errors == []
    screenshot(page, "case-phone")


def test_keyboard_users_reach_the_content_and_see_focus(live_server, page):
    demo_data_load()
    page.goto(f"{live_server.url}/")

    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Skip to content")
    expect(skip).not_to_have_css("outline-style", "none")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/productions/i-may-destroy-you/", "production"),
        ("/people/ita-obrien/", "person"),
        ("/campaigns/oscars-intimacy-coordination/", "campaign"),
    ],
)
def test_detail_pages_render_with_their_sources(live_server, page, console, path, name):
    demo_data_load()

    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200
        citations = page.locator(".citation")
        expect(citations.first).to_be_visible()
        # Every citation names its source, linked to the source's page.
        sources = page.locator(".citation__source")
        expect(sources).to_have_count(citations.count())
        for source in sources.all():
            expect(source).not_to_be_empty()
        expect(sources.locator("a[href^='/sources/']").first).to_be_visible()
        screenshot(page, f"{name}-{label}")
    assert console.errors == []
