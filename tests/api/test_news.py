"""GET /api/v1/news/: approved articles for everyone, the review queue for
staff, strict filters, cursor pages, CSV, and no N+1."""

import csv
import datetime as dt
import io
import os

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories as f
from tracker.choices import MatchEntityType, MatchField, ReviewStatus
from tracker.models import ArticleMatch, Feed, NewsArticle

NEWS = "/api/v1/news/"
WHEN = dt.datetime(2025, 2, 17, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def feed(db):
    publisher = f.OrganizationFactory(name="The Trade Paper")
    return Feed.objects.create(
        url="https://trade.example/feed", name="Trade Paper", publisher=publisher
    )


@pytest.fixture
def article(feed):
    """An article maker: `article(title, published_at=..., ...)`."""
    made = iter(range(10_000))

    def make(title, **fields):
        n = next(made)
        fields.setdefault("published_at", WHEN - dt.timedelta(days=n))
        return NewsArticle.objects.create(
            feed=feed,
            canonical_url=f"https://trade.example/news/{n}",
            url=f"https://trade.example/news/{n}?utm_source=rss",
            title=title,
            content_hash=f"{n:064d}",
            **fields,
        )

    return make


def match(article, entity, status=ReviewStatus.APPROVED, score=0.9, **fields):
    entity_type = {
        "Production": MatchEntityType.PRODUCTION,
        "Person": MatchEntityType.PERSON,
        "Organization": MatchEntityType.ORGANIZATION,
    }[type(entity).__name__]
    return ArticleMatch.objects.create(
        article=article,
        entity_type=entity_type,
        **{entity_type: entity},
        alias=fields.pop("alias", str(entity)),
        field=fields.pop("field", MatchField.TITLE),
        position=0,
        score=score,
        review_status=status,
        **fields,
    )


@pytest.fixture
def entities(db):
    return {
        "production": f.ProductionFactory(title="I May Destroy You"),
        "person": f.PersonFactory(name="Ita O'Brien"),
        "organization": f.AwardBodyFactory(name="BAFTA"),
    }


@pytest.fixture
def staff_client(token_client):
    return token_client(f.StaffFactory(username="reviewer"))


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


def test_the_public_sees_only_articles_with_an_approved_match(api, article, entities):
    shown = article(
        "Coel thanks her intimacy coordinator at the BAFTAs",
        summary="<p>Michaela Coel dedicated her award.</p>",
        ic_related=True,
        award_mention=True,
    )
    match(shown, entities["production"], alias="I May Destroy You", score=0.95)
    match(shown, entities["person"], status=ReviewStatus.PENDING)
    match(shown, entities["organization"], status=ReviewStatus.REJECTED)
    match(article("Waiting for review"), entities["person"], ReviewStatus.PENDING)
    match(article("Turned down"), entities["person"], ReviewStatus.REJECTED)
    article("Never matched")

    response = api.get(NEWS)

    assert titles(response) == ["Coel thanks her intimacy coordinator at the BAFTAs"]
    assert response.json()["results"][0] == {
        "id": shown.pk,
        "title": "Coel thanks her intimacy coordinator at the BAFTAs",
        "url": "https://trade.example/news/0",
        "feed": "Trade Paper",
        "publisher": {"slug": "the-trade-paper", "name": "The Trade Paper"},
        "published_at": "2025-02-17T12:00:00+00:00",
        "summary": "<p>Michaela Coel dedicated her award.</p>",
        "ic_related": True,
        "award_mention": True,
        "matches": [
            {
                "entity_type": "production",
                "slug": entities["production"].slug,
                "name": "I May Destroy You",
                "alias": "I May Destroy You",
                "found_in": "title",
                "score": 0.95,
                "review_status": "approved",
            }
        ],
    }


def test_an_article_is_read_by_id_and_only_once_approved(api, article, entities):
    approved = article("Approved story")
    match(approved, entities["person"])
    pending = article("Pending story")
    match(pending, entities["person"], ReviewStatus.PENDING)

    assert api.get(f"{NEWS}{approved.pk}/").json()["title"] == "Approved story"
    assert api.get(f"{NEWS}{pending.pk}/").status_code == 404
    assert api.get(f"{NEWS}not-an-id/").status_code == 404


@pytest.mark.parametrize("status", ReviewStatus.values)
def test_staff_read_the_review_queue_by_status(staff_client, article, entities, status):
    for each in ReviewStatus.values:
        match(article(f"A {each} story"), entities["person"], each)
    # An approved article can still have a match waiting for review.
    mixed = article("Mixed")
    match(mixed, entities["production"], ReviewStatus.APPROVED)
    match(mixed, entities["person"], ReviewStatus.PENDING)
    expected = {f"A {status} story"} | ({"Mixed"} if status != "rejected" else set())

    response = staff_client.get(NEWS, {"review_status": status})

    assert set(titles(response)) == expected
    for item in response.json()["results"]:
        assert [m["review_status"] for m in item["matches"]] == [status]


def test_staff_read_one_pending_article(staff_client, article, entities):
    pending = article("Pending story")
    match(pending, entities["person"], ReviewStatus.PENDING)

    response = staff_client.get(f"{NEWS}{pending.pk}/", {"review_status": "pending"})

    assert response.json()["matches"][0]["review_status"] == "pending"


def test_staff_signed_in_to_the_admin_read_the_queue_too(api, article, entities):
    match(article("Pending story"), entities["person"], ReviewStatus.PENDING)
    api.force_login(f.StaffFactory(username="admin-reviewer"))

    assert titles(api.get(NEWS, {"review_status": "pending"})) == ["Pending story"]


@pytest.mark.parametrize("who", ("anonymous", "not_staff"))
def test_only_staff_may_ask_for_a_review_status(api, token_client, who):
    client = api if who == "anonymous" else token_client(f.UserFactory())

    response = client.get(NEWS, {"review_status": "approved"})

    assert response.status_code == 400
    assert "Only staff" in response.json()["review_status"][0]


def test_an_unknown_review_status_is_a_400(staff_client):
    response = staff_client.get(NEWS, {"review_status": "maybe"})

    assert response.status_code == 400
    assert list(response.json()) == ["review_status"]


@pytest.mark.parametrize("kind", ("production", "person", "organization"))
def test_entity_filter_keeps_articles_approved_for_that_record(
    api, article, entities, kind
):
    about = article("About it")
    match(about, entities[kind])
    other = f.PersonFactory(name="Someone Else")
    match(article("About someone else"), other)
    # Pending for this record: the public must not find it through the filter.
    hidden = article("Pending about it")
    match(hidden, entities[kind], ReviewStatus.PENDING)
    match(hidden, other)

    response = api.get(NEWS, {"entity": f"{kind}:{entities[kind].slug}"})

    assert titles(response) == ["About it"]


def test_entity_filter_follows_the_review_status_staff_ask_for(
    staff_client, article, entities
):
    match(article("Pending about Ita"), entities["person"], ReviewStatus.PENDING)
    match(article("Approved about Ita"), entities["person"])
    entity = f"person:{entities['person'].slug}"

    response = staff_client.get(NEWS, {"entity": entity, "review_status": "pending"})

    assert titles(response) == ["Pending about Ita"]


@pytest.mark.parametrize(
    ("value", "message"),
    (
        ("ita-obrien", "production:<slug>"),
        ("studio:hbo", "production:<slug>"),
        ("person:", "production:<slug>"),
        ("person:nobody-by-that-name", "does not exist"),
        ("", "A value is required."),
    ),
)
def test_a_bad_entity_is_a_400_naming_the_parameter(db, api, value, message):
    response = api.get(NEWS, {"entity": value})

    assert response.status_code == 400
    assert message in response.json()["entity"][0]


@pytest.mark.parametrize("flag", ("ic_related", "award_mention"))
def test_flag_filters(api, article, entities, flag):
    match(article("Flagged", **{flag: True}), entities["person"])
    match(article("Not flagged"), entities["person"])

    assert titles(api.get(NEWS, {flag: "true"})) == ["Flagged"]
    assert titles(api.get(NEWS, {flag: "false"})) == ["Not flagged"]


@pytest.mark.parametrize("flag", ("ic_related", "award_mention"))
def test_a_flag_that_is_not_true_or_false_is_a_400(db, api, flag):
    response = api.get(NEWS, {flag: "maybe"})

    assert response.status_code == 400
    assert list(response.json()) == [flag]


def test_published_date_filters(api, article, entities):
    for day in (10, 15, 20):
        story = article(f"Day {day}", published_at=WHEN.replace(day=day))
        match(story, entities["person"])

    after = api.get(NEWS, {"published_after": "2025-02-15"})
    before = api.get(NEWS, {"published_before": "2025-02-15"})
    between = api.get(
        NEWS, {"published_after": "2025-02-11", "published_before": "2025-02-19"}
    )

    assert titles(after) == ["Day 20", "Day 15"]
    assert titles(before) == ["Day 15", "Day 10"]
    assert titles(between) == ["Day 15"]


def test_a_bad_date_is_a_400_naming_the_parameter(db, api):
    response = api.get(NEWS, {"published_after": "last week"})

    assert response.status_code == 400
    assert list(response.json()) == ["published_after"]


def test_search_ignores_accents_and_case_in_title_and_summary(api, article, entities):
    match(article("Cöel's dedication", summary="<p>An award.</p>"), entities["person"])
    match(article("Another story", summary="<p>Intimacy work</p>"), entities["person"])
    match(article("Unrelated"), entities["person"])

    assert titles(api.get(NEWS, {"search": "COEL"})) == ["Cöel's dedication"]
    assert titles(api.get(NEWS, {"search": "intimacy"})) == ["Another story"]


def test_an_unknown_parameter_is_a_400(db, api):
    response = api.get(NEWS, {"ordering": "title"})

    assert response.status_code == 400
    assert "Unknown parameter" in response.json()["ordering"][0]


def test_newest_first_and_an_undated_article_by_when_it_was_stored(
    api, article, entities
):
    match(
        article("Old", published_at=WHEN - dt.timedelta(days=300)), entities["person"]
    )
    match(article("Undated, stored now", published_at=None), entities["person"])
    match(article("Newer", published_at=WHEN), entities["person"])

    assert titles(api.get(NEWS)) == ["Undated, stored now", "Newer", "Old"]


def test_cursor_pages_walk_every_article_once(api, article, entities):
    # Two articles share a date, so the cursor must break the tie by id.
    for n in range(7):
        story = article(f"Story {n}", published_at=WHEN - dt.timedelta(days=n // 2))
        match(story, entities["person"])

    seen, url = [], f"{NEWS}?page_size=3"
    while url:
        page = api.get(url).json()
        seen += [item["title"] for item in page["results"]]
        url = page["next"]

    # Same date: the later id first.
    assert seen == [f"Story {n}" for n in (1, 0, 3, 2, 5, 4, 6)]


def test_a_bad_page_size_is_a_400(db, api):
    response = api.get(NEWS, {"page_size": "lots"})

    assert response.status_code == 400
    assert list(response.json()) == ["page_size"]


def _page_queries(client, size: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(NEWS, {"page_size": size})
    assert len(response.json()["results"]) == size
    return len(queries)


def test_a_page_of_one_costs_the_same_queries_as_a_page_of_a_hundred(
    api, feed, entities
):
    articles = NewsArticle.objects.bulk_create(
        NewsArticle(
            feed=feed,
            canonical_url=f"https://trade.example/bulk/{n}",
            url=f"https://trade.example/bulk/{n}",
            title=f"Bulk {n}",
            content_hash=f"{n:064d}",
            published_at=WHEN - dt.timedelta(hours=n),
        )
        for n in range(100)
    )
    ArticleMatch.objects.bulk_create(
        ArticleMatch(
            article=a,
            entity_type=kind,
            **{kind: entities[kind]},
            alias="x",
            field=MatchField.SUMMARY,
            position=0,
            score=0.5,
            review_status=ReviewStatus.APPROVED,
        )
        for a in articles
        for kind in ("production", "person", "organization")
    )

    one, hundred = _page_queries(api, 1), _page_queries(api, 100)

    assert one == hundred <= 2


def test_csv_streams_every_filtered_article(api, article, entities):
    match(article("=HYPERLINK(bad)", ic_related=True), entities["production"])
    match(article("Flagged too", ic_related=True), entities["person"])
    match(article("Not flagged"), entities["person"])

    response = api.get(NEWS, {"format": "csv", "ic_related": "true"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="news.csv"' in response["Content-Disposition"]
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    )
    assert [row["title"] for row in rows] == ["'=HYPERLINK(bad)", "Flagged too"]
    assert rows[1]["matches"] == entities["person"].slug
    assert rows[0]["publisher"] == "the-trade-paper"


def test_csv_errors_are_json(db, api):
    response = api.get(NEWS, {"format": "csv", "entity": "nonsense"})

    assert response.status_code == 400
    assert response.json()["entity"]


def test_an_unchanged_list_answers_304(api, article, entities):
    match(article("Story"), entities["person"])
    etag = api.get(NEWS)["ETag"]

    assert api.get(NEWS, HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.parametrize("method", ("post", "put", "patch", "delete"))
def test_news_is_read_only_for_everyone(api, token_client, article, entities, method):
    story = article("Story")
    match(story, entities["person"])
    staff = f.StaffFactory(username="all-powerful")
    staff.user_permissions.set(
        Permission.objects.filter(content_type__app_label="tracker")
    )
    path = NEWS if method == "post" else f"{NEWS}{story.pk}/"

    anonymous = getattr(api, method)(path, {"title": "x"}, format="json")
    with_token = getattr(token_client(staff), method)(
        path, {"title": "x"}, format="json"
    )

    # The methods are not served at all, so no credential changes the answer.
    assert anonymous.status_code == 405
    assert with_token.status_code == 405
    for response in (anonymous, with_token):
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"]
    assert NewsArticle.objects.get().title == "Story"


def test_the_schema_documents_news_without_warnings(db):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", os.devnull)


def test_dated_at_falls_back_to_when_the_article_was_stored(article, entities):
    from tracker.selectors.news import news_article_list

    undated = article("Undated", published_at=None)
    match(undated, entities["person"])

    shown = news_article_list().get()

    assert shown.dated_at == undated.created_at
    assert shown.dated_at <= timezone.now()


@pytest.mark.parametrize(
    ("kind", "resource"),
    (
        ("production", "productions"),
        ("person", "people"),
        ("organization", "organizations"),
    ),
)
def test_a_record_links_to_its_approved_news(api, article, entities, kind, resource):
    match(article("About it"), entities[kind])
    match(article("Pending about it"), entities[kind], ReviewStatus.PENDING)

    record = api.get(f"/api/v1/{resource}/{entities[kind].slug}/").json()

    assert record["news"] == f"{NEWS}?entity={kind}:{entities[kind].slug}"
    assert titles(api.get(record["news"])) == ["About it"]
