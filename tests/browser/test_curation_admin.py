"""The curation pages in Chromium: each opens with no console error (the
CSP refuses inline script and style), a lead becomes a cited claim, and
claims are deprecated from their list."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import screenshot
from tests.browser.test_admin_to_case_page import choose
from tests.web.news_factories import (
    ArticleMatchFactory,
    FeedFactory,
    NewsArticleFactory,
)
from tracker.choices import ReviewStatus
from tracker.models import Production, Source, Statement

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "a-long-curator-password"  # pragma: allowlist secret


@pytest.fixture
def signed_in(live_server, page):
    factories.UserFactory(
        username="chief", password=PASSWORD, is_staff=True, is_superuser=True
    )
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/admin/")
    return page


def test_every_curation_page_opens_without_a_console_error(
    live_server, signed_in, console
):
    call_command("load_demo_data")
    page = signed_in
    production = Production.objects.get(slug="i-may-destroy-you")
    article = NewsArticleFactory(
        title="I May Destroy You's coordinator speaks",
        summary="<p>I May Destroy You had an intimacy coordinator.</p>",
    )
    ArticleMatchFactory(
        article=article,
        production=production,
        alias="I May Destroy You",
        review_status=ReviewStatus.PENDING,
    )
    lead = NewsArticleFactory(title="An untracked show's intimacy protocol")
    pages = {
        "/admin/": "#dashboard",
        "/admin/tracker/newsarticle/": "#result_list",
        f"/admin/tracker/newsarticle/{article.pk}/change/": "#cite-form",
        "/admin/tracker/lead/": "#result_list",
        f"/admin/tracker/lead/{lead.pk}/change/": "#cite-form",
        "/admin/tracker/ambiguousalias/": "#changelist",
        "/admin/tracker/articlematch/": "#result_list",
        "/admin/recent-changes/": "#recent-changes",
        f"/admin/tracker/production/{production.pk}/history/": "#inline-changes",
        f"/admin/tracker/production/{production.pk}/change/": "#id_change_reason",
        "/admin/tracker/production/import/": "#id_import_file",
        "/admin/tracker/production/export/": "#id_format",
        "/admin/tracker/feed/": "#changelist",
    }
    page.set_viewport_size({"width": 1280, "height": 900})
    for path, selector in pages.items():
        page.goto(f"{live_server.url}{path}")
        expect(page.locator(selector)).to_be_visible()
        assert console.errors == [], path
    page.goto(f"{live_server.url}/admin/tracker/newsarticle/")
    expect(page.locator("#result_list mark")).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, "admin-review-queue")
    assert width <= 1280


def test_a_lead_becomes_a_source_and_a_cited_claim(live_server, signed_in, console):
    page = signed_in
    publisher = factories.OrganizationFactory(name="Deadline")
    speaker = factories.PersonFactory(name="Jo Producer")
    feed = FeedFactory(publisher=publisher, name="Deadline feed")
    lead = NewsArticleFactory(
        feed=feed,
        title="New drama Fresh Show hires an intimacy coordinator",
        summary="<p>The showrunner said: we hired an intimacy coordinator "
        "for every episode.</p>",
    )

    page.goto(f"{live_server.url}/admin/tracker/lead/")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    page.locator("#result_list a", has_text="Open").click()
    summary = page.locator(".article-summary p")
    summary.select_text()
    page.locator(".article-summary").dispatch_event("mouseup")
    expect(page.locator("textarea.cite-passage")).to_have_value(
        "The showrunner said: we hired an intimacy coordinator for every episode."
    )
    page.select_option("#id_claim", "statement")
    page.click("input[name=cite]")
    expect(page).to_have_url(re.compile(r"/admin/tracker/statement/add/"))

    source = Source.objects.get()
    assert (source.url, source.publisher) == (lead.canonical_url, "Deadline")
    choose(page, "speaker", "Jo", speaker.name)
    page.select_option('select[name="stance"]', "supports")
    page.fill("#id_change_reason", "from a lead")
    page.locator('input[name="_save"]').first.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    statement = Statement.objects.get()
    citation = statement.citations.get()
    assert citation.source == source
    assert citation.quote == statement.quote
    assert "every episode" in citation.quote
    assert console.errors == []


def test_claims_are_deprecated_from_their_list_through_the_action_page(
    live_server, signed_in, console
):
    page = signed_in
    alpha = factories.ProductionFactory(title="Alpha")
    beta = factories.ProductionFactory(title="Beta")
    listing = f"{live_server.url}/admin/tracker/production/"

    page.goto(listing)
    for title in ("Alpha", "Beta"):
        row = page.locator("#result_list tbody tr", has_text=title)
        row.locator("input.action-select").check()
    page.select_option('select[name="action"]', "deprecate_selected")
    page.click('button[name="index"]')

    expect(page.locator("#deprecate-form")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Deprecate 2 productions")
    expect(page.locator("#deprecate-records li")).to_have_count(2)
    expect(page.locator("#id_deprecated_on")).to_have_value(
        timezone.localdate().isoformat()
    )
    expect(page.locator("#deprecate-form a.closelink")).to_have_attribute(
        "href", "/admin/tracker/production/"
    )
    screenshot(page, "admin-deprecate-claims")
    assert console.errors == []

    # Spaces pass the browser's `required`; the form refuses them.
    page.fill("#id_deprecation_reason", "   ")
    page.click('#deprecate-form input[type="submit"]')
    expect(page.locator(".errorlist")).to_contain_text("needs a reason")
    assert not Production.objects.filter(deprecated_on__isnull=False).exists()

    page.fill("#id_deprecation_reason", "Both were misattributed.")
    page.fill("#id_deprecated_on", "2026-03-04")
    page.click('#deprecate-form input[type="submit"]')
    expect(page).to_have_url(listing)
    expect(page.locator(".messagelist")).to_contain_text(
        "2 productions deprecated: “Alpha (2023)”, “Beta (2023)”."
    )
    for production in (alpha, beta):
        production.refresh_from_db()
        assert production.deprecated_on == dt.date(2026, 3, 4)
        assert production.deprecation_reason == "Both were misattributed."
    assert console.errors == []
