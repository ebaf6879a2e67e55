"""Querysets for the public API, each joined and prefetched for exactly
what its serializer reads, so a page costs the same number of queries
whatever its length."""

from django.db.models import Prefetch, QuerySet

from tracker.choices import IC_ROLES
from tracker.models import (
    AwardCategory,
    AwardMention,
    AwardOutcome,
    Campaign,
    CampaignMilestone,
    Citation,
    Credit,
    IndustryStatistic,
    Organization,
    Person,
    Policy,
    Production,
    Source,
    Statement,
)
from tracker.querysets import with_disputed
from tracker.selectors.archive import latest_snapshot_prefetch

CITATION_FIELDS = (
    "id",
    "object_id",
    "content_type_id",
    "stance",
    "quote",
    "quote_kind",
    "source_says",
    "locator",
    "updated_at",
    "deprecated_on",
    "deprecation_reason",
    "source__slug",
    "source__url",
    "source__title",
    "source__publisher",
    "source__published_on",
    "source__published_precision",
    "source__kind",
    "source__link_health__id",
    "source__link_health__source_id",
    "source__link_health__status",
)


def citations_prefetch() -> Prefetch:
    """A claim's citations with their sources, as `claim.citation_list`."""
    return Prefetch(
        "citations",
        queryset=Citation.objects.select_related("source", "source__link_health")
        .only(*CITATION_FIELDS)
        .prefetch_related(latest_snapshot_prefetch("source__"))
        .order_by("id"),
        to_attr="citation_list",
    )


def production_list() -> QuerySet[Production]:
    return (
        with_disputed(Production.objects)
        .select_related("studio", "network")
        .only(
            "id",
            "slug",
            "title",
            "kind",
            "start_year",
            "end_year",
            "aliases",
            "imdb_id",
            "wikidata_qid",
            "tmdb_id",
            "ic_status",
            "ic_evidence",
            "ic_notes",
            "preferred_reason",
            "deprecated_on",
            "deprecation_reason",
            "updated_at",
            "studio__slug",
            "studio__name",
            "network__slug",
            "network__name",
        )
        .prefetch_related(
            Prefetch(
                "credits",
                queryset=Credit.objects.filter(role__in=IC_ROLES)
                .select_related("person")
                .only("id", "production_id", "role", "person__slug", "person__name")
                .order_by("person__name", "id"),
                to_attr="ic_credits",
            ),
            citations_prefetch(),
        )
    )


def person_list() -> QuerySet[Person]:
    return Person.objects.prefetch_related(
        Prefetch(
            "credits",
            queryset=Credit.objects.select_related("production")
            .only(
                "id",
                "person_id",
                "role",
                "note",
                "production__slug",
                "production__title",
                "production__start_year",
            )
            .order_by("production__start_year", "production__title", "id"),
            to_attr="credit_list",
        )
    )


def organization_list() -> QuerySet[Organization]:
    return Organization.objects.select_related("parent")


def source_list() -> QuerySet[Source]:
    return Source.objects.all()


def award_category_list() -> QuerySet[AwardCategory]:
    return (
        with_disputed(AwardCategory.objects)
        .select_related("award_body")
        .prefetch_related(citations_prefetch())
    )


def award_outcome_list() -> QuerySet[AwardOutcome]:
    return (
        with_disputed(AwardOutcome.objects)
        .select_related("category__award_body", "production")
        .prefetch_related(
            Prefetch("people", queryset=Person.objects.order_by("name")),
            citations_prefetch(),
        )
    )


def award_mention_list() -> QuerySet[AwardMention]:
    return (
        with_disputed(AwardMention.objects)
        .select_related("speaker", "coordinator", "production")
        .prefetch_related(
            Prefetch("award_bodies", queryset=Organization.objects.order_by("name")),
            Prefetch("outcomes", queryset=AwardOutcome.objects.only("id", "slug")),
            citations_prefetch(),
        )
    )


def statement_list() -> QuerySet[Statement]:
    return (
        with_disputed(Statement.objects)
        .select_related("speaker", "production", "about_coordinator")
        .prefetch_related(citations_prefetch())
    )


def policy_list() -> QuerySet[Policy]:
    return (
        with_disputed(Policy.objects)
        .select_related("organization")
        .prefetch_related(citations_prefetch())
    )


def statistic_list() -> QuerySet[IndustryStatistic]:
    return with_disputed(IndustryStatistic.objects).prefetch_related(
        Prefetch("publishers", queryset=Organization.objects.order_by("name")),
        citations_prefetch(),
    )


def campaign_list() -> QuerySet[Campaign]:
    return Campaign.objects.select_related(
        "target_body", "proposed_category"
    ).prefetch_related(
        Prefetch(
            "precedents",
            queryset=AwardCategory.objects.select_related("award_body").order_by(
                "year_introduced", "name"
            ),
        ),
        Prefetch(
            "milestones",
            queryset=with_disputed(CampaignMilestone.objects)
            .order_by("date", "id")
            .prefetch_related(citations_prefetch()),
            to_attr="milestone_list",
        ),
    )
