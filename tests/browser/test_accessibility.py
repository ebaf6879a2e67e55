"""The case for the people the campaign wants to reach: the page checked
by axe-core (contrast, names for every image and link, landmarks, headings)
at phone and desktop widths, and read with JavaScript turned off."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, screenshot
from tests.web.news_factories import ArticleMatchFactory
from tracker.demo import demo_data_load
from tracker.models import Person

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

# WCAG 2.1 A and AA: what public-sector accessibility rules ask for.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
ALL_CHARTS_DRAWN = "canvas[data-chart-drawn] >> nth=3"
PAGES = (
    "/",
    "/productions/i-may-destroy-you/",
    "/people/ita-obrien/",
    "/campaigns/oscars-intimacy-coordination/",
)


@pytest.fixture
def demo_with_news(db):
    demo_data_load()
    ArticleMatchFactory(
        person=Person.objects.get(slug="ita-obrien"),
        article__title="Ita O'Brien on the craft of intimacy coordination",
    )


@pytest.mark.parametrize(
    ("width", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)]
)
def test_the_pages_pass_axe_at_wcag_aa(
    live_server, page, demo_with_news, width, viewport
):
    page.set_viewport_size(viewport)
    axe = Axe()
    reports = {}
    for path in PAGES:
        page.goto(f"{live_server.url}{path}")
        if path == "/":
            page.wait_for_selector(ALL_CHARTS_DRAWN)
        # Contrast is checked on the tables too, which start folded once
        # the charts are drawn.
        page.evaluate(
            "document.querySelectorAll('details').forEach((d) => d.open = true)"
        )
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            reports[path] = results.generate_report()

    assert reports == {}, "\n".join(reports.values())


def test_the_case_is_readable_without_javascript(live_server, browser, demo_with_news):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/")

        lead = page.locator(".figure--lead")
        # The headline is a share of a named cohort, with its unknowns.
        expect(lead).to_contain_text("BAFTA TV 2021 Mini-Series nominees")
        expect(lead).to_contain_text("2 of 4 unknown")
        expect(lead).to_contain_text("95% interval 34% to 100%")
        expect(page.locator(".figure")).to_have_count(5)
        # No chart is drawn, so every chart's table is open and readable.
        expect(page.locator("canvas[data-chart-drawn]")).to_have_count(0)
        tables = page.locator("details.chart__table[open] table")
        expect(tables).to_have_count(4)
        for index in range(4):
            table = tables.nth(index)
            expect(table).to_be_visible()
            expect(table.locator("tbody tr").first).to_be_visible()
        expect(page.locator(".figure", has_text="tracked")).to_contain_text("14")
        expect(page.locator(".body-card")).to_have_count(3)
        expect(page.locator(".news__title").first).to_be_visible()
        expect(page.locator(".production-card").first).to_be_visible()
        screenshot(page, "case-phone-no-javascript")
    finally:
        context.close()


def test_every_link_shows_where_keyboard_focus_is(live_server, page, demo_with_news):
    page.goto(f"{live_server.url}/")
    page.wait_for_selector(ALL_CHARTS_DRAWN)
    # Links inside folded tables are skipped by Tab, so this is an upper bound.
    links = page.locator("a[href], summary").count()

    seen = set()
    for _ in range(links):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
              const el = document.activeElement;
              if (el === document.body) return null;
              const style = getComputedStyle(el);
              return {
                what: el.outerHTML.slice(0, 80),
                outline: style.outlineStyle,
                width: parseFloat(style.outlineWidth),
              };
            }"""
        )
        if focused is None:  # past the last link
            break
        seen.add(focused["what"])
        assert focused["outline"] != "none", focused
        assert focused["width"] >= 2, focused
    # Tab reached the figures, the tables and the news, not just the header.
    assert any("figure" not in what and "/productions/?" in what for what in seen)
    assert any("<summary" in what for what in seen)
    assert any("news__title" in what for what in seen)
