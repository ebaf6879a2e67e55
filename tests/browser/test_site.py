"""The public site as a person uses it, in Chromium, on the demo data:
every page type checked by axe at phone and desktop widths, a crawl from
`/` that every record page is within three clicks of, and the journeys
the campaign's readers make (find a quote, open a figure, subscribe)."""

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import feedparser
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, ConsoleLog, screenshot
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


def go_home(page):
    """Back to the case page the way a reader goes: the site's name."""
    page.get_by_role("link", name="Intimacy coordination awards tracker").click()
    expect(page.locator("h1")).to_have_text(
        "The case for an award for intimacy coordination"
    )


def rendered_operations(page, origin) -> int:
    schema = page.request.get(f"{origin}/api/schema/?format=json").json()
    methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    return sum(len(methods & set(ops)) for ops in schema["paths"].values())


def test_a_newcomer_does_everything_issue_14_promises_from_the_case_page(
    live_server, page, console, demo, settings
):
    """Issue 14's "done when", from `/` by clicking or searching only:
    Bean's statement, Coel's dedication with both versions of the award,
    HBO's policy with its disputed scope, every figure opening a list of
    its count, the API docs with their operations, the evidence feed."""
    origin = live_server.url
    page.goto(f"{origin}/")

    # Sean Bean's statement, by searching from the header.
    page.get_by_role("searchbox", name="Search the tracker").fill("sean bean")
    page.get_by_role("button", name="Search", exact=True).first.click()
    statements = page.locator("section.search-group", has_text="Statements")
    expect(statements.locator(".record-row")).to_have_count(1)
    statements.get_by_role("link", name=re.compile("Sean Bean")).click()
    expect(page.locator("h1")).to_have_text("Sean Bean on intimacy coordinators")
    expect(page.locator(".detail-header")).to_contain_text("spoil the spontaneity")
    expect(page.locator(".citation__source").first).to_contain_text("Vulture")
    screenshot(page, "journey-1-bean-statement")

    # Coel's dedication: both versions of the award, on the card and the page.
    go_home(page)
    card = page.locator(".quote-card--dedication")
    expect(card).to_contain_text("Thank you for your existence in our industry")
    expect(card.locator(".quote-card__dispute")).to_contain_text(
        "The award: Leading Actress, as The Guardian, Deadline and HuffPost UK report."
    )
    expect(card.locator(".says-instead")).to_contain_text(
        "The Case for an Oscar for Best Intimacy Coordinator (MetaMedia Capital "
        "Inc.) says instead: the Mini-Series award."
    )
    card.get_by_role("link", name="dedicating an award").click()
    expect(page.locator("h1")).to_have_text("Dedication of an award by Michaela Coel")
    award = page.locator(".facts dt:has-text('Award') + dd")
    expect(award.get_by_role("link", name="Leading Actress")).to_be_visible()
    expect(award.locator(".says-instead")).to_contain_text("the Mini-Series award")
    expect(page.locator(".notice--disputed")).to_contain_text("Leading Actress")
    expect(page.locator(".citation--disputes")).to_contain_text(
        "she dedicated the best mini-series award"
    )
    screenshot(page, "journey-2-coel-dedication")

    # HBO's policy, from the policies figure, with its disputed scope.
    go_home(page)
    page.get_by_role("link", name=re.compile("studio and network policies")).click()
    expect(page.locator("[data-count]")).to_have_text("1")
    page.get_by_role("link", name=re.compile("HBO")).first.click()
    expect(page.locator("h1")).to_have_text(
        "HBO: Intimacy coordinators for every intimate scene"
    )
    scope = page.locator(".facts dt:has-text('Scope') + dd")
    expect(scope).to_contain_text("HBO series and films with intimate scenes.")
    expect(scope.locator(".says-instead")).to_contain_text(
        "says instead: all their sets."
    )
    expect(page.locator(".citation--supports")).to_have_count(2)
    screenshot(page, "journey-3-hbo-policy")

    # Every figure opens an HTML list of the same count.
    go_home(page)
    figures = page.locator(".figure a")
    expect(figures).to_have_count(5)
    for index in range(5):
        figure = page.locator(".figure a").nth(index)
        shown = figure.locator(".figure__number").inner_text()
        if shown.endswith("%"):  # a share: the list holds its numerator
            shown = figure.locator(".figure__detail").inner_text().split(" of ")[0]
        figure.click()
        expect(page.locator("[data-count]")).to_have_text(shown)
        expect(page).not_to_have_url(re.compile("/api/"))
        screenshot(page, f"journey-4-figure-{index}")
        go_home(page)

    # The API docs, from the footer, with every operation rendered.
    operations = rendered_operations(page, origin)
    page.get_by_role("link", name="public API").click()
    expect(page).to_have_url(f"{origin}/api/docs/")
    expect(page.locator(".opblock")).to_have_count(operations)
    screenshot(page, "journey-5-api-docs")

    # The evidence feed: announced to feed readers and linked in sight.
    page.go_back()
    feeds = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    expect(feeds.first).to_have_attribute("href", "/feeds/evidence.atom")
    follow = page.get_by_role(
        "link", name="Follow new and changed evidence (Atom feed)"
    )
    expect(follow).to_be_visible()
    expect(follow).to_have_attribute("href", "/feeds/evidence.atom")
    answer = page.request.get(f"{origin}{follow.get_attribute('href')}")
    assert answer.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(answer.body())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title and len(feed.entries) > 0

    assert console.errors == []


def test_tables_keep_their_key_column_in_view_on_a_phone(live_server, page, demo):
    # The narrowest phone in use (320 px): the network table, four columns
    # of counts, is wider than that.
    page.set_viewport_size({"width": 320, "height": 640})
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
