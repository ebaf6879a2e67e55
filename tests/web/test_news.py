"""The latest approved news on the case page and on the detail pages."""

import datetime as dt
import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.web.news_factories import ArticleMatchFactory, NewsArticleFactory
from tests.web.test_pages import text
from tracker import choices
from tracker.selectors.news import CASE_NEWS_LIMIT

pytestmark = pytest.mark.django_db


def news_titles(response) -> list[str]:
    return [
        unescape(title)
        for title in re.findall(
            r'<a class="news__title" href="[^"]+" rel="noopener nofollow">([^<]+)</a>',
            response.content.decode(),
        )
    ]


@pytest.fixture
def approved_article():
    """A Variety story approved as being about a production, a person and
    an organization."""
    variety = factories.OrganizationFactory(name="Variety", slug="variety")
    article = NewsArticleFactory(
        title="Ita O'Brien on I May Destroy You",
        canonical_url="https://variety.com/2025/tv/ita-obrien/",
        feed__publisher=variety,
        published_at=timezone.make_aware(dt.datetime(2025, 3, 14, 9, 30)),
    )
    ArticleMatchFactory(
        article=article,
        production=factories.ProductionFactory(
            title="I May Destroy You", slug="i-may-destroy-you"
        ),
    )
    ArticleMatchFactory(
        article=article,
        person=factories.PersonFactory(name="Ita O'Brien", slug="ita-obrien"),
    )
    ArticleMatchFactory(
        article=article, organization=factories.OrganizationFactory(name="HBO")
    )
    return article


def test_an_approved_article_shows_with_publisher_date_and_linked_records(
    client, approved_article
):
    response = client.get("/")
    html = response.content.decode()
    page = text(response)

    assert news_titles(response) == ["Ita O'Brien on I May Destroy You"]
    # The canonical URL, not the feed's tracking link.
    assert (
        '<a class="news__title" href="https://variety.com/2025/tv/ita-obrien/" '
        'rel="noopener nofollow">' in html
    )
    assert "Variety, 14 March 2025" in page
    assert "About HBO, Ita O'Brien, I May Destroy You" in page
    assert 'href="/productions/i-may-destroy-you/"' in html
    assert 'href="/people/ita-obrien/"' in html
    assert "No reviewed news yet." not in page


def test_an_article_without_a_publisher_is_credited_to_its_feed(client):
    ArticleMatchFactory(article__feed__name="Screen Daily")

    assert "Screen Daily, " in text(client.get("/"))


def test_pending_and_rejected_matches_stay_off_the_page(client):
    ArticleMatchFactory(
        article__title="Waiting for review", review_status=choices.ReviewStatus.PENDING
    )
    ArticleMatchFactory(
        article__title="Wrong Zendaya", review_status=choices.ReviewStatus.REJECTED
    )
    approved = ArticleMatchFactory(article__title="Checked by staff")
    # A rejected guess on an approved article is not shown as what it is about.
    ArticleMatchFactory(
        article=approved.article,
        person=factories.PersonFactory(name="Not Really Them"),
        review_status=choices.ReviewStatus.REJECTED,
    )

    response = client.get("/")

    assert news_titles(response) == ["Checked by staff"]
    assert "Not Really Them" not in text(response)


def test_the_case_page_shows_the_latest_few_newest_first(client):
    undated = ArticleMatchFactory(article__published_at=None).article
    articles = [ArticleMatchFactory().article for _ in range(CASE_NEWS_LIMIT + 1)]

    shown = news_titles(client.get("/"))

    newest_first = sorted(articles, key=lambda a: a.published_at, reverse=True)
    assert shown == [a.title for a in newest_first[:CASE_NEWS_LIMIT]]
    assert undated.title not in shown


def test_an_undated_article_comes_after_dated_ones(client):
    undated = ArticleMatchFactory(article__published_at=None).article
    dated = ArticleMatchFactory().article

    assert news_titles(client.get("/")) == [dated.title, undated.title]


def test_detail_pages_show_the_news_approved_about_them(client, approved_article):
    other = ArticleMatchFactory(article__title="About another production")
    ArticleMatchFactory(
        article__title="Pending about her",
        person=approved_article.matches.get(person__isnull=False).person,
        review_status=choices.ReviewStatus.PENDING,
    )

    production = client.get("/productions/i-may-destroy-you/")
    person = client.get("/people/ita-obrien/")
    unrelated = client.get(f"/productions/{other.production.slug}/")

    assert news_titles(production) == [approved_article.title]
    assert news_titles(person) == [approved_article.title]
    assert news_titles(unrelated) == ["About another production"]
    assert "In the news" in text(person)


def test_a_detail_page_without_news_has_no_news_section(client, db):
    factories.PersonFactory(slug="quiet")

    assert "In the news" not in text(client.get("/people/quiet/"))


def queries_for(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_news_costs_the_same_queries_however_many_articles(client):
    production = factories.ProductionFactory(slug="busy")
    person = factories.PersonFactory(slug="busy")
    ArticleMatchFactory(production=production)
    ArticleMatchFactory(person=person)
    pages = ("/", "/productions/busy/", "/people/busy/")
    before = {url: queries_for(client, url) for url in pages}

    for _ in range(8):
        article = NewsArticleFactory()
        ArticleMatchFactory(article=article, production=production)
        ArticleMatchFactory(article=article, person=person)
        ArticleMatchFactory(
            article=article, organization=factories.OrganizationFactory()
        )

    assert {url: queries_for(client, url) for url in pages} == before


def cached_case_page(client) -> str:
    """Renders the page once, so the next request is served from cache."""
    client.get("/")
    return text(client.get("/"))


def test_approving_in_the_review_queue_refreshes_the_case_page(client, admin_client):
    match = ArticleMatchFactory(
        article__title="Queue approval", review_status=choices.ReviewStatus.PENDING
    )
    assert "Queue approval" not in cached_case_page(client)

    admin_client.post(
        reverse("admin:tracker_articlematch_changelist"),
        {"action": "approve", "_selected_action": [match.pk]},
    )

    assert "Queue approval" in text(client.get("/"))


def test_approving_on_the_change_form_refreshes_the_case_page(client, admin_client):
    match = ArticleMatchFactory(
        article__title="Form approval", review_status=choices.ReviewStatus.PENDING
    )
    assert "Form approval" not in cached_case_page(client)

    response = admin_client.post(
        reverse("admin:tracker_articlematch_change", args=[match.pk]),
        {"review_status": choices.ReviewStatus.APPROVED, "_save": "Save"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Form approval" in text(client.get("/"))


def test_rejecting_an_approved_match_takes_it_off_the_case_page(client, admin_client):
    match = ArticleMatchFactory(article__title="Second thoughts")
    assert "Second thoughts" in cached_case_page(client)

    admin_client.post(
        reverse("admin:tracker_articlematch_changelist"),
        {"action": "reject", "_selected_action": [match.pk]},
    )

    assert "Second thoughts" not in text(client.get("/"))
