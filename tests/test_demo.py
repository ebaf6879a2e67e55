"""The demo loader: the article's facts, loaded once."""

import pytest
from django.apps import apps
from django.core.management import call_command

from tracker import choices
from tracker.models import (
    AwardMention,
    Campaign,
    IndustryStatistic,
    Person,
    Policy,
    Production,
    Statement,
)

pytestmark = pytest.mark.django_db


def tracker_row_counts() -> dict[str, int]:
    """Rows of every tracker table, history tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_app_config("tracker").get_models()
    }


def test_loading_twice_changes_nothing():
    call_command("load_demo_data")
    first = tracker_row_counts()
    stamps = list(Production.objects.values_list("slug", "updated_at"))

    call_command("load_demo_data")

    assert tracker_row_counts() == first
    assert list(Production.objects.values_list("slug", "updated_at")) == stamps


def test_coel_dedicated_her_bafta_to_ita_obrien():
    call_command("load_demo_data")

    mention = AwardMention.objects.get(
        speaker__slug="michaela-coel", coordinator__slug="ita-obrien"
    )

    assert mention.kind == choices.AwardMentionKind.DEDICATION
    assert mention.award_body.slug == "bafta"
    assert mention.outcome.ceremony_year == 2021
    assert mention.outcome.production.title == "I May Destroy You"
    assert "making the space safe" in mention.quote
    assert mention.citations.get().source.title.startswith("The Case for an Oscar")


def test_every_demo_claim_cites_the_article():
    call_command("load_demo_data")

    for model in (Production, AwardMention, Statement, Policy, IndustryStatistic):
        for claim in model.objects.all():
            claim.ensure_cited()


def test_the_articles_people_and_productions_are_there():
    call_command("load_demo_data")

    titles = set(Production.objects.values_list("title", flat=True))
    assert {
        "Challengers",
        "Anora",
        "Game of Thrones",
        "Poor Things",
        "Bridgerton",
        "I May Destroy You",
        "BITE",
        "The Good Girl",
        "Five Hot Stories for Her",
    } <= titles
    lust = Person.objects.get(slug="erika-lust")
    assert "Erika Hallqvist" in lust.aliases
    got = Production.objects.get(slug="game-of-thrones")
    assert got.ic_status == choices.ICStatus.NOT_USED
    assert got.network.slug == "hbo"
    assert [
        p.slug for p in Production.objects.get(slug="challengers").coordinators
    ] == ["mam-smith"]


def test_the_stances_policy_statistics_and_campaigns_are_there():
    call_command("load_demo_data")

    assert Statement.objects.get(speaker__slug="sean-bean").stance == "opposes"
    assert Statement.objects.get(speaker__slug="kate-winslet").stance == "wishes_had"
    assert Policy.objects.get(organization__slug="hbo").status == "mandated"
    values = sorted(IndustryStatistic.objects.values_list("value", flat=True))
    assert [int(v) for v in values] == [4, 83]
    campaigns = Campaign.objects.order_by("slug")
    assert campaigns.count() == 3
    for campaign in campaigns:
        assert [c.slug for c in campaign.precedents.all()] == ["oscars-best-casting"]
        assert campaign.milestones.count() == 2
