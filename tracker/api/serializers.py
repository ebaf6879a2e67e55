"""Serializers of the public API: the read shape of every resource (news
included), the summary's shape for the schema, and the write serializers
staff use. Reads that run on every list row are written out by hand in
`to_representation`: the declared fields still describe the payload for
the OpenAPI schema, and tests/api/test_serializers.py holds the two
together."""

import functools
import re
from urllib.parse import urlencode

from django.urls import get_script_prefix, reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tracker.choices import (
    CampaignStatus,
    CitationStance,
    ICEvidence,
    ICStatus,
    MatchEntityType,
    MatchField,
    QuoteCheckResult,
    QuoteKind,
    ReviewStatus,
    Stance,
)
from tracker.models import (
    AwardCategory,
    AwardMention,
    AwardOutcome,
    Campaign,
    IndustryStatistic,
    Organization,
    Person,
    Policy,
    Production,
    Source,
    Statement,
)
from tracker.models.base import AliasListField
from tracker.selectors.archive import quote_check
from tracker.selectors.cohorts import cohort_figures_row


def _iso(value):
    return value.isoformat() if value is not None else None


def _ref(obj, label: str = "name") -> dict | None:
    if obj is None:
        return None
    return {"slug": obj.slug, label: getattr(obj, label)}


# What a slug reversed into a path may hold without quoting (Django's slug
# converter).
_PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_SLUG_MARK = "slug-mark-0"


@functools.cache
def _path_around_slug(name: str, script_prefix: str) -> tuple[str, str]:
    head, _, tail = reverse(name, args=[_SLUG_MARK]).partition(_SLUG_MARK)
    return head, tail


@functools.cache
def _path(name: str, script_prefix: str) -> str:
    return reverse(name)


def slug_path(name: str, slug: str) -> str:
    """`reverse(name, args=[slug])`, from the path reversed once per URL
    name and script prefix. Each row of a list or an export links its news
    and each citation's source page, and reverse() walks the URL patterns
    every time: that was a sixth of the CPU of a CSV export. A slug that
    would need quoting goes through reverse() itself."""
    if not _PLAIN_SLUG.fullmatch(slug):
        return reverse(name, args=[slug])
    head, tail = _path_around_slug(name, get_script_prefix())
    return f"{head}{slug}{tail}"


def news_link(entity_type: str, slug: str) -> str:
    """The news resource filtered to one record: a link costs no query,
    where embedding the latest articles would cost one per row."""
    query = urlencode({"entity": f"{entity_type}:{slug}"}, safe=":")
    return f"{_path('news-list', get_script_prefix())}?{query}"


def news_field():
    return serializers.CharField(
        read_only=True,
        help_text="Where to read the approved news articles naming it.",
    )


class RefSerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text="Look the record up by this slug.")
    name = serializers.CharField(help_text="Its name.")

    def to_representation(self, instance):
        return _ref(instance)


class ProductionRefSerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text="The production's slug.")
    title = serializers.CharField(help_text="Its title.")

    def to_representation(self, instance):
        return _ref(instance, "title")


class QuoteCheckSerializer(serializers.Serializer):
    """Whether the quote is in the tracker's archived copy of the source."""

    result = serializers.ChoiceField(
        choices=QuoteCheckResult.choices,
        help_text="found, not_found, or no_snapshot when there is no archived "
        "text to check against.",
    )
    snapshot_at = serializers.DateTimeField(
        allow_null=True, help_text="When the archived copy checked was taken."
    )


class CitationSerializer(serializers.Serializer):
    """One source backing (or disputing) the claim, with the passage."""

    source = serializers.SlugField(help_text="The source's slug.")
    url = serializers.CharField(
        help_text="Where to read the source; empty for one with no address "
        "(the seed article), whose text is on its page."
    )
    page = serializers.CharField(
        help_text="The source's page on this site: its details, the "
        "tracker's archived copy and every claim citing it."
    )
    title = serializers.CharField(help_text="The source's title.")
    publisher = serializers.CharField(help_text="Who published it.")
    date = serializers.DateField(
        allow_null=True,
        help_text="When it was published, if known; only as much of it as "
        "date_precision says is known (a year-precision date is stored as "
        "1 January).",
    )
    date_precision = serializers.CharField(
        help_text="How much of date is known: day, month or year."
    )
    stance = serializers.ChoiceField(
        choices=CitationStance.choices,
        help_text="Whether the source supports or disputes the claim.",
    )
    quote = serializers.CharField(help_text="The passage that says it.")
    quote_kind = serializers.ChoiceField(
        choices=QuoteKind.choices,
        help_text="verbatim: the source's own words; paraphrase: a summary.",
    )
    source_says = serializers.CharField(
        help_text="For a disputing source: what it says instead; else empty."
    )
    locator = serializers.CharField(help_text="Page, paragraph or timestamp.")
    deprecated = serializers.BooleanField(
        help_text="true once the citation was found wrong: it no longer "
        "supports or disputes the claim."
    )
    quote_check = QuoteCheckSerializer(
        allow_null=True,
        help_text="The quote looked up in the source's latest archived copy; "
        "null when the citation quotes nothing.",
    )

    def to_representation(self, citation):
        return citation_data(citation)


def citation_data(citation) -> dict:
    source = citation.source
    return {
        "source": source.slug,
        "url": source.url,
        "page": slug_path("web:source", source.slug),
        "title": source.title,
        "publisher": source.publisher,
        "date": _iso(source.published_on),
        "date_precision": source.published_precision,
        "stance": citation.stance,
        "quote": citation.quote,
        "quote_kind": citation.quote_kind,
        "source_says": citation.source_says,
        "locator": citation.locator,
        "deprecated": not citation.is_current,
        "quote_check": check.as_dict() if (check := quote_check(citation)) else None,
    }


def citations_field():
    return CitationSerializer(
        source="citation_list",
        many=True,
        read_only=True,
        help_text="The sources of the claim, inline.",
    )


def _citations(obj) -> list[dict]:
    return [citation_data(c) for c in obj.citation_list]


def claim_disputed(claim) -> bool:
    """The selector's `disputed` annotation (tracker.querysets), or, for a
    claim read without it, the same rule over its citations."""
    annotated = getattr(claim, "disputed", None)
    return claim.is_disputed if annotated is None else bool(annotated)


class DisputedField(serializers.BooleanField):
    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault(
            "help_text",
            "true while a current citation disputes it: see the citations "
            "whose stance is disputes.",
        )
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return claim_disputed(instance)


def deprecated_field():
    return serializers.BooleanField(
        source="is_deprecated",
        read_only=True,
        help_text="true once found wrong: it stays here but leaves every figure.",
    )


# What every claim says of its standing, after its own fields.
CLAIM_STATUS_FIELDS = (
    "disputed",
    "deprecated",
    "deprecated_on",
    "deprecation_reason",
    "preferred_reason",
)


class CoordinatorSerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text="The coordinator's slug.")
    name = serializers.CharField(help_text="The coordinator's name.")
    role = serializers.CharField(help_text="Their credited role.")


class ProductionSerializer(serializers.ModelSerializer):
    studio = RefSerializer(allow_null=True, help_text="The studio, if known.")
    network = RefSerializer(
        allow_null=True, help_text="The network or streamer that carried it."
    )
    # Declared for the schema: empty while the IC status is unknown.
    ic_evidence = serializers.ChoiceField(
        choices=ICEvidence.choices,
        allow_blank=True,
        help_text="The kind of evidence for its IC status; empty if unknown.",
    )
    ic_evidence_strength = serializers.CharField(
        help_text="strong, moderate, weak or none: the grade of ic_evidence."
    )
    coordinators = CoordinatorSerializer(
        many=True, help_text="The intimacy coordinators credited on it."
    )
    disputed = DisputedField()
    deprecated = deprecated_field()
    citations = citations_field()
    news = news_field()

    class Meta:
        model = Production
        fields = (
            "slug",
            "title",
            "kind",
            "start_year",
            "end_year",
            "aliases",
            "studio",
            "network",
            "ic_status",
            "ic_evidence",
            "ic_evidence_strength",
            "ic_notes",
            "coordinators",
            "imdb_id",
            "wikidata_qid",
            "tmdb_id",
            *CLAIM_STATUS_FIELDS,
            "citations",
            "news",
        )
        read_only_fields = fields

    def to_representation(self, p):
        return {
            "slug": p.slug,
            "title": p.title,
            "kind": p.kind,
            "start_year": p.start_year,
            "end_year": p.end_year,
            "aliases": p.aliases,
            "studio": _ref(p.studio),
            "network": _ref(p.network),
            "ic_status": p.ic_status,
            "ic_evidence": p.ic_evidence,
            "ic_evidence_strength": str(p.ic_evidence_strength),
            "ic_notes": p.ic_notes,
            "coordinators": [
                {"slug": c.person.slug, "name": c.person.name, "role": c.role}
                for c in p.ic_credits
            ],
            "imdb_id": p.imdb_id,
            "wikidata_qid": p.wikidata_qid,
            "tmdb_id": p.tmdb_id,
            "disputed": claim_disputed(p),
            "deprecated": p.is_deprecated,
            "deprecated_on": _iso(p.deprecated_on),
            "deprecation_reason": p.deprecation_reason,
            "preferred_reason": p.preferred_reason,
            "citations": _citations(p),
            "news": news_link("production", p.slug),
        }


class PersonCreditSerializer(serializers.Serializer):
    production = ProductionRefSerializer(help_text="The production.")
    role = serializers.CharField(help_text="The role they were credited for.")
    note = serializers.CharField(help_text="A note on the credit.")


class PersonSerializer(serializers.ModelSerializer):
    credits = PersonCreditSerializer(
        many=True, help_text="Their credits on productions the tracker holds."
    )
    news = news_field()

    class Meta:
        model = Person
        fields = (
            "slug",
            "name",
            "aliases",
            "description",
            "imdb_id",
            "wikidata_qid",
            "tmdb_id",
            "credits",
            "news",
        )
        read_only_fields = fields

    def to_representation(self, person):
        return {
            "slug": person.slug,
            "name": person.name,
            "aliases": person.aliases,
            "description": person.description,
            "imdb_id": person.imdb_id,
            "wikidata_qid": person.wikidata_qid,
            "tmdb_id": person.tmdb_id,
            "credits": [
                {
                    "production": _ref(c.production, "title"),
                    "role": c.role,
                    "note": c.note,
                }
                for c in person.credit_list
            ],
            "news": news_link("person", person.slug),
        }


class OrganizationSerializer(serializers.ModelSerializer):
    parent = RefSerializer(allow_null=True, help_text="The parent organization.")
    news = serializers.SerializerMethodField(
        help_text="Where to read the approved news articles naming it."
    )
    # Not a URLField: an unknown website is stored and served as "", which
    # is no URI.
    website = serializers.CharField(help_text="Its website's URL; empty if unknown.")

    class Meta:
        model = Organization
        fields = (
            "slug",
            "name",
            "kind",
            "aliases",
            "website",
            "parent",
            "description",
            "news",
        )
        read_only_fields = fields

    def get_news(self, organization) -> str:
        return news_link("organization", organization.slug)


class SourceSerializer(serializers.ModelSerializer):
    # Not a URLField: a speech heard in person has no address, served as "".
    url = serializers.CharField(
        help_text="Where to read the source; empty if it has no public address."
    )

    class Meta:
        model = Source
        fields = (
            "slug",
            "url",
            "title",
            "publisher",
            "published_on",
            "published_precision",
            "kind",
            "notes",
        )
        read_only_fields = fields


class AwardCategorySerializer(serializers.ModelSerializer):
    award_body = RefSerializer(help_text="The award body the category is at.")
    disputed = DisputedField()
    deprecated = deprecated_field()
    citations = citations_field()

    class Meta:
        model = AwardCategory
        fields = (
            "slug",
            "name",
            "award_body",
            "status",
            "year_introduced",
            "is_intimacy_coordination",
            "description",
            *CLAIM_STATUS_FIELDS,
            "citations",
        )
        read_only_fields = fields


class AwardOutcomeSerializer(serializers.ModelSerializer):
    category = RefSerializer(help_text="The award category.")
    award_body = RefSerializer(
        source="category.award_body", help_text="The category's award body."
    )
    production = ProductionRefSerializer(
        allow_null=True, help_text="The production honoured."
    )
    people = RefSerializer(many=True, help_text="The people honoured.")
    disputed = DisputedField()
    deprecated = deprecated_field()
    citations = citations_field()

    class Meta:
        model = AwardOutcome
        fields = (
            "slug",
            "category",
            "award_body",
            "ceremony_year",
            "result",
            "production",
            "people",
            *CLAIM_STATUS_FIELDS,
            "citations",
        )
        read_only_fields = fields


class AwardMentionSerializer(serializers.ModelSerializer):
    speaker = RefSerializer(allow_null=True, help_text="Who named the IC.")
    coordinator = RefSerializer(
        allow_null=True, help_text="The IC named; null for a call for a category."
    )
    award_bodies = RefSerializer(
        many=True, help_text="The award bodies it addresses: one mention, however many."
    )
    outcomes = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        read_only=True,
        help_text="The slugs of the award outcomes it came with, if any.",
    )
    production = ProductionRefSerializer(
        allow_null=True, help_text="The production concerned, if any."
    )
    year = serializers.IntegerField(allow_null=True, help_text="The year of date.")
    disputed = DisputedField()
    deprecated = deprecated_field()
    citations = citations_field()

    class Meta:
        model = AwardMention
        fields = (
            "slug",
            "kind",
            "date",
            "date_precision",
            "year",
            "speaker",
            "coordinator",
            "award_bodies",
            "outcomes",
            "production",
            "quote",
            "quote_kind",
            *CLAIM_STATUS_FIELDS,
            "citations",
        )
        read_only_fields = fields


class StatementSerializer(serializers.ModelSerializer):
    speaker = RefSerializer(help_text="Who said it.")
    production = ProductionRefSerializer(
        allow_null=True, help_text="The production it is about, if any."
    )
    about_coordinator = RefSerializer(
        allow_null=True, help_text="The IC it names, if any."
    )
    disputed = DisputedField()
    deprecated = deprecated_field()
    citations = citations_field()

    class Meta:
        model = Statement
        fields = (
            "slug",
            "speaker",
            "stance",
            "quote",
            "venue",
            "date",
            "date_precision",
            "production",
            "about_coordinator",
            *CLAIM_STATUS_FIELDS,
            "citations",
        )
        read_only_fields = fields


class PolicySerializer(serializers.ModelSerializer):
    organization = RefSerializer(help_text="Who set the policy.")
    disputed = DisputedField()
    deprecated = deprecated_field()
    citations = citations_field()

    class Meta:
        model = Policy
        fields = (
            "slug",
            "organization",
            "title",
            "scope",
            "status",
            "effective_on",
            "effective_precision",
            *CLAIM_STATUS_FIELDS,
            "citations",
        )
        read_only_fields = fields


class IndustryStatisticSerializer(serializers.ModelSerializer):
    publishers = RefSerializer(many=True, help_text="Who published it.")
    disputed = DisputedField()
    deprecated = deprecated_field()
    citations = citations_field()

    class Meta:
        model = IndustryStatistic
        fields = (
            "slug",
            "metric",
            "value",
            "unit",
            "sample",
            "year",
            "report",
            "quoted_wording",
            "publishers",
            *CLAIM_STATUS_FIELDS,
            "citations",
        )
        read_only_fields = fields


class MilestoneSerializer(serializers.Serializer):
    date = serializers.DateField(allow_null=True, help_text="When it happened.")
    date_precision = serializers.CharField(help_text="day, month or year.")
    title = serializers.CharField(help_text="What happened.")
    description = serializers.CharField(help_text="More about it.")
    disputed = DisputedField()
    deprecated = deprecated_field()
    deprecated_on = serializers.DateField(
        allow_null=True, help_text="When it was found wrong; null while it stands."
    )
    deprecation_reason = serializers.CharField(
        help_text="Why it no longer stands; empty while it stands."
    )
    preferred_reason = serializers.CharField(
        help_text="Where sources disagree: why the recorded value is preferred."
    )
    citations = citations_field()


class CampaignSerializer(serializers.ModelSerializer):
    target_body = RefSerializer(help_text="The award body lobbied.")
    proposed_category = RefSerializer(
        allow_null=True, help_text="The category the campaign asks for."
    )
    precedents = RefSerializer(
        many=True, help_text="Categories won by similar campaigns."
    )
    milestones = MilestoneSerializer(
        source="milestone_list", many=True, help_text="Its milestones, by date."
    )

    class Meta:
        model = Campaign
        fields = (
            "slug",
            "name",
            "target_body",
            "proposed_category",
            "status",
            "summary",
            "precedents",
            "milestones",
        )
        read_only_fields = fields


# --- Cohorts -----------------------------------------------------------------


class CohortSourceSerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text="The source's slug.")
    url = serializers.CharField(help_text="Where to read the list.")
    title = serializers.CharField(help_text="The source's title.")
    publisher = serializers.CharField(help_text="Who published it.")


class CohortMemberSerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text="The production's slug.")
    title = serializers.CharField(help_text="Its title.")
    year = serializers.IntegerField(
        allow_null=True, help_text="Its start year; null when undated."
    )
    ic_status = serializers.ChoiceField(
        choices=ICStatus.choices, help_text="Whether it used an IC."
    )
    deprecated = serializers.BooleanField(
        help_text="true when its IC claim was found wrong: it counts as unknown."
    )
    url = serializers.CharField(help_text="The production in the API.")


class CohortFiguresSerializer(serializers.Serializer):
    """A cohort's share, as the summary and /api/v1/cohorts/ give it (one
    definition: tracker.selectors.cohorts.cohort_figures_row)."""

    cohort = serializers.SlugField(help_text="The cohort's slug.")
    name = serializers.CharField(help_text="Its name.")
    self_selected = serializers.BooleanField(
        help_text="true when someone making a case picked the members: its "
        "share says little about the industry."
    )
    members = serializers.IntegerField(help_text="Productions in the cohort: n.")
    known = serializers.IntegerField(
        help_text="Members whose IC status is known: k = used + not_used."
    )
    used = serializers.IntegerField(help_text="Members that used an IC.")
    not_used = serializers.IntegerField(help_text="Members that did not.")
    unknown = serializers.IntegerField(
        help_text="Members not known either way (n - k); not in the share."
    )
    share = serializers.FloatField(
        allow_null=True, help_text="used / known, from 0 to 1; null when known is 0."
    )
    ci95 = serializers.ListField(
        child=serializers.FloatField(),
        min_length=2,
        max_length=2,
        allow_null=True,
        help_text="The 95% Wilson score interval of share, [low, high]; null "
        "when known is 0.",
    )


class CohortSerializer(CohortFiguresSerializer):
    description = serializers.CharField(help_text="What the cohort is.")
    inclusion_rule = serializers.CharField(
        help_text="Who is in it and who is not, precisely enough to draw up "
        "the same list."
    )
    year = serializers.IntegerField(
        allow_null=True, help_text="The year the list is of, e.g. the ceremony."
    )
    source = CohortSourceSerializer(
        allow_null=True, help_text="Where the list of members comes from."
    )
    productions_url = serializers.CharField(
        help_text="The member productions in the productions resource, "
        "whose filters then apply."
    )
    productions = CohortMemberSerializer(
        many=True, help_text="Its member productions, by title."
    )

    def to_representation(self, cohort):
        source = cohort.list_source
        return {
            **cohort_figures_row(cohort),
            "description": cohort.description,
            "inclusion_rule": cohort.inclusion_rule,
            "year": cohort.year,
            "source": None
            if source is None
            else {
                "slug": source.slug,
                "url": source.url,
                "title": source.title,
                "publisher": source.publisher,
            },
            "productions_url": f"{reverse('production-list')}?"
            + urlencode({"cohort": cohort.slug}),
            "productions": [
                {
                    "slug": p.slug,
                    "title": p.title,
                    "year": p.start_year,
                    "ic_status": p.ic_status,
                    "deprecated": p.is_deprecated,
                    "url": slug_path("production-detail", p.slug),
                }
                for p in cohort.member_list
            ],
        }


# --- News ---------------------------------------------------------------------


class NewsMatchSerializer(serializers.Serializer):
    entity_type = serializers.ChoiceField(
        choices=MatchEntityType.choices, help_text="What kind of record it names."
    )
    slug = serializers.SlugField(help_text="The record's slug in its resource.")
    name = serializers.CharField(help_text="The record's name or title.")
    alias = serializers.CharField(help_text="The name as matched in the article.")
    found_in = serializers.ChoiceField(
        choices=MatchField.choices, help_text="Where the name was found."
    )
    score = serializers.FloatField(help_text="How sure the match is, 0 to 1.")
    review_status = serializers.ChoiceField(
        choices=ReviewStatus.choices,
        help_text="Staff's verdict; always approved for anonymous readers.",
    )


def match_data(match) -> dict:
    entity = match.entity
    return {
        "entity_type": match.entity_type,
        "slug": entity.slug,
        "name": getattr(entity, "title", None) or entity.name,
        "alias": match.alias,
        "found_in": match.field,
        "score": match.score,
        "review_status": match.review_status,
    }


class NewsArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Look the article up by this id.")
    title = serializers.CharField(help_text="The headline.")
    url = serializers.URLField(
        help_text="The article's canonical address (tracking parameters removed)."
    )
    feed = serializers.CharField(help_text="The feed it was first seen in.")
    publisher = RefSerializer(
        allow_null=True, help_text="The organization publishing that feed."
    )
    published_at = serializers.DateTimeField(
        allow_null=True, help_text="When the feed says it was published."
    )
    summary = serializers.CharField(
        help_text="The feed's summary as HTML, cleaned to an allow-list of tags."
    )
    ic_related = serializers.BooleanField(
        help_text="Whether it is about intimacy coordination."
    )
    award_mention = serializers.BooleanField(
        help_text="Whether it likely mentions intimacy coordination in an "
        "awards context."
    )
    matches = NewsMatchSerializer(
        many=True, help_text="The records it names, as reviewed by staff."
    )

    def to_representation(self, article):
        return {
            "id": article.pk,
            "title": article.title,
            "url": article.canonical_url,
            "feed": article.feed.name,
            "publisher": _ref(article.feed.publisher),
            "published_at": _iso(article.published_at),
            "summary": article.summary,
            "ic_related": article.ic_related,
            "award_mention": article.award_mention,
            "matches": [match_data(m) for m in article.shown_matches],
        }


class ApiRootSerializer(serializers.Serializer):
    """The shape of GET /api/v1/, for the schema."""

    resources = serializers.DictField(
        child=serializers.URLField(),
        help_text="Each resource's name and the URL of its list.",
    )
    summary = serializers.URLField(help_text="The case in figures.")
    schema = serializers.URLField(help_text="The OpenAPI 3 schema.")
    docs = serializers.URLField(help_text="Interactive documentation (Swagger UI).")
    redoc = serializers.URLField(help_text="The same documentation in ReDoc.")


# --- The summary's shape, for the OpenAPI schema only (the data comes
# ready-made from tracker.selectors.summary) -------------------------------


class BodySerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text="The organization's slug.")
    name = serializers.CharField(help_text="Its name.")


class TotalsSerializer(serializers.Serializer):
    productions = serializers.IntegerField(help_text="Productions tracked.")
    with_ic = serializers.IntegerField(help_text="Productions that used an IC.")
    without_ic = serializers.IntegerField(help_text="Productions that did not.")
    unknown_ic = serializers.IntegerField(help_text="Productions not known either way.")
    award_mentions = serializers.IntegerField(help_text="Award mentions of ICs.")
    statements = serializers.IntegerField(help_text="Statements about ICs.")
    policies = serializers.IntegerField(help_text="Policies on ICs.")


class ShareFields(serializers.Serializer):
    used = serializers.IntegerField(help_text="Productions that used an IC.")
    not_used = serializers.IntegerField(help_text="Productions that did not.")
    unknown = serializers.IntegerField(
        help_text="Productions not known either way; not in the share."
    )
    known = serializers.IntegerField(help_text="used + not_used.")
    share = serializers.FloatField(
        allow_null=True,
        help_text="used / known, from 0 to 1; null when known is 0. A share of "
        "the productions the tracker happens to hold, not of a defined set: "
        "quote a cohort's share (cohorts), which has its interval.",
    )


class YearShareSerializer(ShareFields):
    year = serializers.IntegerField(
        allow_null=True,
        help_text="A year the productions were on screen in (as year_min and "
        "year_max read it); null for the undated ones.",
    )


class MentionYearSerializer(serializers.Serializer):
    year = serializers.IntegerField(
        allow_null=True, help_text="The year; null for undated mentions."
    )
    count = serializers.IntegerField(
        help_text="Mentions that year, one however many award bodies it addresses."
    )


class DisputedCountsSerializer(serializers.Serializer):
    """Claims that stand and that a current citation disputes, per kind."""

    productions = serializers.IntegerField(help_text="Productions (their IC status).")
    award_categories = serializers.IntegerField(help_text="Award categories.")
    award_outcomes = serializers.IntegerField(help_text="Award outcomes.")
    award_mentions = serializers.IntegerField(help_text="Award mentions.")
    statements = serializers.IntegerField(help_text="Statements.")
    policies = serializers.IntegerField(help_text="Policies.")
    industry_statistics = serializers.IntegerField(help_text="Industry statistics.")
    campaign_milestones = serializers.IntegerField(help_text="Campaign milestones.")


class OrganizationShareSerializer(ShareFields):
    organization = BodySerializer(
        allow_null=True,
        help_text="The network, or the studio when no network is known; null "
        "when neither is.",
    )


class MentionCountSerializer(serializers.Serializer):
    award_body = BodySerializer(allow_null=True, help_text="The award body.")
    year = serializers.IntegerField(allow_null=True, help_text="The mention's year.")
    count = serializers.IntegerField(help_text="How many mentions.")


class StanceCountSerializer(serializers.Serializer):
    stance = serializers.ChoiceField(choices=Stance.choices, help_text="The stance.")
    label = serializers.CharField(help_text="The stance in words.")
    count = serializers.IntegerField(help_text="How many statements take it.")


class MilestoneBriefSerializer(serializers.Serializer):
    date = serializers.DateField(
        allow_null=True,
        help_text="When it happened, as much of it as date_precision says is known.",
    )
    date_precision = serializers.CharField(help_text="day, month or year.")
    date_display = serializers.CharField(
        help_text='The date as precisely as it is known ("February 2024").'
    )
    title = serializers.CharField(help_text="What happened.")


class CampaignBriefSerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text="The campaign's slug.")
    name = serializers.CharField(help_text="Its name.")
    status = serializers.ChoiceField(
        choices=CampaignStatus.choices, help_text="How far it has got."
    )
    status_label = serializers.CharField(help_text="The status in words.")
    proposed_category = serializers.CharField(
        allow_null=True, help_text="The category it asks for."
    )
    milestones = MilestoneBriefSerializer(many=True, help_text="By date.")


class CampaignsByBodySerializer(serializers.Serializer):
    award_body = BodySerializer(help_text="The award body lobbied.")
    campaigns = CampaignBriefSerializer(many=True, help_text="Its campaigns.")


class PrecedentSerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text="The category's slug.")
    name = serializers.CharField(help_text="Its name.")
    award_body = BodySerializer(help_text="Its award body.")
    year_introduced = serializers.IntegerField(
        allow_null=True, help_text="When it was introduced."
    )
    status = serializers.CharField(help_text="existing, proposed or introduced.")


class SummarySerializer(serializers.Serializer):
    totals = TotalsSerializer(help_text="Counts over the whole tracker.")
    disputed = DisputedCountsSerializer(
        help_text="Disputed claims per kind: list them with ?disputed=true."
    )
    cohorts = CohortFiguresSerializer(
        many=True,
        help_text="The share per cohort, rule-based cohorts first; their "
        "members are at /api/v1/cohorts/.",
    )
    award_mentions_by_year = MentionYearSerializer(
        many=True, help_text="IC award mentions per year, undated last."
    )
    ic_share_by_year = YearShareSerializer(
        many=True, help_text="By each year on screen (a series in every year it ran)."
    )
    ic_share_by_organization = OrganizationShareSerializer(
        many=True, help_text="By network or studio, most ICs first."
    )
    award_mentions_by_body_year = MentionCountSerializer(
        many=True, help_text="IC award mentions by award body and year."
    )
    statements_by_stance = StanceCountSerializer(
        many=True, help_text="Every stance, zeros included."
    )
    campaigns_by_body = CampaignsByBodySerializer(
        many=True, help_text="Campaign status by award body."
    )
    precedents = PrecedentSerializer(
        many=True, help_text="Categories won by similar campaigns."
    )


# --- Writes ------------------------------------------------------------------


class SlugRelatedField(serializers.SlugRelatedField):
    """Related records are named by slug in writes, as in reads."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "slug")
        super().__init__(**kwargs)


class CitationInputSerializer(serializers.Serializer):
    source = SlugRelatedField(
        queryset=Source.objects.all(), help_text="The slug of the source cited."
    )
    stance = serializers.ChoiceField(
        choices=CitationStance.choices,
        default=CitationStance.SUPPORTS,
        help_text="Whether the source supports or disputes the claim.",
    )
    quote = serializers.CharField(
        required=False, allow_blank=True, help_text="The passage that says it."
    )
    locator = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Page, paragraph or timestamp.",
    )


class AliasesField(serializers.ListField):
    """Aliases as a JSON list of names (the model stores a list)."""

    child = serializers.CharField()


# \S: a name that is more than whitespace, which is all the model accepts.
extend_schema_field({"type": "array", "items": {"type": "string", "pattern": r"\S"}})(
    AliasesField
)


class RecordWriteSerializer(serializers.ModelSerializer):
    """What the write serializers share: related records by slug, aliases
    as a list, and no write of their own (the views call the services)."""

    serializer_related_field = SlugRelatedField

    class Meta:
        extra_kwargs = {"slug": {"required": False}}

    def build_standard_field(self, field_name, model_field):
        if isinstance(model_field, AliasListField):
            return AliasesField, {
                "required": False,
                "help_text": "Other names it goes by, as a list.",
            }
        return super().build_standard_field(field_name, model_field)

    def create(self, validated_data):  # pragma: no cover - views use services
        raise NotImplementedError("Writes go through tracker.services.records.")

    def update(self, instance, validated_data):  # pragma: no cover
        raise NotImplementedError("Writes go through tracker.services.records.")


def citations_input_field():
    return CitationInputSerializer(
        many=True,
        required=False,
        write_only=True,
        help_text="Sources to cite; a new claim needs at least one (a "
        "production whose IC status is unknown needs none).",
    )


class ProductionWriteSerializer(RecordWriteSerializer):
    """The fields staff may write on a production."""

    citations = citations_input_field()

    class Meta(RecordWriteSerializer.Meta):
        model = Production
        fields = (
            "slug",
            "title",
            "kind",
            "start_year",
            "end_year",
            "aliases",
            "studio",
            "network",
            "ic_status",
            "ic_evidence",
            "ic_notes",
            "imdb_id",
            "wikidata_qid",
            "tmdb_id",
            "citations",
            "preferred_reason",
            "deprecated_on",
            "deprecation_reason",
        )


class PersonWriteSerializer(RecordWriteSerializer):
    """The fields staff may write on a person."""

    class Meta(RecordWriteSerializer.Meta):
        model = Person
        fields = (
            "slug",
            "name",
            "aliases",
            "description",
            "imdb_id",
            "wikidata_qid",
            "tmdb_id",
        )


class OrganizationWriteSerializer(RecordWriteSerializer):
    """The fields staff may write on an organization."""

    class Meta(RecordWriteSerializer.Meta):
        model = Organization
        fields = (
            "slug",
            "name",
            "kind",
            "aliases",
            "website",
            "parent",
            "description",
            "short_name",
        )


class SourceWriteSerializer(RecordWriteSerializer):
    """The fields staff may write on a source."""

    class Meta(RecordWriteSerializer.Meta):
        model = Source
        fields = (
            "slug",
            "url",
            "title",
            "publisher",
            "published_on",
            "kind",
            "notes",
            "published_precision",
        )


class AwardCategoryWriteSerializer(RecordWriteSerializer):
    """The fields staff may write on an award category."""

    citations = citations_input_field()

    class Meta(RecordWriteSerializer.Meta):
        model = AwardCategory
        fields = (
            "slug",
            "name",
            "award_body",
            "status",
            "year_introduced",
            "is_intimacy_coordination",
            "description",
            "citations",
            "preferred_reason",
            "deprecated_on",
            "deprecation_reason",
        )


class AwardOutcomeWriteSerializer(RecordWriteSerializer):
    """The fields staff may write on an award outcome."""

    citations = citations_input_field()

    class Meta(RecordWriteSerializer.Meta):
        model = AwardOutcome
        fields = (
            "slug",
            "category",
            "ceremony_year",
            "result",
            "production",
            "people",
            "citations",
            "preferred_reason",
            "deprecated_on",
            "deprecation_reason",
        )


class AwardMentionWriteSerializer(RecordWriteSerializer):
    """The fields staff may write on an award mention."""

    citations = citations_input_field()

    class Meta(RecordWriteSerializer.Meta):
        model = AwardMention
        fields = (
            "slug",
            "kind",
            "date",
            "date_precision",
            "speaker",
            "coordinator",
            "award_bodies",
            "outcomes",
            "production",
            "quote",
            "citations",
            "quote_kind",
            "preferred_reason",
            "deprecated_on",
            "deprecation_reason",
        )


class StatementWriteSerializer(RecordWriteSerializer):
    """The fields staff may write on a statement."""

    citations = citations_input_field()

    class Meta(RecordWriteSerializer.Meta):
        model = Statement
        fields = (
            "slug",
            "speaker",
            "stance",
            "quote",
            "venue",
            "date",
            "date_precision",
            "production",
            "about_coordinator",
            "citations",
            "quote_kind",
            "preferred_reason",
            "deprecated_on",
            "deprecation_reason",
        )


class PolicyWriteSerializer(RecordWriteSerializer):
    """The fields staff may write on a policy."""

    citations = citations_input_field()

    class Meta(RecordWriteSerializer.Meta):
        model = Policy
        fields = (
            "slug",
            "organization",
            "title",
            "scope",
            "status",
            "effective_on",
            "citations",
            "effective_precision",
            "preferred_reason",
            "deprecated_on",
            "deprecation_reason",
        )


class IndustryStatisticWriteSerializer(RecordWriteSerializer):
    """The fields staff may write on a statistic."""

    citations = citations_input_field()

    class Meta(RecordWriteSerializer.Meta):
        model = IndustryStatistic
        fields = (
            "slug",
            "metric",
            "value",
            "unit",
            "sample",
            "year",
            "report",
            "quoted_wording",
            "publishers",
            "citations",
            "preferred_reason",
            "deprecated_on",
            "deprecation_reason",
        )


class CampaignWriteSerializer(RecordWriteSerializer):
    """The fields staff may write on a campaign."""

    class Meta(RecordWriteSerializer.Meta):
        model = Campaign
        fields = (
            "slug",
            "name",
            "target_body",
            "proposed_category",
            "status",
            "summary",
            "precedents",
        )
