"""FilterSets of the public API. They are strict: an unknown parameter or
a value that does not parse is a 400 naming the parameter, never a
silently unfiltered answer a researcher might quote."""

import django_filters as df
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.forms.utils import ErrorDict, ErrorList
from drf_spectacular.drainage import set_override

from tracker import choices
from tracker.models import (
    AwardCategory,
    AwardMention,
    AwardOutcome,
    Campaign,
    CampaignMilestone,
    Cohort,
    Credit,
    IndustryStatistic,
    NewsArticle,
    Organization,
    Person,
    Policy,
    Production,
    Source,
    Statement,
)
from tracker.querysets import filter_disputed
from tracker.search import search_filter
from tracker.selectors.news import UNMATCHED, article_matches

from .schema import SLUG_PATTERN

# Parameters read by pagination and content negotiation, not by filters.
PASSTHROUGH_PARAMETERS = frozenset({"page", "page_size", "format"})


class DescribedSchemaMixin:
    """A filter whose parameter schema is given here rather than guessed.
    drf-spectacular takes an annotated filter's schema as it is and drops
    the help_text, so the annotation is made per filter, description
    included."""

    parameter_schema: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        schema = dict(self.parameter_schema)
        if self.extra.get("help_text"):
            schema["description"] = str(self.extra["help_text"])
        set_override(self, "field", schema)


class RecordFilter(DescribedSchemaMixin, df.ModelChoiceFilter):
    """A related record named by its slug; an unknown slug is a 400, never
    an empty answer someone might quote as "none"."""

    parameter_schema = {"type": "string", "pattern": SLUG_PATTERN}


def _slug_filter(queryset, field_name: str, help_text: str, **kwargs):
    return RecordFilter(
        queryset=queryset,
        field_name=field_name,
        to_field_name="slug",
        help_text=help_text,
        **kwargs,
    )


# Python's dates (and so `__year` lookups) stop at 1..9999; a bigger number
# overflows SQLite's integers. Outside this range a year is a 400.
YEAR_MIN, YEAR_MAX = 1, 9999


class YearFilter(DescribedSchemaMixin, df.NumberFilter):
    field_class = forms.IntegerField
    parameter_schema = {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        super().__init__(*args, **kwargs)


def _year_filter(field_name: str, lookup: str, help_text: str):
    return YearFilter(field_name=field_name, lookup_expr=lookup, help_text=help_text)


class StrictBooleanField(forms.NullBooleanField):
    """true/false (or 1/0); anything else is an error, where Django's
    NullBooleanField reads a typo as "no filter"."""

    widget = forms.TextInput

    def to_python(self, value):
        text = str(value).strip().lower() if value is not None else ""
        if text == "":
            return None
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise ValidationError("Use true or false.", code="invalid")


class StrictBooleanFilter(df.BooleanFilter):
    field_class = StrictBooleanField


class StrictFilterSet(df.FilterSet):
    passthrough_parameters = PASSTHROUGH_PARAMETERS
    search = df.CharFilter(
        method="filter_search",
        help_text="Words to look for, accents and case ignored; every word must match.",
    )

    def unknown_parameters(self) -> list[str]:
        return sorted(
            key
            for key in self.data
            if key not in self.filters and key not in self.passthrough_parameters
        )

    def blank_parameters(self) -> list[str]:
        # Free text and ordering may be empty; a blank year, date, choice
        # or slug is a mistake, and ignoring it would answer unfiltered.
        return sorted(
            key
            for key, filter_ in self.filters.items()
            if key in self.data
            and not isinstance(filter_, df.CharFilter | df.OrderingFilter)
            and not str(self.data.get(key)).strip()
        )

    def is_valid(self):
        return (
            not self.unknown_parameters()
            and not self.blank_parameters()
            and super().is_valid()
        )

    @property
    def errors(self):
        errors = ErrorDict(self.form.errors)
        allowed = ", ".join(sorted({*self.filters, *self.passthrough_parameters}))
        for key in self.unknown_parameters():
            errors[key] = ErrorList(
                [
                    ValidationError(
                        f"Unknown parameter. Known ones: {allowed}.",
                        code="unknown_parameter",
                    )
                ]
            )
        for key in self.blank_parameters():
            errors[key] = ErrorList(
                [ValidationError("A value is required.", code="required")]
            )
        return errors

    def filter_search(self, queryset, name, value):
        return search_filter(queryset, value)


class ClaimFilterSet(StrictFilterSet):
    """The filters every claim list shares: whether sources disagree on it,
    and whether it still stands."""

    disputed = StrictBooleanFilter(
        method="filter_disputed",
        help_text="true for claims a current citation disputes (sources "
        "disagree); false for the others.",
    )
    deprecated = StrictBooleanFilter(
        method="filter_deprecated",
        help_text="true for claims found wrong and kept for the record; "
        "false for those that stand.",
    )

    def filter_disputed(self, queryset, name, value):
        return filter_disputed(queryset, value)

    def filter_deprecated(self, queryset, name, value):
        return queryset.filter(deprecated_on__isnull=not value)


def ordering(*fields: str) -> df.OrderingFilter:
    return df.OrderingFilter(
        fields=fields,
        help_text="Sort by one of the listed fields; prefix with - to reverse.",
    )


class ProductionFilter(ClaimFilterSet):
    cohort = _slug_filter(
        Cohort.objects.all(),
        "cohorts",
        "The slug of a cohort: only its members (see /api/v1/summary/ for "
        "each cohort's figures).",
    )
    ic_status = df.ChoiceFilter(
        choices=choices.ICStatus.choices, help_text="Whether it used an IC."
    )
    ic_evidence = df.ChoiceFilter(
        choices=choices.ICEvidence.choices,
        help_text="The kind of evidence for its IC status.",
    )
    kind = df.ChoiceFilter(
        choices=choices.ProductionKind.choices, help_text="Film or series."
    )
    year_min = YearFilter(
        method="filter_on_screen_since",
        help_text=(
            "On screen in this year or later: released or ended then or "
            "after, or a series still running."
        ),
    )
    year_max = _year_filter(
        "start_year", "lte", "Released or first aired in this year or earlier."
    )
    undated = StrictBooleanFilter(
        field_name="start_year",
        lookup_expr="isnull",
        help_text="true for productions with no year recorded; false for "
        "those with one.",
    )
    network = _slug_filter(
        Organization.objects.all(), "network", "The network's or streamer's slug."
    )
    studio = _slug_filter(Organization.objects.all(), "studio", "The studio's slug.")
    coordinator = _slug_filter(
        Person.objects.all(),
        "credits__person",
        "The slug of an IC credited on it.",
        method="filter_coordinator",
    )
    ordering = ordering("title", "start_year", "ic_status")

    class Meta:
        model = Production
        fields = ()

    def filter_on_screen_since(self, queryset, name, year):
        # A series with no end year is still running, so a "2024 series"
        # includes one that started in 2020; a film's one year is its start.
        return queryset.filter(
            Q(end_year__gte=year)
            | Q(end_year__isnull=True, start_year__gte=year)
            | Q(
                end_year__isnull=True,
                start_year__isnull=False,
                kind=choices.ProductionKind.SERIES,
            )
        )

    def filter_coordinator(self, queryset, name, person):
        return queryset.filter(
            Exists(
                Credit.objects.filter(
                    production=OuterRef("pk"),
                    person=person,
                    role__in=choices.IC_ROLES,
                )
            )
        )


class PersonFilter(StrictFilterSet):
    role = df.ChoiceFilter(
        choices=choices.CreditRole.choices,
        method="filter_role",
        help_text="Only people holding a credit in this role.",
    )
    ordering = ordering("name")

    class Meta:
        model = Person
        fields = ()

    def filter_role(self, queryset, name, role):
        return queryset.filter(
            Exists(Credit.objects.filter(person=OuterRef("pk"), role=role))
        )


class OrganizationFilter(StrictFilterSet):
    kind = df.ChoiceFilter(
        choices=choices.OrganizationKind.choices,
        help_text="Studio, network, award body...",
    )
    ordering = ordering("name")

    class Meta:
        model = Organization
        fields = ()


class SourceFilter(StrictFilterSet):
    kind = df.ChoiceFilter(
        choices=choices.SourceKind.choices, help_text="Article, speech, report..."
    )
    publisher = df.CharFilter(
        lookup_expr="iexact", help_text="The publisher's name, case ignored."
    )
    published_after = df.DateFilter(
        field_name="published_on",
        lookup_expr="gte",
        help_text="Published on this date (YYYY-MM-DD) or later.",
    )
    published_before = df.DateFilter(
        field_name="published_on",
        lookup_expr="lte",
        help_text="Published on this date (YYYY-MM-DD) or earlier.",
    )
    ordering = ordering("published_on", "title")

    class Meta:
        model = Source
        fields = ()


class AwardCategoryFilter(ClaimFilterSet):
    body = _slug_filter(
        Organization.objects.all(), "award_body", "The award body's slug."
    )
    status = df.ChoiceFilter(
        choices=choices.AwardCategoryStatus.choices,
        help_text="Existing, proposed or newly introduced.",
    )
    is_intimacy_coordination = StrictBooleanFilter(
        help_text="true for categories that would honour ICs."
    )
    ordering = ordering("name", "year_introduced")

    class Meta:
        model = AwardCategory
        fields = ()


class AwardOutcomeFilter(ClaimFilterSet):
    body = _slug_filter(
        Organization.objects.all(), "category__award_body", "The award body's slug."
    )
    category = _slug_filter(
        AwardCategory.objects.all(), "category", "The award category's slug."
    )
    year = YearFilter(field_name="ceremony_year", help_text="The ceremony year.")
    result = df.ChoiceFilter(
        choices=choices.AwardResult.choices, help_text="Won or nominated."
    )
    production = _slug_filter(
        Production.objects.all(), "production", "The production's slug."
    )
    person = _slug_filter(Person.objects.all(), "people", "A person's slug.")
    ordering = ordering("ceremony_year")

    class Meta:
        model = AwardOutcome
        fields = ()


class AwardMentionFilter(ClaimFilterSet):
    coordinator = _slug_filter(
        Person.objects.all(), "coordinator", "The slug of the IC named."
    )
    speaker = _slug_filter(
        Person.objects.all(), "speaker", "The slug of who named the IC."
    )
    body = _slug_filter(
        Organization.objects.all(),
        "award_bodies",
        "The slug of an award body it addresses.",
    )
    year = YearFilter(field_name="date__year", help_text="The year it happened.")
    kind = df.ChoiceFilter(
        choices=choices.AwardMentionKind.choices,
        help_text="Dedication, thanks, nomination or call for a category.",
    )
    production = _slug_filter(
        Production.objects.all(), "production", "The production's slug."
    )
    ordering = ordering("date")

    class Meta:
        model = AwardMention
        fields = ()


class StatementFilter(ClaimFilterSet):
    stance = df.ChoiceFilter(
        choices=choices.Stance.choices, help_text="For, against or neutral."
    )
    speaker = _slug_filter(Person.objects.all(), "speaker", "The speaker's slug.")
    coordinator = _slug_filter(
        Person.objects.all(), "about_coordinator", "The slug of the IC it names."
    )
    production = _slug_filter(
        Production.objects.all(), "production", "The production's slug."
    )
    year = YearFilter(field_name="date__year", help_text="The year it was said.")
    ordering = ordering("date")

    class Meta:
        model = Statement
        fields = ()


class PolicyFilter(ClaimFilterSet):
    organization = _slug_filter(
        Organization.objects.all(), "organization", "The organization's slug."
    )
    status = df.ChoiceFilter(
        choices=choices.PolicyStatus.choices, help_text="Mandated or recommended."
    )
    ordering = ordering("effective_on", "title")

    class Meta:
        model = Policy
        fields = ()


class IndustryStatisticFilter(ClaimFilterSet):
    year = YearFilter(help_text="The year measured.")
    unit = df.ChoiceFilter(
        choices=choices.StatisticUnit.choices, help_text="The figure's unit."
    )
    publisher = _slug_filter(
        Organization.objects.all(), "publishers", "A publisher's slug."
    )
    ordering = ordering("year", "metric")

    class Meta:
        model = IndustryStatistic
        fields = ()


class CampaignFilter(StrictFilterSet):
    body = _slug_filter(
        Organization.objects.all(), "target_body", "The award body's slug."
    )
    status = df.ChoiceFilter(
        choices=choices.CampaignStatus.choices, help_text="How far it has got."
    )
    ordering = ordering("name", "status")

    class Meta:
        model = Campaign
        fields = ()


class CampaignMilestoneFilter(ClaimFilterSet):
    """Milestones have no API list of their own (the API shows them inside
    their campaign); the site's index of them filters here."""

    campaign = _slug_filter(Campaign.objects.all(), "campaign", "The campaign's slug.")
    body = _slug_filter(
        Organization.objects.all(),
        "campaign__target_body",
        "The slug of the award body the campaign addresses.",
    )
    year = YearFilter(field_name="date__year", help_text="The year it happened.")
    ordering = ordering("date", "title")

    class Meta:
        model = CampaignMilestone
        fields = ()


class CohortFilter(StrictFilterSet):
    """A handful of cohorts: search alone, and unknown parameters refused
    as on every list."""

    class Meta:
        model = Cohort
        fields = ()


# --- News --------------------------------------------------------------------

# Staff (and only staff, see views.review_status_requested) may read the
# review queue, or the articles matching nothing and the leads among them,
# instead of the approved articles.
REVIEW_STATUS = "review_status"
LEADS = "leads"
ENTITY_MODELS = {
    choices.MatchEntityType.PRODUCTION: Production,
    choices.MatchEntityType.PERSON: Person,
    choices.MatchEntityType.ORGANIZATION: Organization,
}


class EntityField(forms.CharField):
    """`production:<slug>`, `person:<slug>` or `organization:<slug>`, cleaned
    to (entity type, the record)."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        kind, colon, slug = value.partition(":")
        if not colon or not slug or kind not in ENTITY_MODELS:
            raise ValidationError(
                "Give it as production:<slug>, person:<slug> or organization:<slug>.",
                code="invalid",
            )
        entity = ENTITY_MODELS[kind].objects.filter(slug=slug).first()
        if entity is None:
            raise ValidationError(
                f"The {kind} with the slug {slug!r} does not exist.",
                code="invalid_choice",
            )
        return kind, entity


class EntityFilter(DescribedSchemaMixin, df.Filter):
    """Not free text: a blank value is refused like a blank slug."""

    field_class = EntityField
    # The shape the field accepts; which slugs exist is the database's say.
    parameter_schema = {
        "type": "string",
        "pattern": rf"^(production|person|organization):{SLUG_PATTERN[1:]}",
    }


class NewsFilter(StrictFilterSet):
    passthrough_parameters = PASSTHROUGH_PARAMETERS | {"cursor"}

    entity = EntityFilter(
        method="filter_entity",
        help_text="Only articles matched to this record: production:<slug>, "
        "person:<slug> or organization:<slug>.",
    )
    ic_related = StrictBooleanFilter(
        help_text="true for articles about intimacy coordination."
    )
    award_mention = StrictBooleanFilter(
        help_text="true for articles that name an award body or ceremony "
        "together with intimacy coordination."
    )
    published_after = df.DateFilter(
        field_name="published_at",
        lookup_expr="date__gte",
        help_text="Published on this date (YYYY-MM-DD) or later.",
    )
    published_before = df.DateFilter(
        field_name="published_at",
        lookup_expr="date__lte",
        help_text="Published on this date (YYYY-MM-DD) or earlier.",
    )
    review_status = df.ChoiceFilter(
        choices=[
            *choices.ReviewStatus.choices,
            (UNMATCHED, "Matches nothing tracked"),
        ],
        method="filter_review_status",
        help_text="Staff only: show articles with matches in this review "
        f"status instead of approved ones, or ({UNMATCHED}) those that match "
        "nothing at all (anyone else gets a 400).",
    )
    leads = StrictBooleanFilter(
        method="filter_leads",
        help_text="Staff only: true for the leads alone (open ones, flagged "
        "as about intimacy coordination or an award mention, matching "
        "nothing tracked), false to leave them out. With true, review_status "
        f"may only be {UNMATCHED} (anyone else gets a 400).",
    )

    class Meta:
        model = NewsArticle
        fields = ()

    def shown_status(self) -> str:
        shown = self.form.cleaned_data.get(REVIEW_STATUS)
        return shown or choices.ReviewStatus.APPROVED

    def filter_entity(self, queryset, name, value):
        kind, entity = value
        return queryset.filter(
            Exists(
                article_matches(self.shown_status()).filter(
                    article=OuterRef("pk"), **{kind: entity}
                )
            )
        )

    def filter_review_status(self, queryset, name, value):
        # The selector already applied it: the prefetched matches depend on
        # it, so it has to be known before the filters run.
        return queryset

    def filter_leads(self, queryset, name, value):
        # Applied by the selector too, with review_status.
        return queryset
