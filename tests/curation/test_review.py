"""The curation loop in the admin: the review queue per article, leads,
matching memory, from an article to a source and a claim, permissions."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse

from tests import factories
from tests.web.news_factories import (
    ArticleMatchFactory,
    FeedFactory,
    NewsArticleFactory,
)
from tracker.choices import CitationStance, LeadStatus, ReviewStatus
from tracker.models import (
    AmbiguousAlias,
    ArticleMatch,
    AwardOutcome,
    Citation,
    Feed,
    NewsArticle,
    Production,
    Source,
    Statement,
)
from tracker.news.match import Entity, Matcher
from tracker.news.match_store import entities_load
from tracker.services.review import matches_decide

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:tracker_newsarticle_changelist")
LEADS = reverse("admin:tracker_lead_changelist")


def staff_with(*codenames):
    user = factories.StaffFactory()
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="tracker", codename__in=codenames
        )
    )
    return user


def pending(article=None, **kwargs):
    if article is not None:
        kwargs["article"] = article
    return ArticleMatchFactory(review_status=ReviewStatus.PENDING, **kwargs)


# --- the queue ---------------------------------------------------------------


def test_the_queue_lists_articles_pending_first(admin_client):
    reviewed = NewsArticleFactory(title="Already reviewed")
    ArticleMatchFactory(article=reviewed)
    waiting = NewsArticleFactory(title="Waiting")
    pending(waiting)
    pending(waiting)
    NewsArticleFactory(title="No match at all", ic_related=False)

    response = admin_client.get(QUEUE)

    titles = [a.title for a in response.context["cl"].result_list]
    assert titles == ["Waiting", "Already reviewed"]
    assert response.context["cl"].result_list[0].pending_total == 2


def test_a_row_shows_the_link_feed_flags_and_a_highlighted_snippet(admin_client):
    person = factories.PersonFactory(name="Ita O'Brien")
    article = NewsArticleFactory(
        summary="<p>A long story in which Ita O'Brien talks about the set.</p>",
        canonical_url="https://trade.example.org/story",
        award_mention=True,
    )
    pending(article, person=person, alias="Ita O'Brien")

    page = admin_client.get(QUEUE).content.decode()

    assert 'href="https://trade.example.org/story"' in page
    assert "<mark>Ita O&#x27;Brien</mark>" in page
    assert article.feed.name in page
    assert 'class="flag flag--award"' in page


def test_approving_a_whole_article_approves_each_of_its_matches(
    admin_client, superuser
):
    article = NewsArticleFactory()
    first, second = pending(article), pending(article)
    other = pending()

    admin_client.post(QUEUE, {"action": "approve", "_selected_action": [article.pk]})

    statuses = dict(ArticleMatch.objects.values_list("pk", "review_status"))
    assert statuses[first.pk] == statuses[second.pk] == ReviewStatus.APPROVED
    assert statuses[other.pk] == ReviewStatus.PENDING
    assert ArticleMatch.objects.get(pk=first.pk).reviewed_by == superuser


def test_a_single_match_is_decided_in_the_article_form(admin_client):
    article = NewsArticleFactory()
    keep, drop = pending(article), pending(article)
    prefix = "matches"
    form = {
        f"{prefix}-TOTAL_FORMS": "2",
        f"{prefix}-INITIAL_FORMS": "2",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        f"{prefix}-0-id": keep.pk,
        f"{prefix}-0-article": article.pk,
        f"{prefix}-0-review_status": "approved",
        f"{prefix}-0-rejection_reason": "",
        f"{prefix}-1-id": drop.pk,
        f"{prefix}-1-article": article.pk,
        f"{prefix}-1-review_status": "rejected",
        f"{prefix}-1-rejection_reason": "another film of that name",
    }

    response = admin_client.post(
        reverse("admin:tracker_newsarticle_change", args=[article.pk]), form
    )

    assert response.status_code == 302
    keep.refresh_from_db()
    drop.refresh_from_db()
    assert keep.review_status == ReviewStatus.APPROVED
    assert (drop.review_status, drop.rejection_reason) == (
        ReviewStatus.REJECTED,
        "another film of that name",
    )


def test_the_queue_costs_the_same_queries_for_1_or_n_articles(
    admin_client, django_assert_num_queries
):
    def count_for(n):
        NewsArticle.objects.all().delete()
        for _ in range(n):
            article = NewsArticleFactory()
            for _ in range(n):
                pending(article)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(QUEUE).status_code == 200
        return len(queries)

    assert count_for(1) == count_for(4)


# --- leads -------------------------------------------------------------------


def test_a_flagged_article_that_matches_nothing_is_a_lead(admin_client):
    lead = NewsArticleFactory(title="A new intimacy protocol on an untracked show")
    NewsArticleFactory(title="Not about ICs", ic_related=False)
    pending(NewsArticleFactory(title="Matched"))

    response = admin_client.get(LEADS)

    assert [a.pk for a in response.context["cl"].result_list] == [lead.pk]


def test_dismissed_leads_leave_the_list(admin_client):
    lead = NewsArticleFactory()

    admin_client.post(LEADS, {"action": "dismiss", "_selected_action": [lead.pk]})

    lead.refresh_from_db()
    assert lead.lead_status == LeadStatus.DISMISSED
    assert admin_client.get(LEADS).context["cl"].result_count == 0


def test_promoting_a_lead_reuses_the_source_with_its_url(admin_client):
    existing = factories.SourceFactory(url="https://trade.example.org/news/protocol")
    lead = NewsArticleFactory(canonical_url=existing.url)
    other = NewsArticleFactory(canonical_url="https://trade.example.org/news/new")

    admin_client.post(
        LEADS, {"action": "promote", "_selected_action": [lead.pk, other.pk]}
    )

    lead.refresh_from_db()
    other.refresh_from_db()
    assert lead.source == existing
    assert other.source.url == other.canonical_url
    assert other.source.title == other.title
    assert other.source.published_on == other.published_at.date()
    assert Source.objects.count() == 2
    assert {lead.lead_status, other.lead_status} == {LeadStatus.PROMOTED}


def test_the_cite_step_makes_a_source_and_opens_a_prefilled_claim(admin_client):
    publisher = factories.OrganizationFactory(name="The Hollywood Reporter")
    feed = FeedFactory(publisher=publisher)
    lead = NewsArticleFactory(feed=feed, title="Intimacy protocol on Fresh Show")

    response = admin_client.post(
        reverse("admin:tracker_lead_cite", args=[lead.pk]),
        {"claim": "statement", "passage": "We hired an intimacy coordinator."},
    )

    source = Source.objects.get()
    assert source.publisher == "The Hollywood Reporter"
    assert response.status_code == 302
    form = admin_client.get(response["Location"])
    assert form.status_code == 200
    page = form.content.decode()
    assert f'value="{source.pk}" selected' in page or str(source) in page
    assert "We hired an intimacy coordinator." in page


# --- matching memory -----------------------------------------------------------


def test_three_rejections_in_a_row_make_an_alias_ambiguous(superuser, settings):
    settings.TRACKER_AMBIGUOUS_AFTER_REJECTIONS = 3
    person = factories.PersonFactory(name="Bite")
    matches = [pending(person=person, alias="Bite") for _ in range(3)]

    for match in matches[:2]:
        matches_decide(match_ids=[match.pk], status="rejected", reviewer=superuser)
    assert not AmbiguousAlias.objects.exists()
    matches_decide(
        match_ids=[matches[2].pk],
        status="rejected",
        reviewer=superuser,
        reason="a verb",
    )

    alias = AmbiguousAlias.objects.get()
    assert (alias.person, alias.alias, alias.rejections, alias.last_reason) == (
        person,
        "Bite",
        3,
        "a verb",
    )


def test_an_approval_breaks_the_streak(superuser, settings):
    settings.TRACKER_AMBIGUOUS_AFTER_REJECTIONS = 2
    person = factories.PersonFactory(name="Bite")
    first, second, third = (pending(person=person, alias="Bite") for _ in range(3))

    matches_decide(match_ids=[first.pk], status="rejected", reviewer=superuser)
    matches_decide(match_ids=[second.pk], status="approved", reviewer=superuser)
    matches_decide(match_ids=[third.pk], status="rejected", reviewer=superuser)

    assert not AmbiguousAlias.objects.exists()


def test_an_ambiguous_alias_needs_context_and_clearing_lifts_it(
    admin_client, superuser, settings
):
    settings.TRACKER_AMBIGUOUS_AFTER_REJECTIONS = 1
    person = factories.PersonFactory(name="Grace", aliases=[])
    matches_decide(
        match_ids=[pending(person=person, alias="Grace").pk],
        status="rejected",
        reviewer=superuser,
    )

    matcher = Matcher(entities_load())
    plain = matcher.match("Saying grace at dinner: GRACE period ends", "")
    exact = matcher.match("Grace spoke to the press", "")
    context = matcher.match("GRACE, the intimacy coordinator, spoke", "")

    assert plain.matches == []
    assert [m.name for m in exact.matches] == ["Grace"]
    assert [m.name for m in context.matches] == ["Grace"]

    alias = AmbiguousAlias.objects.get()
    admin_client.post(
        reverse("admin:tracker_ambiguousalias_changelist"),
        {"action": "clear", "_selected_action": [alias.pk]},
    )
    assert Matcher(entities_load()).match("GRACE period ends", "").matches != []


def test_the_matcher_without_memory_is_unchanged():
    entity = Entity("person", 1, "Grace", ("Grace",))

    assert Matcher([entity]).match("GRACE period ends", "").matches != []


# --- permissions ----------------------------------------------------------------


def test_view_only_staff_cannot_publish_anything(client):
    viewer = staff_with(
        "view_newsarticle", "view_articlematch", "view_feed", "view_lead"
    )
    client.force_login(viewer)
    article = NewsArticleFactory()
    match = pending(article)
    feed = Feed.objects.get(pk=article.feed_id)
    Feed.objects.filter(pk=feed.pk).update(active=False, disabled_reason="x")

    client.post(QUEUE, {"action": "approve", "_selected_action": [article.pk]})
    client.post(
        reverse("admin:tracker_articlematch_changelist"),
        {"action": "approve", "_selected_action": [match.pk]},
    )
    client.post(
        reverse("admin:tracker_feed_changelist"),
        {"action": "reactivate", "_selected_action": [feed.pk]},
    )
    change = client.post(
        reverse("admin:tracker_articlematch_change", args=[match.pk]),
        {"review_status": "approved"},
    )

    match.refresh_from_db()
    feed.refresh_from_db()
    assert match.review_status == ReviewStatus.PENDING
    assert not feed.active
    assert change.status_code == 403
    assert client.get(QUEUE).status_code == 200


@pytest.mark.parametrize(
    ("codenames", "approves", "reactivates"),
    [
        (("view_articlematch", "change_articlematch", "view_newsarticle"), True, False),
        (("view_feed", "change_feed"), False, True),
        (("view_articlematch", "view_newsarticle", "view_feed"), False, False),
    ],
    ids=["match-reviewer", "feed-keeper", "viewer"],
)
def test_actions_need_the_change_permission_of_their_model(
    client, codenames, approves, reactivates
):
    client.force_login(staff_with(*codenames))
    match = pending()
    feed = Feed.objects.get(pk=match.article.feed_id)
    Feed.objects.filter(pk=feed.pk).update(active=False)

    client.post(
        reverse("admin:tracker_articlematch_changelist"),
        {"action": "approve", "_selected_action": [match.pk]},
    )
    client.post(
        reverse("admin:tracker_feed_changelist"),
        {"action": "reactivate", "_selected_action": [feed.pk]},
    )

    match.refresh_from_db()
    feed.refresh_from_db()
    assert (match.review_status == ReviewStatus.APPROVED) is approves
    assert feed.active is reactivates


def test_promoting_a_lead_needs_permission_to_add_sources(client):
    client.force_login(staff_with("view_lead", "change_lead"))
    lead = NewsArticleFactory()

    client.post(LEADS, {"action": "promote", "_selected_action": [lead.pk]})
    cite = client.post(
        reverse("admin:tracker_lead_cite", args=[lead.pk]), {"claim": "policy"}
    )

    assert not Source.objects.exists()
    assert cite.status_code == 403


def test_the_index_shows_groups_and_pending_counts(admin_client):
    call_command("load_demo_data")
    pending(NewsArticleFactory())
    NewsArticleFactory()  # a lead
    FeedFactory(name="Broken feed", last_status="error", last_error="HTTP 500")

    response = admin_client.get(reverse("admin:index"))

    names = [app["name"] for app in response.context["app_list"]]
    assert names[:5] == ["Evidence", "Campaigns", "News", "Webhooks", "Access"]
    dashboard = response.context["dashboard"]
    assert (dashboard.pending_articles, dashboard.leads) == (1, 1)
    assert "Broken feed" in response.content.decode()


def _queries_for(client, url, make, n):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(n):
        make()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_match_list_costs_the_same_queries_for_1_or_n(admin_client):
    url = reverse("admin:tracker_articlematch_changelist")

    one = _queries_for(admin_client, url, pending, 1)
    many = _queries_for(admin_client, url, pending, 5)

    assert one == many


def test_the_ambiguous_alias_list_costs_the_same_queries_for_1_or_n(admin_client):
    url = reverse("admin:tracker_ambiguousalias_changelist")

    def make():
        person = factories.PersonFactory()
        AmbiguousAlias.objects.create(
            entity_type="person", person=person, alias=person.name, rejections=3
        )

    assert _queries_for(admin_client, url, make, 1) == _queries_for(
        admin_client, url, make, 5
    )


def disputed(claim):
    """The claim, with a current citation disputing it."""
    Citation.objects.create(
        claim=claim,
        source=factories.SourceFactory(),
        stance=CitationStance.DISPUTES,
        quote="It did not.",
    )
    return claim


def test_the_dashboard_counts_and_links_the_disputed_claims(admin_client):
    statement = disputed(factories.StatementFactory())
    outcome = disputed(factories.AwardOutcomeFactory())
    production = disputed(factories.ProductionFactory(title="Disputed show"))
    # Deprecated: it no longer stands, so nothing is left to settle.
    old = disputed(factories.StatementFactory())
    Statement.objects.filter(pk=old.pk).update(
        deprecated_on=dt.date(2025, 1, 1), deprecation_reason="Retracted."
    )
    factories.StatementFactory()  # undisputed
    Citation.objects.create(
        claim=factories.PolicyFactory(),
        source=factories.SourceFactory(),
        stance=CitationStance.DISPUTES,
        deprecated_on=dt.date(2025, 1, 1),
        deprecation_reason="The source corrected itself.",
    )

    response = admin_client.get(reverse("admin:index"))

    dashboard = response.context["dashboard"]
    assert dashboard.disputed_total == 3
    assert {(g.model, g.count) for g in dashboard.disputed_claims} == {
        (Statement, 1),
        (AwardOutcome, 1),
        (Production, 1),
    }
    page = response.content.decode()
    statements = reverse("admin:tracker_statement_changelist")
    assert f"{statements}?disputed=yes&amp;deprecated=no" in page
    for claim in (statement, outcome, production):
        name = claim._meta.model_name
        assert reverse(f"admin:tracker_{name}_change", args=[claim.pk]) in page
    assert reverse("admin:tracker_statement_change", args=[old.pk]) not in page
    listed = admin_client.get(f"{statements}?disputed=yes&deprecated=no")
    assert list(listed.context["cl"].result_list) == [statement]


def test_the_dashboard_counts_only_the_claims_a_viewer_may_open(client):
    disputed(factories.StatementFactory())
    disputed(factories.PolicyFactory())
    client.force_login(staff_with("view_statement"))

    response = client.get(reverse("admin:index"))

    assert [g.model for g in response.context["dashboard"].disputed_claims] == [
        Statement
    ]


def test_the_dashboard_costs_the_same_queries_for_1_or_n(admin_client):
    def make():
        FeedFactory(last_status="error", last_error="HTTP 500")
        pending(NewsArticleFactory())
        factories.StatementFactory()
        disputed(factories.StatementFactory())
        disputed(factories.AwardOutcomeFactory(production=None))
        disputed(factories.CampaignMilestoneFactory())

    assert _queries_for(admin_client, reverse("admin:index"), make, 1) == (
        _queries_for(admin_client, reverse("admin:index"), make, 4)
    )
