"""The public resources, each read through the API's own selector and
serializer: a release row, a webhook payload and an API answer share one
definition of every public field."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from rest_framework import serializers as drf

from tracker import models
from tracker.api import serializers
from tracker.selectors import records

# Fields of the API's read shape that have no place in a fixed release:
# `news` links to the live API's news for the record.
EXCLUDED_FIELDS = frozenset({"news"})
ROW_CHUNK = 500


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    description: str
    model: type[Model]
    selector: Callable[[], QuerySet]
    serializer: type[drf.Serializer]

    @property
    def fields(self) -> dict[str, drf.Field]:
        return {
            name: field
            for name, field in self.serializer().fields.items()
            if name not in EXCLUDED_FIELDS
        }

    def row(self, instance: Model) -> dict:
        data = self.serializer(instance).data
        return {name: data.get(name) for name in self.fields}

    def rows(self) -> Iterator[dict]:
        """Every record, in slug order so two releases diff line by line."""
        queryset = self.selector().order_by("slug")
        for instance in queryset.iterator(chunk_size=ROW_CHUNK):
            yield self.row(instance)

    def record(self, pk) -> dict | None:
        instance = self.selector().filter(pk=pk).first()
        return None if instance is None else self.row(instance)


RESOURCES = (
    Resource(
        "productions",
        "Productions",
        "Films and series, whether they used an intimacy coordinator, who, "
        "and the evidence.",
        models.Production,
        records.production_list,
        serializers.ProductionSerializer,
    ),
    Resource(
        "people",
        "People",
        "Coordinators, performers, directors and others, with their credits.",
        models.Person,
        records.person_list,
        serializers.PersonSerializer,
    ),
    Resource(
        "organizations",
        "Organizations",
        "Studios, networks, award bodies, festivals, guilds and institutes.",
        models.Organization,
        records.organization_list,
        serializers.OrganizationSerializer,
    ),
    Resource(
        "sources",
        "Sources",
        "The articles, speeches and reports every claim cites.",
        models.Source,
        records.source_list,
        serializers.SourceSerializer,
    ),
    Resource(
        "award-categories",
        "Award categories",
        "Existing, newly introduced (the precedents) and proposed categories.",
        models.AwardCategory,
        records.award_category_list,
        serializers.AwardCategorySerializer,
    ),
    Resource(
        "award-outcomes",
        "Award outcomes",
        "Awards won or nominated for, by category and ceremony year.",
        models.AwardOutcome,
        records.award_outcome_list,
        serializers.AwardOutcomeSerializer,
    ),
    Resource(
        "award-mentions",
        "Award mentions",
        "Intimacy coordinators named in an awards context.",
        models.AwardMention,
        records.award_mention_list,
        serializers.AwardMentionSerializer,
    ),
    Resource(
        "statements",
        "Statements",
        "What people said for or against intimacy coordinators, and where.",
        models.Statement,
        records.statement_list,
        serializers.StatementSerializer,
    ),
    Resource(
        "policies",
        "Policies",
        "Policies on intimacy coordination, such as HBO's mandate.",
        models.Policy,
        records.policy_list,
        serializers.PolicySerializer,
    ),
    Resource(
        "stats",
        "Industry statistics",
        "Industry statistics, with their exact wording and sample.",
        models.IndustryStatistic,
        records.statistic_list,
        serializers.IndustryStatisticSerializer,
    ),
    Resource(
        "campaigns",
        "Campaigns",
        "The campaigns for an intimacy coordination award, with milestones "
        "and precedents.",
        models.Campaign,
        records.campaign_list,
        serializers.CampaignSerializer,
    ),
)

RESOURCES_BY_MODEL = {resource.model: resource for resource in RESOURCES}
