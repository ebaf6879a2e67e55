"""The staff side of /api/v1/news/: the articles matching nothing, the
leads, and POST /api/v1/news/{id}/source/, with its permission matrix over
the roles of setup_roles."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests import factories as f
from tests.web.news_factories import (
    ArticleMatchFactory,
    FeedFactory,
    NewsArticleFactory,
)
from tracker.choices import LeadStatus, ReviewStatus
from tracker.models import NewsArticle, Source
from tracker.selectors.review import leads_list
from tracker.services.roles import EDITOR, REVIEWER, VIEWER

pytestmark = pytest.mark.django_db

NEWS = "/api/v1/news/"
WHEN = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)


def source_url(article) -> str:
    return f"{NEWS}{article.pk}/source/"


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


@pytest.fixture
def staff(token_client):
    return token_client(f.StaffFactory(username="desk"))


@pytest.fixture
def news(db):
    """A matched article, a lead, a dismissed lead and an unflagged article
    that matches nothing."""
    matched = NewsArticleFactory(title="Matched")
    ArticleMatchFactory(article=matched, review_status=ReviewStatus.PENDING)
    return {
        "matched": matched,
        "lead": NewsArticleFactory(title="A lead", award_mention=True),
        "dismissed": NewsArticleFactory(
            title="Dismissed lead", lead_status=LeadStatus.DISMISSED
        ),
        "plain": NewsArticleFactory(title="Unflagged", ic_related=False),
    }


def test_staff_read_the_articles_that_match_nothing(staff, news):
    response = staff.get(NEWS, {"review_status": "unmatched"})

    assert set(titles(response)) == {"A lead", "Dismissed lead", "Unflagged"}
    assert all(item["matches"] == [] for item in response.json()["results"])


def test_leads_true_gives_the_leads_of_the_leads_admin(staff, news):
    response = staff.get(NEWS, {"leads": "true"})
    with_unmatched = staff.get(NEWS, {"leads": "true", "review_status": "unmatched"})

    assert titles(response) == ["A lead"]
    assert titles(with_unmatched) == ["A lead"]
    assert [a.title for a in leads_list()] == ["A lead"]


def test_leads_false_leaves_the_leads_out(staff, news):
    response = staff.get(NEWS, {"leads": "false", "review_status": "unmatched"})

    assert set(titles(response)) == {"Dismissed lead", "Unflagged"}


def test_one_lead_is_read_by_id(staff, news):
    lead = news["lead"]

    found = staff.get(f"{NEWS}{lead.pk}/", {"leads": "true"})
    not_a_lead = staff.get(f"{NEWS}{news['plain'].pk}/", {"leads": "true"})

    assert found.json()["title"] == "A lead"
    assert not_a_lead.status_code == 404


@pytest.mark.parametrize("status", ("pending", "approved", "rejected"))
def test_leads_with_a_review_status_of_a_match_is_a_400(staff, news, status):
    response = staff.get(NEWS, {"leads": "true", "review_status": status})

    assert response.status_code == 400
    assert "The leads match nothing" in response.json()["leads"][0]


@pytest.mark.parametrize(
    "params", ({"leads": "true"}, {"leads": "false"}, {"review_status": "unmatched"})
)
@pytest.mark.parametrize("who", ("anonymous", "not_staff"))
def test_only_staff_read_the_leads_and_the_unmatched(api, token_client, who, params):
    client = api if who == "anonymous" else token_client(f.UserFactory())

    response = client.get(NEWS, params)

    assert response.status_code == 400
    [name] = params
    assert "Only staff" in response.json()[name][0]


@pytest.mark.parametrize("value", ("maybe", ""))
def test_a_leads_value_that_is_not_true_or_false_is_a_400(staff, db, value):
    response = staff.get(NEWS, {"leads": value})

    assert response.status_code == 400
    assert list(response.json()) == ["leads"]


def _page_queries(client, params, size):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(NEWS, {**params, "page_size": size})
    assert len(response.json()["results"]) == size
    return len(queries)


@pytest.mark.parametrize(
    "params", ({"leads": "true"}, {"review_status": "unmatched"}), ids=str
)
def test_a_page_of_one_lead_costs_what_a_page_of_thirty_does(db, params):
    user = f.StaffFactory()
    client = APIClient()
    # A session, so the token's bookkeeping is not counted.
    client.force_authenticate(user)
    feed = FeedFactory(publisher=f.OrganizationFactory())
    NewsArticleFactory.create_batch(30, feed=feed, award_mention=True)

    one, thirty = _page_queries(client, params, 1), _page_queries(client, params, 30)

    assert one == thirty


# --- POST /api/v1/news/{id}/source/ ----------------------------------------


def member(role):
    call_command("setup_roles", stdout=None)
    user = f.StaffFactory()
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def article(db):
    feed = FeedFactory(publisher=f.OrganizationFactory(name="The Trade Paper"))
    return NewsArticleFactory(
        feed=feed,
        title="A new intimacy protocol on set",
        canonical_url="https://trade.example.org/news/protocol",
        published_at=WHEN,
    )


def test_staff_who_may_add_sources_make_one_then_find_it(token_client, article):
    client = token_client(member(EDITOR))

    made = client.post(source_url(article))
    again = client.post(source_url(article))

    assert made.status_code == 201, made.content
    assert again.status_code == 200
    assert made.json() == again.json()
    source = Source.objects.get()
    assert made.json()["slug"] == source.slug
    assert made.json()["url"] == "https://trade.example.org/news/protocol"
    assert (source.title, source.publisher, source.published_on) == (
        "A new intimacy protocol on set",
        "The Trade Paper",
        dt.date(2025, 3, 1),
    )
    article.refresh_from_db()
    assert article.source == source


def test_a_source_already_holding_the_url_is_returned(token_client, article):
    existing = f.SourceFactory(url=article.canonical_url, title="Filed by hand")

    response = token_client(member(EDITOR)).post(source_url(article))

    assert response.status_code == 200
    assert response.json()["slug"] == existing.slug
    assert Source.objects.count() == 1


def test_an_open_lead_made_a_source_leaves_the_leads(token_client, article):
    editor = member(EDITOR)

    token_client(editor).post(source_url(article))

    article.refresh_from_db()
    assert article.lead_status == LeadStatus.PROMOTED
    assert article.lead_reviewed_by == editor
    assert not leads_list().exists()


def test_a_matched_article_is_made_a_source_and_keeps_its_matches(
    token_client, article
):
    ArticleMatchFactory(article=article, review_status=ReviewStatus.APPROVED)

    response = token_client(member(EDITOR)).post(source_url(article))

    assert response.status_code == 201
    article.refresh_from_db()
    assert article.source is not None and article.matches.count() == 1


# (who, status): only the Editor holds the permission to add sources.
SOURCE_MATRIX = [
    ("anonymous", 401),
    ("not_staff", 403),
    (VIEWER, 403),
    (REVIEWER, 403),
    (EDITOR, 201),
]


@pytest.mark.parametrize(("who", "expected"), SOURCE_MATRIX)
def test_who_may_make_a_source_of_an_article(api, token_client, article, who, expected):
    if who == "anonymous":
        client = api
    elif who == "not_staff":
        # The permission alone, without being staff, is not enough.
        user = f.UserFactory()
        user.user_permissions.add(Permission.objects.get(codename="add_source"))
        client = token_client(user)
    else:
        client = token_client(member(who))

    response = client.post(source_url(article))

    assert response.status_code == expected, response.content
    assert response["Content-Type"].startswith("application/json")
    assert Source.objects.exists() is (expected == 201)


def test_a_signed_in_editor_needs_the_csrf_token(article):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(member(EDITOR))

    response = client.post(source_url(article))

    assert response.status_code == 403
    assert not Source.objects.exists()


def test_an_unknown_article_is_a_404(token_client, db):
    response = token_client(member(EDITOR)).post(f"{NEWS}999999/source/")

    assert response.status_code == 404


def test_the_source_route_takes_no_query_parameters(token_client, article):
    response = token_client(member(EDITOR)).post(
        source_url(article) + "?review_status=pending"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["review_status"]
    assert not Source.objects.exists()


@pytest.mark.parametrize("method", ("get", "put", "patch", "delete"))
def test_the_source_route_only_takes_post(token_client, article, method):
    response = getattr(token_client(member(EDITOR)), method)(source_url(article))

    assert response.status_code == 405
    assert NewsArticle.objects.get().source is None


def test_the_schema_describes_the_source_route(api, db):
    schema = api.get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/news/{id}/source/"]["post"]
    assert set(operation["responses"]) >= {"200", "201", "401", "403", "404"}
    assert "requestBody" not in operation
    assert operation["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Source"
    }
    parameters = {
        p["name"] for p in schema["paths"]["/api/v1/news/"]["get"]["parameters"]
    }
    assert {"leads", "review_status"} <= parameters
