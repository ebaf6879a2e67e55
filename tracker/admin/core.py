"""Admin for the tracker's domain records: what campaign staff curate."""

from django.contrib import admin
from django.contrib.contenttypes.admin import (
    BaseGenericInlineFormSet,
    GenericTabularInline,
)
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.utils.html import format_html, format_html_join
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from tracker.choices import EvidenceStrength
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

from .archive import SourceArchiveAdmin
from .resources import PersonResource, ProductionResource

admin.site.site_header = "Intimacy coordination awards tracker"
admin.site.site_title = "IC tracker admin"
admin.site.index_title = "Evidence for an intimacy coordination award"


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


class CitationInline(GenericTabularInline):
    model = Citation
    formset = RequiredCitationFormSet
    extra = 1
    autocomplete_fields = ("source",)
    fields = ("source", "stance", "quote", "locator")
    verbose_name_plural = "citations (at least one source for every claim)"


class TrackerAdmin(SimpleHistoryAdmin):
    """Every change is recorded by django-simple-history and readable from
    the History button."""

    save_on_top = True
    readonly_fields = ("created_at", "updated_at")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


def citation_count(obj) -> int:
    return obj.citation_total


citation_count.short_description = "sources"
citation_count.admin_order_field = "citation_total"


class CitedAdmin(TrackerAdmin):
    inlines = (CitationInline,)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(citation_total=Count("citations", distinct=True))
        )


@admin.register(Source)
class SourceAdmin(SourceArchiveAdmin, TrackerAdmin):
    list_display = ("title", "publisher", "kind", "published_on", "link", "link_status")
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
class OrganizationAdmin(TrackerAdmin):
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
class PersonAdmin(ImportExportModelAdmin, TrackerAdmin):
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
class ProductionAdmin(ImportExportModelAdmin, CitedAdmin):
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
        ("Record", {"fields": ("created_at", "updated_at")}),
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
class AwardCategoryAdmin(CitedAdmin):
    list_display = (
        "name",
        "award_body",
        "status",
        "year_introduced",
        "is_intimacy_coordination",
    )
    list_filter = ("status", "is_intimacy_coordination", "award_body")
    list_select_related = ("award_body",)
    search_fields = ("name", "award_body__name")
    autocomplete_fields = ("award_body",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(AwardOutcome)
class AwardOutcomeAdmin(CitedAdmin):
    list_display = ("__str__", "ceremony_year", "result", citation_count)
    list_filter = ("result", "ceremony_year", "category__award_body")
    list_select_related = ("category__award_body", "production")
    search_fields = ("category__name", "production__title", "people__name")
    autocomplete_fields = ("category", "production", "people")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("people")


@admin.register(AwardMention)
class AwardMentionAdmin(CitedAdmin):
    list_display = (
        "speaker",
        "kind",
        "coordinator",
        "award_body",
        "date",
        citation_count,
    )
    list_filter = ("kind", "award_body")
    list_select_related = ("speaker", "coordinator", "award_body")
    search_fields = ("quote", "speaker__name", "coordinator__name")
    autocomplete_fields = (
        "speaker",
        "coordinator",
        "award_body",
        "outcome",
        "production",
    )
    date_hierarchy = "date"


@admin.register(Statement)
class StatementAdmin(CitedAdmin):
    list_display = ("speaker", "stance", "short_quote", "production", "date")
    list_filter = ("stance", "date_precision")
    list_select_related = ("speaker", "production")
    search_fields = ("quote", "speaker__name", "venue", "production__title")
    autocomplete_fields = ("speaker", "production", "about_coordinator")
    date_hierarchy = "date"

    @admin.display(description="quote")
    def short_quote(self, statement):
        quote = statement.quote
        return quote if len(quote) <= 90 else f"{quote[:87]}..."


@admin.register(Policy)
class PolicyAdmin(CitedAdmin):
    list_display = ("title", "organization", "status", "effective_on")
    list_filter = ("status",)
    list_select_related = ("organization",)
    search_fields = ("title", "scope", "organization__name")
    autocomplete_fields = ("organization",)


@admin.register(IndustryStatistic)
class IndustryStatisticAdmin(CitedAdmin):
    list_display = ("metric", "value", "unit", "year", "sample", "publisher_names")
    list_filter = ("year", "unit")
    search_fields = ("metric", "report", "sample", "quoted_wording")
    autocomplete_fields = ("publishers",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("publishers")

    @admin.display(description="publishers")
    def publisher_names(self, statistic):
        return ", ".join(o.name for o in statistic.publishers.all())


@admin.register(CampaignMilestone)
class CampaignMilestoneAdmin(CitedAdmin):
    list_display = ("title", "campaign", "date", citation_count)
    list_filter = ("campaign",)
    list_select_related = ("campaign",)
    search_fields = ("title", "description", "campaign__name")
    autocomplete_fields = ("campaign",)


@admin.register(Campaign)
class CampaignAdmin(TrackerAdmin):
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
