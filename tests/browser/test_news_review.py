"""Staff approve a news match in the review queue; the case page shows it."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import PHONE, SCREENSHOTS, screenshot
from tests.web.news_factories import ArticleMatchFactory
from tracker.choices import ReviewStatus
from tracker.demo import demo_data_load
from tracker.models import ArticleMatch, Organization, Production

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "a-long-reviewer-password"  # pragma: allowlist secret
TITLE = "Ita O'Brien: the coordinator behind I May Destroy You"
CANONICAL_URL = "https://www.hollywoodreporter.com/tv/ita-obrien-interview/"


@pytest.fixture
def reviewer(db):
    """A staff member who may only review news matches."""
    user = factories.StaffFactory(username="reviewer", password=PASSWORD)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="tracker",
            codename__in=["view_articlematch", "change_articlematch"],
        )
    )
    return user


@pytest.fixture
def pending_match(db):
    demo_data_load()
    match = ArticleMatchFactory(
        production=Production.objects.get(slug="i-may-destroy-you"),
        article__title=TITLE,
        article__canonical_url=CANONICAL_URL,
        article__feed__name="The Hollywood Reporter",
        article__feed__publisher=Organization.objects.filter(
            slug="the-hollywood-reporter"
        ).first(),
        article__published_at=timezone.make_aware(dt.datetime(2025, 6, 2, 8)),
        alias="I May Destroy You",
        review_status=ReviewStatus.PENDING,
    )
    return match


def test_a_match_approved_in_the_review_queue_appears_on_the_case_page(
    live_server, page, console, reviewer, pending_match
):
    # The page is rendered, and cached, before the approval.
    page.goto(f"{live_server.url}/")
    expect(page.locator(".news__title", has_text=TITLE)).to_have_count(0)

    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/admin/")

    page.goto(
        f"{live_server.url}/admin/tracker/articlematch/?review_status__exact=pending"
    )
    row = page.locator("#result_list tbody tr", has_text=TITLE)
    expect(row).to_have_count(1)
    row.locator("input.action-select").check()
    page.select_option('select[name="action"]', "approve")
    screenshot(page, "admin-news-review-queue")
    page.click('button[name="index"]')
    expect(page.locator(".messagelist")).to_contain_text("1 match(es) approved.")
    pending_match.refresh_from_db()
    assert pending_match.review_status == ReviewStatus.APPROVED
    assert pending_match.reviewed_by == reviewer

    page.goto(f"{live_server.url}/")
    # The browser may keep the anonymous copy it saw for max-age (60 s,
    # Cache-Control public); a reload revalidates it against the new data
    # version, as a reader's next visit after max-age does.
    page.reload()
    item = page.locator(".news__item", has_text=TITLE)
    expect(item).to_be_visible()
    link = item.locator("a.news__title")
    expect(link).to_have_attribute("href", CANONICAL_URL)
    assert set(link.get_attribute("rel").split()) == {"noopener", "nofollow"}
    expect(item.locator(".news__meta")).to_contain_text("2 June 2025")
    item.scroll_into_view_if_needed()
    screenshot(page, "case-news-desktop")

    item.locator(".news__about a", has_text="I May Destroy You").click()
    expect(page).to_have_url(f"{live_server.url}/productions/i-may-destroy-you/")
    expect(page.locator(".news__title", has_text=TITLE)).to_be_visible()

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/#news")
    expect(page.locator(".news__item", has_text=TITLE)).to_be_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"]
    screenshot(page, "case-news-phone")
    # The whole phone page shrinks past reading size; the section alone too.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#news").screenshot(path=str(SCREENSHOTS / "news-phone.png"))
    assert console.errors == []
    assert ArticleMatch.objects.filter(review_status=ReviewStatus.PENDING).count() == 0
