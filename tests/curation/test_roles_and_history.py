"""Roles as a matrix over the admin and the API; history that shows inline
changes and reasons; the recent changes page."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.web.news_factories import ArticleMatchFactory, NewsArticleFactory
from tracker import choices
from tracker.models import ApiToken, ArticleMatch, Production, Statement
from tracker.services.roles import EDITOR, REVIEWER, VIEWER

pytestmark = pytest.mark.django_db


def member(role):
    call_command("setup_roles", stdout=None)
    user = factories.StaffFactory()
    user.groups.add(Group.objects.get(name=role))
    return user


def test_setup_roles_twice_changes_nothing():
    call_command("setup_roles")
    before = {g.name: set(g.permissions.all()) for g in Group.objects.all()}
    call_command("setup_roles")

    assert {g.name: set(g.permissions.all()) for g in Group.objects.all()} == before
    assert set(before) == {EDITOR, REVIEWER, VIEWER}


# (role, may edit claims and sources, may review news)
MATRIX = [(EDITOR, True, False), (REVIEWER, False, True), (VIEWER, False, False)]


@pytest.mark.parametrize(("role", "edits", "reviews"), MATRIX)
def test_roles_in_the_admin(client, role, edits, reviews):
    client.force_login(member(role))
    speaker = factories.PersonFactory()
    source = factories.SourceFactory()
    match = ArticleMatchFactory(review_status=choices.ReviewStatus.PENDING)

    add = client.post(
        reverse("admin:tracker_statement_add"),
        {
            "speaker": speaker.pk,
            "quote": "ICs make the work safer.",
            "stance": "supports",
            "date_precision": "day",
            "tracker-citation-content_type-object_id-TOTAL_FORMS": "1",
            "tracker-citation-content_type-object_id-INITIAL_FORMS": "0",
            "tracker-citation-content_type-object_id-0-source": source.pk,
            "tracker-citation-content_type-object_id-0-stance": "supports",
        },
    )
    client.post(
        reverse("admin:tracker_newsarticle_changelist"),
        {"action": "approve", "_selected_action": [match.article_id]},
    )

    assert Statement.objects.exists() is edits
    assert add.status_code == (302 if edits else 403)
    match.refresh_from_db()
    assert (match.review_status == choices.ReviewStatus.APPROVED) is reviews
    assert client.get(reverse("admin:tracker_production_changelist")).status_code == 200
    assert client.get(reverse("admin:tracker_apitoken_changelist")).status_code == 403


@pytest.mark.parametrize(("role", "edits", "reviews"), MATRIX)
def test_roles_in_the_api(client, role, edits, reviews):
    user = member(role)
    _, secret = ApiToken.issue(user, name="test")
    speaker = factories.PersonFactory()
    source = factories.SourceFactory()

    response = client.post(
        "/api/v1/statements/",
        {
            "speaker": speaker.slug,
            "quote": "ICs make the work safer.",
            "stance": "supports",
            "citations": [{"source": source.slug, "stance": "supports"}],
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {secret}",
    )
    read = client.get("/api/v1/statements/", HTTP_AUTHORIZATION=f"Token {secret}")

    assert response.status_code in ((201,) if edits else (403,)), response.content
    assert read.status_code == 200


def test_an_inline_change_shows_on_the_parent_history_with_its_reason(admin_client):
    production = factories.ProductionFactory(title="Bridgerton")
    citation = production.citations.get()
    form = {
        "title": "Bridgerton",
        "slug": production.slug,
        "kind": production.kind,
        "ic_status": production.ic_status,
        "ic_evidence": production.ic_evidence,
        "aliases": "",
        "change_reason": "quote checked against the article",
        "credits-TOTAL_FORMS": "0",
        "credits-INITIAL_FORMS": "0",
        "tracker-citation-content_type-object_id-TOTAL_FORMS": "1",
        "tracker-citation-content_type-object_id-INITIAL_FORMS": "1",
        "tracker-citation-content_type-object_id-0-id": citation.pk,
        "tracker-citation-content_type-object_id-0-source": citation.source_id,
        "tracker-citation-content_type-object_id-0-stance": "supports",
        "tracker-citation-content_type-object_id-0-quote": "A new, exact quote.",
    }

    response = admin_client.post(
        reverse("admin:tracker_production_change", args=[production.pk]), form
    )
    page = admin_client.get(
        reverse("admin:tracker_production_history", args=[production.pk])
    )

    assert response.status_code == 302, response.context["errors"]
    entry = page.context["inline_changes"][0]
    assert entry.record.history_change_reason == "quote checked against the article"
    assert [(c.field, c.new) for c in entry.changes] == [
        ("quote", "A new, exact quote.")
    ]
    assert "A new, exact quote." in page.content.decode()
    assert production.history.latest().history_change_reason == (
        "quote checked against the article"
    )


def test_every_edit_form_has_a_change_reason(admin_client):
    from django.contrib import admin

    from tracker.admin.core import TrackerAdmin

    for model, model_admin in admin.site._registry.items():
        if not isinstance(
            model_admin, TrackerAdmin
        ) or not model_admin.has_add_permission(
            type("R", (), {"user": factories.UserFactory(is_superuser=True)})()
        ):
            continue
        page = admin_client.get(
            reverse(f"admin:tracker_{model._meta.model_name}_add")
        ).content.decode()
        assert 'name="change_reason"' in page, model


def test_recent_changes_lists_edits_across_the_tracker(admin_client):
    call_command("load_demo_data")
    Production.objects.filter(slug="i-may-destroy-you").first().save()

    response = admin_client.get(reverse("admin:recent_changes"))

    changes = response.context["changes"]
    assert changes[0].name.startswith("I May Destroy You")
    assert {c.label for c in changes} >= {"production", "citation", "statement"}


def test_recent_changes_costs_the_same_queries_for_1_or_n_records(admin_client):
    def count_for(n):
        for _ in range(n):
            factories.StatementFactory()
            factories.AwardOutcomeFactory()
            factories.AwardMentionFactory()
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(reverse("admin:recent_changes")).status_code == 200
        return len(queries)

    assert count_for(1) == count_for(5)


def test_the_leads_list_costs_the_same_queries_for_1_or_n(admin_client):
    def count_for(n):
        for _ in range(n):
            NewsArticleFactory()
        with CaptureQueriesContext(connection) as queries:
            assert (
                admin_client.get(reverse("admin:tracker_lead_changelist")).status_code
                == 200
            )
        return len(queries)

    assert count_for(1) == count_for(6)
    assert not ArticleMatch.objects.exists()
