"""A small tracker in which one record of every kind (the hub of its kind)
has `n` related rows of everything its page lists, so a page's query count
can be compared between a hub with 1 related row and a hub with N."""

import datetime as dt

from tests import factories
from tracker import choices
from tracker.models import Citation


def _cite(claim, n: int, suffix: str):
    """Give `claim` n - 1 more sources (factories already cite one), one
    of them disputing it, with a locator."""
    for index in range(n - 1):
        Citation.objects.create(
            claim=claim,
            source=factories.SourceFactory(title=f"Extra source {suffix} {index}"),
            stance=(
                choices.CitationStance.DISPUTES
                if index == 0
                else choices.CitationStance.SUPPORTS
            ),
            quote="It says otherwise.",
            locator=f"paragraph {index + 2}",
        )


def build(n: int, suffix: str) -> dict:
    """Hubs of every kind, each with n related rows; returns the URL of
    each hub's page, by kind key."""
    body = factories.AwardBodyFactory(
        name=f"Body {suffix}", slug=f"organization-{suffix}", short_name="BD"
    )
    person = factories.PersonFactory(
        name=f"Hub Person {suffix}", slug=f"person-{suffix}"
    )
    production = factories.ProductionFactory(
        title=f"Hub Production {suffix}", slug=f"production-{suffix}", network=body
    )
    _cite(production, n, suffix)
    category = factories.AwardCategoryFactory(
        award_body=body,
        name=f"Hub Category {suffix}",
        slug=f"award-category-{suffix}",
        status=choices.AwardCategoryStatus.PROPOSED,
    )
    _cite(category, n, suffix)
    outcome = factories.AwardOutcomeFactory(
        category=category, production=production, slug=f"award-outcome-{suffix}"
    )
    _cite(outcome, n, suffix)
    mention = factories.AwardMentionFactory(
        award_body=body,
        outcome=outcome,
        speaker=person,
        production=production,
        slug=f"award-mention-{suffix}",
    )
    _cite(mention, n, suffix)
    statement = factories.StatementFactory(
        speaker=person, production=production, slug=f"statement-{suffix}"
    )
    _cite(statement, n, suffix)
    policy = factories.PolicyFactory(organization=body, slug=f"policy-{suffix}")
    _cite(policy, n, suffix)
    statistic = factories.IndustryStatisticFactory(slug=f"statistic-{suffix}")
    _cite(statistic, n, suffix)
    campaign = factories.CampaignFactory(
        target_body=body, proposed_category=category, slug=f"campaign-{suffix}"
    )
    milestone = factories.CampaignMilestoneFactory(
        campaign=campaign, date=dt.date(2024, 2, 1)
    )
    _cite(milestone, n, suffix)
    source = factories.SourceFactory(
        title=f"Hub Source {suffix}", slug=f"source-{suffix}"
    )
    for index in range(n):
        other = factories.PersonFactory(name=f"Related {suffix} {index}")
        credit = factories.CreditFactory(person=other, production=production)
        Citation.objects.create(claim=credit, source=source, quote="Credited.")
        factories.CreditFactory(
            person=person,
            production=factories.ProductionFactory(network=body),
            role=choices.CreditRole.PERFORMER,
        )
        factories.StatementFactory(speaker=person, production=production)
        factories.StatementFactory(about_coordinator=person)
        factories.AwardMentionFactory(
            speaker=person, award_body=body, production=production, outcome=outcome
        )
        factories.AwardMentionFactory(coordinator=person, award_body=body)
        extra_outcome = factories.AwardOutcomeFactory(
            category=category, production=production
        )
        extra_outcome.people.add(person, other)
        outcome.people.add(other)
        factories.AwardCategoryFactory(award_body=body)
        factories.PolicyFactory(organization=body)
        publisher = factories.OrganizationFactory(parent=body)
        statistic.publishers.add(publisher)
        factories.IndustryStatisticFactory().publishers.add(body)
        factories.CampaignFactory(target_body=body, proposed_category=category)
        factories.CampaignMilestoneFactory(campaign=campaign)
        precedent = factories.AwardCategoryFactory(
            award_body=body,
            status=choices.AwardCategoryStatus.INTRODUCED,
            year_introduced=2026,
        )
        campaign.precedents.add(precedent)
        # The hub source is cited by claims of every kind.
        for claim in (
            factories.ProductionFactory(),
            factories.StatementFactory(),
            factories.AwardOutcomeFactory(),
            factories.AwardMentionFactory(),
            factories.PolicyFactory(),
            factories.IndustryStatisticFactory(),
            factories.CampaignMilestoneFactory(),
        ):
            Citation.objects.create(claim=claim, source=source, quote="Cited.")
    return {
        "production": f"/productions/{production.slug}/",
        "person": f"/people/{person.slug}/",
        "organization": f"/organizations/{body.slug}/",
        "source": f"/sources/{source.slug}/",
        "statement": f"/statements/{statement.slug}/",
        "award-category": f"/award-categories/{category.slug}/",
        "award-outcome": f"/award-outcomes/{outcome.slug}/",
        "award-mention": f"/award-mentions/{mention.slug}/",
        "policy": f"/policies/{policy.slug}/",
        "statistic": f"/statistics/{statistic.slug}/",
        "campaign": f"/campaigns/{campaign.slug}/",
        "milestone": f"/milestones/{milestone.pk}/",
    }
