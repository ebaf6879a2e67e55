"""Admin for the tracker's domain records: what campaign staff curate."""

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import (
    BaseGenericInlineFormSet,
    GenericTabularInline,
)
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from tracker.choices import EvidenceStrength
from tracker.models import (
    AwardCategory,
    AwardMention,
    AwardOutcome,
    Campaign,
    CampaignMilestone,
    Citation,
    Cohort,
    Credit,
    IndustryStatistic,
    Organization,
    Person,
    Policy,
    Production,
    Source,
    Statement,
)
from tracker.querysets import disputed_q

from .archive import SourceArchiveAdmin
from .deprecation import deprecate_selected
from .history import inline_history
from .resources import (
    AwardCategoryResource,
    AwardMentionResource,
    AwardOutcomeResource,
    CampaignMilestoneResource,
    CampaignResource,
    CohortResource,
    IndustryStatisticResource,
    OrganizationResource,
    PersonResource,
    PolicyResource,
    ProductionResource,
    SourceResource,
    StatementResource,
)
from .spreadsheets import SpreadsheetAdmin

# Query parameters that prefill the first citation of a new claim, set by
# "Cite in a claim" on a news article: the source made from it and the
# passage staff selected.
CITE_SOURCE, CITE_QUOTE = "cite_source", "cite_quote"


class RequiredCitationFormSet(BaseGenericInlineFormSet):
    """Refuses to save a claim that would be left without a source."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = sum(
            1
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("source")
        )
        try:
            self.instance.ensure_cited(pending_citations=kept)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["citations"]) from exc
        # The claim's verbatim quote is checked against the citations as
        # this save leaves them, which only the formset knows.
        pending = [
            form.instance
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("source")
        ]
        try:
            self.instance.ensure_quote_found(citations=pending)
        except ValidationError as exc:
            field = self.instance.quote_field
            raise ValidationError(
                f"{field}: {' '.join(exc.message_dict[field])}"
            ) from exc


class CitationInline(GenericTabularInline):
    model = Citation
    formset = RequiredCitationFormSet
    extra = 1
    autocomplete_fields = ("source",)
    fields = (
        "source",
        "stance",
        "quote",
        "quote_kind",
        "source_says",
        "locator",
        "deprecated_on",
        "deprecation_reason",
    )
    verbose_name_plural = "citations (at least one source for every claim)"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        source = request.GET.get(CITE_SOURCE, "")
        if request.method == "GET" and source.isdigit():
            # The first extra form cites the source staff came from.
            initial = {"source": int(source), "stance": "supports"}
            initial["quote"] = request.GET.get(CITE_QUOTE, "")[:5000]
            return _prefilled(formset, initial)
        return formset


def _prefilled(formset_class, initial: dict):
    class PrefilledCitationFormSet(formset_class):
        def __init__(self, *args, **kwargs):
            kwargs.setdefault("initial", [initial])
            super().__init__(*args, **kwargs)

    return PrefilledCitationFormSet


class ChangeReasonForm(forms.ModelForm):
    """Every edit form asks why; the answer is kept in the history."""

    change_reason = forms.CharField(
        label="Reason for this change",
        required=False,
        max_length=100,
        help_text="Shown in the history, e.g. 'corrected the year from the "
        "BAFTA programme'.",
    )


class ClaimForm(ChangeReasonForm):
    def _post_clean(self):
        # The model's own quote check reads the saved citations; the
        # citation formset checks the ones this save leaves instead.
        self.instance._quote_check_deferred = True
        super()._post_clean()


class DisputedListFilter(admin.SimpleListFilter):
    title = "disputed"
    parameter_name = "disputed"

    def lookups(self, request, model_admin):
        return [("yes", "Disputed"), ("no", "Not disputed")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(disputed_q(queryset.model))
        if self.value() == "no":
            return queryset.exclude(disputed_q(queryset.model))
        return queryset


class DeprecatedListFilter(admin.SimpleListFilter):
    title = "deprecated"
    parameter_name = "deprecated"

    def lookups(self, request, model_admin):
        return [("yes", "Deprecated"), ("no", "Current")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(deprecated_on__isnull=self.value() == "no")
        return queryset


CLAIM_FILTERS = (DisputedListFilter, DeprecatedListFilter)
CLAIM_FIELDSET = (
    "Disputes and corrections",
    {
        "fields": ("preferred_reason", "deprecated_on", "deprecation_reason"),
        "classes": ("collapse",),
        "description": "Where sources disagree, record the disputing source "
        "as a citation and say here why the recorded value is preferred. "
        "Deprecate a claim found wrong instead of deleting it: select it in "
        "the list and run <em>Deprecate the selected claims…</em>, which asks "
        "for the reason and the date; the fields below correct them later.",
    },
)


class TrackerAdmin(SimpleHistoryAdmin):
    """Every change is recorded by django-simple-history and readable from
    the History button, with the reason staff gave and the changes made to
    inline rows (citations, credits)."""

    form = ChangeReasonForm
    save_on_top = True
    readonly_fields = ("created_at", "updated_at")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    object_history_template = "tracker/admin/object_history.html"
    object_history_list_template = "tracker/admin/object_history_list.html"

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        named = {f for _, options in fieldsets for f in options["fields"]}
        if "change_reason" not in named:
            fieldsets = [*fieldsets, ("Why", {"fields": ("change_reason",)})]
        return fieldsets

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "change_reason"]
        return fields

    @staticmethod
    def _reason(form) -> str:
        return (getattr(form, "cleaned_data", {}) or {}).get("change_reason", "")

    def save_model(self, request, obj, form, change):
        obj._change_reason = self._reason(form)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        reason = self._reason(form)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj._change_reason = reason
            obj.delete()
        for obj in instances:
            obj._change_reason = reason
            obj.save()
        formset.save_m2m()

    def history_view(self, request, object_id, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "inline_changes": inline_history(self, object_id),
        }
        return super().history_view(request, object_id, extra_context)


def citation_count(obj) -> int:
    return obj.citation_total


citation_count.short_description = "sources"
citation_count.admin_order_field = "citation_total"


class CitedAdmin(TrackerAdmin):
    form = ClaimForm
    inlines = (CitationInline,)
    # Deprecating asks for a reason and a date on a page of its own, then
    # goes through record_deprecate (tracker.admin.deprecation).
    actions = (deprecate_selected,)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(citation_total=Count("citations", distinct=True))
        )


@admin.register(Source)
class SourceAdmin(SourceArchiveAdmin, SpreadsheetAdmin, TrackerAdmin):
    resource_classes = (SourceResource,)
    list_display = (
        "title",
        "publisher",
        "kind",
        "published_display",
        "link",
        "link_status",
    )
    list_filter = ("kind", "publisher", "link_health__status")
    list_select_related = ("link_health",)
    inlines = SourceArchiveAdmin.archive_inlines
    actions = SourceArchiveAdmin.archive_actions
    search_fields = ("title", "publisher", "url")
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ("title",)}

    @admin.display(description="URL")
    def link(self, source):
        if not source.url:
            return "-"
        return format_html(
            '<a href="{}" rel="noopener noreferrer" target="_blank">open</a>',
            source.url,
        )


@admin.register(Organization)
class OrganizationAdmin(SpreadsheetAdmin, TrackerAdmin):
    resource_classes = (OrganizationResource,)
    list_display = ("name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "aliases", "slug")
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name",)}


class CreditInline(admin.TabularInline):
    model = Credit
    extra = 1
    autocomplete_fields = ("person",)
    fields = ("person", "role", "note")


class PersonCreditInline(CreditInline):
    autocomplete_fields = ("production",)
    fields = ("production", "role", "note")


@admin.register(Person)
class PersonAdmin(SpreadsheetAdmin, TrackerAdmin):
    resource_classes = (PersonResource,)
    list_display = ("name", "roles", "wikidata_qid", "imdb_id")
    list_filter = ("credits__role",)
    search_fields = ("name", "aliases", "slug", "wikidata_qid", "imdb_id")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (PersonCreditInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("credits")

    @admin.display(description="roles")
    def roles(self, person):
        labels = sorted({c.get_role_display() for c in person.credits.all()})
        return ", ".join(labels) or "-"


class YearListFilter(admin.SimpleListFilter):
    title = "start year"
    parameter_name = "decade"

    def lookups(self, request, model_admin):
        return [
            ("2020", "2020s"),
            ("2010", "2010s"),
            ("2000", "2000s"),
            ("1990", "1990s"),
            ("older", "Before 1990"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "older":
            return queryset.filter(start_year__lt=1990)
        if value and value.isdigit():
            start = int(value)
            return queryset.filter(start_year__gte=start, start_year__lt=start + 10)
        return queryset


@admin.register(Production)
class ProductionAdmin(SpreadsheetAdmin, CitedAdmin):
    resource_classes = (ProductionResource,)

    class Media:
        css = {"all": ("tracker/admin/evidence.css",)}

    list_display = (
        "title",
        "kind",
        "start_year",
        "network",
        "ic_status",
        "evidence",
        "coordinator_names",
        citation_count,
    )
    list_filter = (
        "ic_status",
        "ic_evidence",
        "kind",
        YearListFilter,
        *CLAIM_FILTERS,
        ("cohorts", admin.RelatedOnlyFieldListFilter),
        ("network", admin.RelatedOnlyFieldListFilter),
        ("studio", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("network", "studio")
    search_fields = ("title", "aliases", "slug", "imdb_id", "wikidata_qid")
    autocomplete_fields = ("studio", "network")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (CreditInline, CitationInline)
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "start_year", "end_year")}),
        ("Made by", {"fields": ("studio", "network")}),
        (
            "Intimacy coordination",
            {
                "fields": ("ic_status", "ic_evidence", "ic_notes"),
                "description": "A status other than unknown needs at least "
                "one citation below.",
            },
        ),
        (
            "Other names and ids",
            {"fields": ("aliases", "wikidata_qid", "imdb_id", "tmdb_id")},
        ),
        CLAIM_FIELDSET,
        ("Record", {"fields": ("created_at", "updated_at")}),
        ("Why", {"fields": ("change_reason",)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("credits__person")

    @admin.display(description="evidence", ordering="ic_evidence")
    def evidence(self, production):
        strength = EvidenceStrength(production.ic_evidence_strength)
        return format_html(
            # A class, not a style attribute: the CSP forbids inline styles.
            '<strong class="evidence-{}" title="{}">{}</strong>',
            strength.value,
            production.get_ic_evidence_display() or "no evidence",
            strength.label,
        )

    @admin.display(description="coordinators")
    def coordinator_names(self, production):
        return ", ".join(p.name for p in production.coordinators) or "-"


@admin.register(AwardCategory)
class AwardCategoryAdmin(SpreadsheetAdmin, CitedAdmin):
    resource_classes = (AwardCategoryResource,)
    list_display = (
        "name",
        "award_body",
        "status",
        "year_introduced",
        "is_intimacy_coordination",
    )
    list_filter = ("status", "is_intimacy_coordination", "award_body", *CLAIM_FILTERS)
    list_select_related = ("award_body",)
    search_fields = ("name", "award_body__name")
    autocomplete_fields = ("award_body",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(AwardOutcome)
class AwardOutcomeAdmin(SpreadsheetAdmin, CitedAdmin):
    resource_classes = (AwardOutcomeResource,)
    list_display = ("__str__", "ceremony_year", "result", citation_count)
    list_filter = ("result", "ceremony_year", "category__award_body", *CLAIM_FILTERS)
    list_select_related = ("category__award_body", "production")
    search_fields = ("category__name", "production__title", "people__name")
    autocomplete_fields = ("category", "production", "people")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("people")


class AwardMentionForm(ClaimForm):
    def clean(self):
        cleaned = super().clean()
        errors = AwardMention.relations_errors(
            cleaned.get("award_bodies") or (), cleaned.get("outcomes") or ()
        )
        for field, message in errors.items():
            self.add_error(field, message)
        return cleaned


@admin.register(AwardMention)
class AwardMentionAdmin(SpreadsheetAdmin, CitedAdmin):
    form = AwardMentionForm
    resource_classes = (AwardMentionResource,)
    list_display = (
        "speaker",
        "kind",
        "coordinator",
        "body_names",
        "date",
        citation_count,
    )
    list_filter = ("kind", "award_bodies", "quote_kind", *CLAIM_FILTERS)
    list_select_related = ("speaker", "coordinator")
    search_fields = ("quote", "speaker__name", "coordinator__name")
    autocomplete_fields = (
        "speaker",
        "coordinator",
        "award_bodies",
        "outcomes",
        "production",
    )
    date_hierarchy = "date"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("award_bodies")

    @admin.display(description="award bodies")
    def body_names(self, mention):
        return ", ".join(body.name for body in mention.award_bodies.all())


@admin.register(Statement)
class StatementAdmin(SpreadsheetAdmin, CitedAdmin):
    resource_classes = (StatementResource,)
    list_display = ("speaker", "stance", "short_quote", "production", "date")
    list_filter = ("stance", "quote_kind", "date_precision", *CLAIM_FILTERS)
    list_select_related = ("speaker", "production")
    search_fields = ("quote", "speaker__name", "venue", "production__title")
    autocomplete_fields = ("speaker", "production", "about_coordinator")
    date_hierarchy = "date"

    @admin.display(description="quote")
    def short_quote(self, statement):
        quote = statement.quote
        return quote if len(quote) <= 90 else f"{quote[:87]}..."


@admin.register(Policy)
class PolicyAdmin(SpreadsheetAdmin, CitedAdmin):
    resource_classes = (PolicyResource,)
    list_display = ("title", "organization", "status", "effective_display")
    list_filter = ("status", *CLAIM_FILTERS)
    list_select_related = ("organization",)
    search_fields = ("title", "scope", "organization__name")
    autocomplete_fields = ("organization",)


@admin.register(IndustryStatistic)
class IndustryStatisticAdmin(SpreadsheetAdmin, CitedAdmin):
    resource_classes = (IndustryStatisticResource,)
    list_display = ("metric", "value", "unit", "year", "sample", "publisher_names")
    list_filter = ("year", "unit", *CLAIM_FILTERS)
    search_fields = ("metric", "report", "sample", "quoted_wording")
    autocomplete_fields = ("publishers",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("publishers")

    @admin.display(description="publishers")
    def publisher_names(self, statistic):
        return ", ".join(o.name for o in statistic.publishers.all())


@admin.register(CampaignMilestone)
class CampaignMilestoneAdmin(SpreadsheetAdmin, CitedAdmin):
    resource_classes = (CampaignMilestoneResource,)
    list_display = ("title", "campaign", "date", citation_count)
    list_filter = ("campaign", *CLAIM_FILTERS)
    list_select_related = ("campaign",)
    search_fields = ("title", "description", "campaign__name")
    autocomplete_fields = ("campaign",)


@admin.register(Campaign)
class CampaignAdmin(SpreadsheetAdmin, TrackerAdmin):
    resource_classes = (CampaignResource,)
    list_display = (
        "name",
        "target_body",
        "status",
        "proposed_category",
        "milestones_list",
    )
    list_filter = ("status", "target_body")
    list_select_related = ("target_body", "proposed_category")
    search_fields = ("name", "summary", "target_body__name")
    autocomplete_fields = ("target_body", "proposed_category", "precedents")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = (*TrackerAdmin.readonly_fields, "milestones_list")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("milestones")

    @admin.display(description="milestones")
    def milestones_list(self, campaign):
        return (
            format_html_join(
                "", "<div>{}</div>", ((str(m),) for m in campaign.milestones.all())
            )
            or "-"
        )


@admin.register(Cohort)
class CohortAdmin(SpreadsheetAdmin, TrackerAdmin):
    resource_classes = (CohortResource,)
    list_display = ("name", "year", "self_selected", "member_count", "list_source")
    list_filter = ("self_selected", "year")
    list_select_related = ("list_source",)
    search_fields = ("name", "description", "inclusion_rule")
    autocomplete_fields = ("list_source", "members")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("members"))

    @admin.display(description="members", ordering="member_total")
    def member_count(self, cohort):
        return cohort.member_total
