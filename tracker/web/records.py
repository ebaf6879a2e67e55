"""Every kind of record the public site has a page for: where its pages
live, which API resource and FilterSet its index mirrors, and the reads
behind its index and its detail page. The views, the sitemap, the feeds
and the search page all read this one table."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.urls import reverse

from tracker import models
from tracker.api import filters
from tracker.selectors import pages, records
from tracker.selectors.releases import release_has_nested, release_has_record


@dataclass(frozen=True)
class RecordKind:
    key: str
    path: str
    singular: str
    plural: str
    model: type[Model]
    filterset: type
    list_selector: Callable[[], QuerySet]
    detail_selector: Callable[[], QuerySet]
    # The API resource the page mirrors.
    api_resource: str
    intro: str
    lookup: str = "slug"
    # What the detail page lists only for the records that have any
    # (tracker.selectors.pages.Section).
    sections: tuple = ()
    # Relations the detail selector prefetches whose rows' citations are
    # fetched only where there are any (pages.citations_where_cited).
    cited_relations: tuple = ()
    # Set where the API shows the record inside another one (a milestone
    # inside its campaign): the attribute holding that record. Such a kind
    # has no API list of its own.
    api_via: str | None = None

    @property
    def row_template(self) -> str:
        return f"tracker/records/_{self.key.replace('-', '_')}_row.html"

    @property
    def detail_template(self) -> str:
        return f"tracker/records/{self.key.replace('-', '_')}_detail.html"

    @property
    def index_url(self) -> str:
        return reverse(f"web:{self.key}-list")

    def detail_url(self, record) -> str:
        return reverse(f"web:{self.key}", args=[getattr(record, self.lookup)])

    def api_record(self, record):
        """The record the API (and a release) shows it as or in."""
        return getattr(record, self.api_via) if self.api_via else record

    def api_urls(self, record) -> dict:
        """The record's JSON and CSV in the API (the rel="alternate"
        links)."""
        url = f"/api/v1/{self.api_resource}/{self.api_record(record).slug}/"
        return {"json": url, "csv": f"{url}?format=csv"}

    def release_holds(self, release, record) -> bool:
        """Whether `release` holds the record: under its slug, or for a
        kind shown inside another, inside that record's row."""
        if not self.api_via:
            return release_has_record(release, self.api_resource, record.slug)
        return release_has_nested(
            release, self.api_resource, self.api_record(record).slug, record
        )

    def api_list_urls(self, query: str = "") -> dict | None:
        if self.api_via:
            return None
        url = f"/api/v1/{self.api_resource}/"
        suffix = f"?{query}" if query else ""
        return {
            "json": url + suffix,
            "csv": url + (f"?{query}&format=csv" if query else "?format=csv"),
        }


PRODUCTION = RecordKind(
    key="production",
    path="productions",
    singular="production",
    plural="productions",
    model=models.Production,
    filterset=filters.ProductionFilter,
    list_selector=records.production_list,
    detail_selector=pages.production_get_queryset,
    sections=pages.PRODUCTION_SECTIONS,
    cited_relations=("credits",),
    api_resource="productions",
    intro="Films and series, whether they used an intimacy coordinator, who, "
    "and how strong the evidence is.",
)
PERSON = RecordKind(
    key="person",
    path="people",
    singular="person",
    plural="people",
    model=models.Person,
    filterset=filters.PersonFilter,
    list_selector=records.person_list,
    detail_selector=pages.person_get_queryset,
    sections=pages.PERSON_SECTIONS,
    cited_relations=("credits",),
    api_resource="people",
    intro="Coordinators, performers, directors and others, with their credits "
    "and what they said.",
)
ORGANIZATION = RecordKind(
    key="organization",
    path="organizations",
    singular="organization",
    plural="organizations",
    model=models.Organization,
    filterset=filters.OrganizationFilter,
    list_selector=records.organization_list,
    detail_selector=pages.organization_get_queryset,
    api_resource="organizations",
    intro="Studios, networks, award bodies, festivals, guilds and institutes.",
)
SOURCE = RecordKind(
    key="source",
    path="sources",
    singular="source",
    plural="sources",
    model=models.Source,
    filterset=filters.SourceFilter,
    list_selector=records.source_list,
    detail_selector=pages.source_get_queryset,
    api_resource="sources",
    intro="The articles, speeches and reports every claim cites.",
)
STATEMENT = RecordKind(
    key="statement",
    path="statements",
    singular="statement",
    plural="statements",
    model=models.Statement,
    filterset=filters.StatementFilter,
    list_selector=records.statement_list,
    detail_selector=pages.statement_get_queryset,
    api_resource="statements",
    intro="What people said for or against intimacy coordinators, and where.",
)
AWARD_CATEGORY = RecordKind(
    key="award-category",
    path="award-categories",
    singular="award category",
    plural="award categories",
    model=models.AwardCategory,
    filterset=filters.AwardCategoryFilter,
    list_selector=records.award_category_list,
    detail_selector=pages.award_category_get_queryset,
    api_resource="award-categories",
    intro="Award categories: existing ones, newly introduced ones (the "
    "precedents) and the proposed ones for intimacy coordination.",
)
AWARD_OUTCOME = RecordKind(
    key="award-outcome",
    path="award-outcomes",
    singular="award outcome",
    plural="award outcomes",
    model=models.AwardOutcome,
    filterset=filters.AwardOutcomeFilter,
    list_selector=records.award_outcome_list,
    detail_selector=pages.award_outcome_get_queryset,
    api_resource="award-outcomes",
    intro="Awards won or nominated for, by category and ceremony year.",
)
AWARD_MENTION = RecordKind(
    key="award-mention",
    path="award-mentions",
    singular="award mention",
    plural="award mentions",
    model=models.AwardMention,
    filterset=filters.AwardMentionFilter,
    list_selector=records.award_mention_list,
    detail_selector=pages.award_mention_get_queryset,
    api_resource="award-mentions",
    intro="Intimacy coordinators named in an awards context: dedications, "
    "thanks, nominations and calls for a category.",
)
POLICY = RecordKind(
    key="policy",
    path="policies",
    singular="policy",
    plural="policies",
    model=models.Policy,
    filterset=filters.PolicyFilter,
    list_selector=records.policy_list,
    detail_selector=pages.policy_get_queryset,
    api_resource="policies",
    intro="Policies on intimacy coordination, such as HBO's mandate.",
)
STATISTIC = RecordKind(
    key="statistic",
    path="statistics",
    singular="statistic",
    plural="statistics",
    model=models.IndustryStatistic,
    filterset=filters.IndustryStatisticFilter,
    list_selector=records.statistic_list,
    detail_selector=pages.statistic_get_queryset,
    api_resource="stats",
    intro="Industry statistics, with their exact wording and sample.",
)
CAMPAIGN = RecordKind(
    key="campaign",
    path="campaigns",
    singular="campaign",
    plural="campaigns",
    model=models.Campaign,
    filterset=filters.CampaignFilter,
    list_selector=records.campaign_list,
    detail_selector=pages.campaign_get_queryset,
    api_resource="campaigns",
    intro="The campaigns for an intimacy coordination award, with their "
    "milestones and precedents.",
)
MILESTONE = RecordKind(
    key="milestone",
    path="milestones",
    singular="campaign milestone",
    plural="campaign milestones",
    model=models.CampaignMilestone,
    filterset=filters.CampaignMilestoneFilter,
    list_selector=pages.milestone_list,
    detail_selector=pages.milestone_get_queryset,
    api_resource="campaigns",
    api_via="campaign",
    intro="Steps in each campaign: letters, announcements, calls for a category.",
    lookup="pk",
)

KINDS = (
    PRODUCTION,
    PERSON,
    ORGANIZATION,
    SOURCE,
    STATEMENT,
    AWARD_CATEGORY,
    AWARD_OUTCOME,
    AWARD_MENTION,
    POLICY,
    STATISTIC,
    CAMPAIGN,
    MILESTONE,
)
BY_KEY = {kind.key: kind for kind in KINDS}
BY_MODEL = {kind.model: kind for kind in KINDS}


def kind_of(record) -> RecordKind:
    return BY_MODEL[type(record)]


def record_url(record) -> str:
    """The public page of any record the site shows."""
    return kind_of(record).detail_url(record)
