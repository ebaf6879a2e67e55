"""The public site as a person uses it, in Chromium, on the demo data:
every page type checked by axe at phone and desktop widths, a crawl from
`/` that every record page is within three clicks of, and the journeys
the campaign's readers make (find a quote, open a figure, subscribe)."""

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, ConsoleLog
from tests.browser.test_accessibility import AXE_OPTIONS
from tracker.demo import demo_data_load
from tracker.web.records import KINDS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

MAX_CLICKS = 3
OPEN_TABLES = "document.querySelectorAll('details').forEach((d) => d.open = true)"
# Followed only to check they answer: not pages of the public site.
NOT_CRAWLED = ("/admin/", "/api/", "/feeds/", "/static/", "/sitemap.xml")


@pytest.fixture
def demo(db):
    demo_data_load()


def record_pages() -> set[str]:
    return {
        kind.detail_url(record) for kind in KINDS for record in kind.model.objects.all()
    }


def one_page_of_each_type() -> list[str]:
    pages = ["/", "/search/?q=intimacy"]
    for kind in KINDS:
        pages.append(kind.index_url)
        pages.append(kind.detail_url(kind.model.objects.order_by("pk").first()))
    return pages


@pytest.mark.parametrize(
    ("width", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)]
)
def test_every_page_type_passes_axe(live_server, page, console, demo, width, viewport):
    page.set_viewport_size(viewport)
    axe = Axe()
    reports = {}
    for path in one_page_of_each_type():
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("h1")).to_be_visible()
        page.evaluate(OPEN_TABLES)
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            reports[path] = results.generate_report()

    assert reports == {}, "\n".join(reports.values())
    assert console.errors == []


def _links(page) -> list[dict]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll("a[href]")).map((a) => ({
              href: a.href,
              rel: a.getAttribute("rel") || "",
              type: a.getAttribute("type") || "",
            }))"""
    )


def test_a_crawl_from_the_case_page_reaches_every_record_and_nothing_breaks(
    live_server, browser, demo, settings
):
    """Breadth first from `/`, each URL once: every record page within
    three clicks, every link answering, no raw JSON outside the labelled
    alternates, no console error on any page."""
    # The crawl asks the API for every alternate in a few seconds; the
    # throttle has tests of its own (tests/api).
    settings.TRACKER_API_ANON_RATE = None
    origin = live_server.url
    context = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")
    page = context.new_page()
    console = ConsoleLog(page)
    depth = {"/": 0}
    queue = deque(["/"])
    checked: dict[str, int] = {}
    raw_json = []
    try:
        while queue:
            path = queue.popleft()
            response = page.goto(f"{origin}{path}", wait_until="load")
            checked[path] = response.status
            if depth[path] == MAX_CLICKS:
                continue
            for link in _links(page):
                url, _ = urldefrag(link["href"])
                if not url.startswith(origin):
                    continue
                parts = urlsplit(url)
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                if parts.path.startswith("/api/v1/") and not (
                    link["rel"] == "alternate" and link["type"]
                ):
                    raw_json.append((path, target))
                if target in depth:
                    continue
                depth[target] = depth[path] + 1
                if target.startswith(NOT_CRAWLED):
                    answer = page.request.get(f"{origin}{target}", max_redirects=0)
                    checked[target] = answer.status
                else:
                    queue.append(target)
    finally:
        context.close()

    broken = {url: status for url, status in checked.items() if status >= 400}
    assert broken == {}
    assert raw_json == []
    assert console.errors == []
    unreachable = record_pages() - {p for p, d in depth.items() if d <= MAX_CLICKS}
    assert unreachable == set()


def test_a_newcomer_finds_sean_beans_statement_by_searching(live_server, page, demo):
    page.goto(f"{live_server.url}/")

    page.get_by_role("searchbox", name="Search the tracker").fill("sean bean")
    page.get_by_role("button", name="Search", exact=True).first.click()

    statements = page.locator("section.search-group", has_text="Statements")
    expect(statements.locator(".record-row")).to_have_count(1)
    statements.get_by_role("link", name=re.compile("Sean Bean")).click()
    expect(page.locator("h1")).to_have_text("Sean Bean on intimacy coordinators")
    expect(page.locator(".citation").first).to_contain_text("Supports this")


def test_a_newcomer_opens_coels_dedication_from_the_case_page(live_server, page, demo):
    page.goto(f"{live_server.url}/")

    card = page.locator(".quote-card--dedication")
    expect(card).to_contain_text("Michaela Coel")
    expect(card).to_contain_text("BAFTA")
    card.get_by_role("link", name=re.compile("dedicating an award")).click()

    expect(page.locator("h1")).to_contain_text("Dedication of an award")
    expect(page.locator("#outcomes-title")).to_be_visible()
    expect(page.locator(".citation").first).to_be_visible()


def test_a_newcomer_finds_hbos_policy(live_server, page, demo):
    page.goto(f"{live_server.url}/")

    page.get_by_role("link", name=re.compile("studio and network policies")).click()
    expect(page.locator("[data-count]")).to_have_text("1")
    page.get_by_role("link", name=re.compile("HBO")).first.click()

    expect(page.locator("h1")).to_contain_text("Intimacy coordinators for every")
    expect(page.locator(".facts")).to_contain_text("Scope")
    # Its scope is disputed, and both sides are shown with their sources.
    expect(page.locator(".notice--disputed")).to_be_visible()
    expect(page.locator(".citation--disputes").first).to_be_visible()
    expect(page.locator(".citation--supports").first).to_be_visible()


def test_each_figure_opens_a_list_of_its_count(live_server, page, demo):
    page.goto(f"{live_server.url}/")
    figures = page.locator(".figure a")
    count = figures.count()
    assert count == 5

    for index in range(count):
        page.goto(f"{live_server.url}/")
        figure = page.locator(".figure a").nth(index)
        shown = figure.locator(".figure__number").inner_text()
        if shown.endswith("%"):
            shown = figure.locator(".figure__detail").inner_text().split(" of ")[0]
        figure.click()
        expect(page.locator("[data-count]")).to_have_text(shown)
        assert "/api/" not in page.url


def test_a_reader_subscribes_to_the_evidence_feed(live_server, page, demo):
    page.goto(f"{live_server.url}/")
    link = page.get_by_role("link", name="Follow new and changed evidence (Atom feed)")

    href = link.get_attribute("href")
    answer = page.request.get(f"{live_server.url}{href}")

    assert answer.status == 200
    assert answer.headers["content-type"].startswith("application/atom+xml")
    assert "<feed" in answer.text()


def test_tables_keep_their_key_column_in_view_on_a_phone(live_server, page, demo):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/")
    page.evaluate(OPEN_TABLES)
    scroller = page.locator(".table-scroll").nth(1)

    overflow = scroller.evaluate("el => el.scrollWidth - el.clientWidth")
    assert overflow > 0, "the table fits: nothing to scroll"
    scroller.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    key = scroller.locator("tbody th").first
    box, frame = key.bounding_box(), scroller.bounding_box()

    assert box["x"] >= frame["x"] - 1
    assert box["x"] + box["width"] <= frame["x"] + frame["width"]
    expect(key).to_be_visible()


def test_no_colour_means_two_things_across_the_charts(live_server, page, demo):
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("canvas[data-chart-drawn] >> nth=3")

    colours = page.evaluate(
        """() => Object.fromEntries(
              Array.from(document.querySelectorAll("canvas[data-chart-data]"))
                .map((canvas) => [
                  canvas.id,
                  window.Chart.getChart(canvas).data.datasets
                    .flatMap((d) => [].concat(d.backgroundColor)),
                ]))"""
    )
    ic = set(colours["chart-ic-by-year"]) | set(colours["chart-ic-by-organization"])
    bodies = set(colours["chart-award-mentions"])
    stances = set(colours["chart-statements"])

    assert len(ic) == 3
    assert ic.isdisjoint(bodies)
    assert ic.isdisjoint(stances)
    assert bodies.isdisjoint(stances)
