"""Admin for the news pipeline: feeds and their health; the review queue,
one row per article, where staff approve or reject what each article was
matched to; the leads (flagged articles naming nothing tracked); the aliases
that rejections made ambiguous; and the step from an article to a source
and a claim citing it.

Every action that writes checks the permission it needs: reviewing needs
change permission on matches, refreshing or reactivating a feed change
permission on feeds, so a view-only staff member publishes nothing."""

import re
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from tracker.choices import LeadStatus, MatchEntityType, ReviewStatus
from tracker.models import (
    AmbiguousAlias,
    ArticleMatch,
    AwardMention,
    Feed,
    Lead,
    NewsArticle,
    Policy,
    Production,
    Statement,
)
from tracker.news.fetch import FetchError, feed_url_check
from tracker.news.match import html_to_text
from tracker.news.parse import summary_clean
from tracker.news.services import feed_limits
from tracker.selectors.review import leads_list, review_queue
from tracker.services.feeds import feeds_reactivate, feeds_refresh_queue
from tracker.services.review import (
    ambiguous_aliases_clear,
    article_source_make,
    articles_decide,
    lead_promote,
    leads_dismiss,
    matches_decide,
)

from .core import CITE_QUOTE, CITE_SOURCE, ChangeReasonForm, TrackerAdmin

# "Refresh now" queues one task per feed; more than this at once is what
# the schedule is for.
REFRESH_NOW_LIMIT = 10
SNIPPET_CHARS = 240


class FeedForm(ChangeReasonForm):
    url = forms.URLField(label="Feed URL", max_length=1000, assume_scheme="https")

    class Meta:
        model = Feed
        fields = ("url", "name", "publisher", "active", "interval_minutes")

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            feed_url_check(
                url,
                allow_private=settings.TRACKER_ALLOW_PRIVATE_FEEDS,
                limits=feed_limits(),
            )
        except FetchError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return url


@admin.register(Feed)
class FeedAdmin(TrackerAdmin):
    form = FeedForm
    list_display = (
        "name",
        "url",
        "active",
        "last_status",
        "last_checked_at",
        "last_success_at",
        "consecutive_failures",
        "next_fetch_at",
        "article_count",
        "short_error",
    )
    list_filter = ("active", "last_status", "publisher")
    search_fields = ("name", "url")
    list_select_related = ("publisher",)
    autocomplete_fields = ("publisher",)
    actions = ("refresh_now", "reactivate")
    readonly_fields = (
        "last_status",
        "last_checked_at",
        "last_success_at",
        "consecutive_failures",
        "next_fetch_at",
        "last_error",
        "disabled_reason",
        "etag",
        "last_modified",
        "created_at",
        "updated_at",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("sightings"))

    @admin.display(description="articles", ordering="article_total")
    def article_count(self, feed):
        return feed.article_total

    @admin.display(description="last error")
    def short_error(self, feed):
        return Truncator(feed.disabled_reason or feed.last_error).chars(80)

    @admin.action(description="Refresh now", permissions=("change",))
    def refresh_now(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True)[: REFRESH_NOW_LIMIT + 1])
        if len(ids) > REFRESH_NOW_LIMIT:
            self.message_user(
                request,
                f"Select at most {REFRESH_NOW_LIMIT} feeds to refresh now; the "
                "schedule refreshes the rest.",
                messages.ERROR,
            )
            return
        queued = feeds_refresh_queue(feed_ids=ids)
        if queued:
            self.message_user(
                request,
                f"Refresh queued for {len(queued)} feed(s); each feed's status "
                "shows the result once the worker has fetched it.",
                messages.SUCCESS,
            )
        skipped = len(ids) - len(queued)
        if skipped:
            self.message_user(
                request,
                f"{skipped} feed(s) not queued: inactive (reactivate them "
                "first) or the task queue is unreachable (see the logs).",
                messages.WARNING,
            )

    @admin.action(description="Reactivate and clear failures", permissions=("change",))
    def reactivate(self, request, queryset):
        count = feeds_reactivate(feed_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, f"{count} feed(s) reactivated.")


# --- the review queue ---------------------------------------------------------


class ReviewActionForm(ActionForm):
    reason = forms.CharField(
        label="Reason (for a rejection)",
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"size": 30}),
    )


def snippet(article, aliases) -> str:
    """A stretch of the summary around the first name matched, with every
    matched name marked; escaped piece by piece."""
    text = " ".join(html_to_text(article.summary).split())
    names = sorted({a for a in aliases if a}, key=len, reverse=True)
    pattern = (
        re.compile("|".join(re.escape(n) for n in names), re.IGNORECASE)
        if names
        else None
    )
    start = 0
    if pattern and (first := pattern.search(text)):
        start = max(0, first.start() - SNIPPET_CHARS // 3)
    window = text[start : start + SNIPPET_CHARS]
    prefix = "..." if start else ""
    suffix = "..." if start + SNIPPET_CHARS < len(text) else ""
    if not pattern:
        return format_html("{}{}{}", prefix, window, suffix)
    pieces, last = [], 0
    for hit in pattern.finditer(window):
        pieces.append(
            format_html("{}<mark>{}</mark>", window[last : hit.start()], hit.group())
        )
        last = hit.end()
    pieces.append(format_html("{}", window[last:]))
    return format_html("{}{}{}", prefix, mark_safe("".join(pieces)), suffix)  # noqa: S308  # nosec B308 B703


def article_title_link(article):
    return format_html(
        '<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>',
        article.canonical_url,
        Truncator(article.title).chars(110),
    )


def flags(article):
    labels = []
    if article.ic_related:
        labels.append(("flag flag--ic", "IC"))
    if article.award_mention:
        labels.append(("flag flag--award", "award"))
    return format_html_join(" ", '<span class="{}">{}</span>', labels) or "-"


class ReviewStatusFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return (("pending", "Waiting for review"), ("reviewed", "Reviewed"))

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.filter(has_pending=True)
        if self.value() == "reviewed":
            return queryset.filter(has_pending=False)
        return queryset


class ArticleMatchInline(admin.TabularInline):
    """Each match of the article, decided one by one (or all at once with
    the buttons above)."""

    model = ArticleMatch
    extra = 0
    can_delete = False
    fields = (
        "entity_type",
        "entity_name",
        "alias",
        "field",
        "score",
        "review_status",
        "rejection_reason",
    )
    readonly_fields = ("entity_type", "entity_name", "alias", "field", "score")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("tracker.change_articlematch")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("production", "person", "organization")
        )

    @admin.display(description="entity")
    def entity_name(self, match):
        return str(match.entity)


class CiteForm(forms.Form):
    """From an article to evidence: the source made from it, then a claim
    form prefilled to cite it, with the passage staff selected."""

    passage = forms.CharField(
        label="Passage to quote",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "cite-passage"}),
        help_text="Select text in the summary above to copy it here, or paste it.",
    )
    claim = forms.ChoiceField(label="Cite it in")

    def __init__(self, *args, productions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claim"].choices = [
            *((f"production:{p.pk}", f"IC status of {p}") for p in productions),
            ("production", "IC status of a new production"),
            ("statement", "A statement"),
            ("awardmention", "An award mention"),
            ("policy", "A policy"),
        ]


CLAIM_MODELS = {
    "production": Production,
    "statement": Statement,
    "awardmention": AwardMention,
    "policy": Policy,
}


class ArticleEvidenceMixin:
    """The "cite" view shared by the review queue and the leads."""

    change_form_template = "tracker/admin/newsarticle_change_form.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/cite/",
                self.admin_site.admin_view(self.cite_view),
                name=f"{info[0]}_{info[1]}_cite",
            ),
            *super().get_urls(),
        ]

    def _matched_productions(self, article):
        return [
            m.production
            for m in article.matches.select_related("production")
            if m.entity_type == MatchEntityType.PRODUCTION
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if article is not None:
            extra_context["cite_form"] = CiteForm(
                productions=self._matched_productions(article)
            )
            extra_context["cite_url"] = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_cite",
                args=[article.pk],
            )
            extra_context["article_source"] = article.source
        return super().change_view(request, object_id, form_url, extra_context)

    def cite_view(self, request, object_id):
        article = get_object_or_404(NewsArticle, pk=object_id)
        if request.method != "POST":
            return HttpResponseRedirect(
                reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                    args=[article.pk],
                )
            )
        form = CiteForm(request.POST, productions=self._matched_productions(article))
        if not form.is_valid():
            self.message_user(
                request, f"Not cited: {form.errors.as_text()}", messages.ERROR
            )
            return HttpResponseRedirect(request.META.get("HTTP_REFERER", "../"))
        target, _, pk = form.cleaned_data["claim"].partition(":")
        model = CLAIM_MODELS[target]
        perm = "change" if pk else "add"
        if not request.user.has_perm(f"tracker.{perm}_{model._meta.model_name}"):
            raise PermissionDenied
        return self.cite(request, article, model, pk, form.cleaned_data["passage"])

    def cite(self, request, article, model, pk, passage):
        if not request.user.has_perm("tracker.add_source"):
            raise PermissionDenied
        source, created = self.source_make(request, article)
        self.message_user(
            request,
            f"Source {'created' if created else 'found'}: {source}. Complete the "
            "claim below; its first citation is filled in.",
            messages.SUCCESS,
        )
        params = {CITE_SOURCE: source.pk, CITE_QUOTE: passage}
        if model in (Statement, AwardMention) and passage:
            params["quote"] = passage
        if model is Statement and article.published_at:
            params["date"] = article.published_at.date().isoformat()
        view = "change" if pk else "add"
        url = reverse(
            f"admin:tracker_{model._meta.model_name}_{view}", args=[pk] if pk else []
        )
        return HttpResponseRedirect(f"{url}?{urlencode(params)}")

    def source_make(self, request, article):
        return article_source_make(article=article)


@admin.register(NewsArticle)
class NewsArticleAdmin(ArticleEvidenceMixin, admin.ModelAdmin):
    """The review queue: one row per article with matches, those waiting
    for review first."""

    list_display = (
        "review_link",
        "title_link",
        "feed",
        "published_at",
        "flag_labels",
        "matched",
        "summary_snippet",
    )
    list_display_links = ("review_link",)
    list_filter = (
        ReviewStatusFilter,
        "ic_related",
        "award_mention",
        ("feed", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("title", "canonical_url")
    date_hierarchy = "published_at"
    inlines = (ArticleMatchInline,)
    action_form = ReviewActionForm
    actions = ("approve", "reject", "make_source")
    list_per_page = 50
    readonly_fields = (
        "title_link",
        "feed",
        "published_at",
        "flag_labels",
        "summary_html",
        "source",
        "canonical_url",
        "created_at",
    )
    fields = readonly_fields

    class Media:
        css = {"all": ("tracker/admin/curation.css",)}
        js = ("tracker/admin/cite.js",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_review_permission(self, request):
        return request.user.has_perm("tracker.change_articlematch")

    def has_change_permission(self, request, obj=None):
        # The only change made here is reviewing its matches.
        return self.has_review_permission(request)

    def get_queryset(self, request):
        return review_queue()

    def get_object(self, request, object_id, from_field=None):
        # The list is the queue; any stored article opens, matched or not.
        return (
            NewsArticle.objects.select_related("feed__publisher", "source")
            .filter(pk=object_id if str(object_id).isdigit() else None)
            .first()
        )

    @admin.display(description="")
    def review_link(self, article):
        if article.pending_total:
            return format_html(
                '<strong class="pending">Review {}</strong>', article.pending_total
            )
        return "Reviewed"

    @admin.display(description="title", ordering="title")
    def title_link(self, article):
        return article_title_link(article)

    @admin.display(description="flags")
    def flag_labels(self, article):
        return flags(article)

    @admin.display(description="matched")
    def matched(self, article):
        return format_html_join(
            ", ",
            '<span class="match match--{}">{}</span>',
            ((m.review_status, m.entity) for m in article.listed_matches),
        )

    @admin.display(description="snippet")
    def summary_snippet(self, article):
        return snippet(article, [m.alias for m in article.listed_matches])

    @admin.display(description="summary")
    def summary_html(self, article):
        # Sanitized with an allow-list (nh3) when it was stored, and again
        # here: a row written by other means must not run in the admin.
        return mark_safe(  # noqa: S308  # nosec B308 B703
            f'<div class="article-summary">{summary_clean(article.summary)}</div>'
        )

    def _decide(self, request, queryset, status):
        changed = articles_decide(
            article_ids=queryset.values_list("pk", flat=True),
            status=status,
            reviewer=request.user,
            reason=request.POST.get("reason", ""),
        )
        self.message_user(request, f"{changed} match(es) {status}.")

    @admin.action(
        description="Approve every match of the selected articles",
        permissions=("review",),
    )
    def approve(self, request, queryset):
        self._decide(request, queryset, ReviewStatus.APPROVED)

    @admin.action(
        description="Reject every match of the selected articles",
        permissions=("review",),
    )
    def reject(self, request, queryset):
        self._decide(request, queryset, ReviewStatus.REJECTED)

    def has_source_permission(self, request):
        return request.user.has_perm("tracker.add_source")

    @admin.action(
        description="Make sources of the selected articles", permissions=("source",)
    )
    def make_source(self, request, queryset):
        made = found = 0
        for article in queryset.select_related("feed__publisher"):
            _, created = article_source_make(article=article)
            made, found = made + created, found + (not created)
        self.message_user(request, f"{made} source(s) created, {found} already there.")

    def save_formset(self, request, form, formset, change):
        """Decisions on single matches go through the review service, so
        they record the reviewer and teach the matcher."""
        if not self.has_review_permission(request):
            raise PermissionDenied
        # Nothing is written by this: it lists what changed for the admin's
        # log message.
        formset.save(commit=False)
        for match_form in formset.forms:
            if not match_form.has_changed():
                continue
            match = match_form.instance
            status = match_form.cleaned_data.get("review_status")
            reason = match_form.cleaned_data.get("rejection_reason", "")
            if status in (ReviewStatus.APPROVED, ReviewStatus.REJECTED):
                matches_decide(
                    match_ids=[match.pk],
                    status=status,
                    reviewer=request.user,
                    reason=reason,
                )

    def save_model(self, request, obj, form, change):
        # The article itself is read-only; only its matches are saved.
        return None


class LeadStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "lead_status"

    def lookups(self, request, model_admin):
        return LeadStatus.choices

    def choices(self, changelist):
        # Open leads unless asked otherwise: the list is a to-do list.
        value = self.value() or LeadStatus.OPEN
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string(
                    {self.parameter_name: lookup}
                ),
                "display": title,
            }

    def queryset(self, request, queryset):
        return queryset.filter(lead_status=self.value() or LeadStatus.OPEN)


@admin.register(Lead)
class LeadAdmin(ArticleEvidenceMixin, admin.ModelAdmin):
    """Articles about intimacy coordination that name nothing tracked: a
    new production, a new coordinator. Promote one to a source and cite it
    in a claim, or dismiss it."""

    list_display = (
        "title_link",
        "feed",
        "published_at",
        "flag_labels",
        "summary_snippet",
        "lead_status",
        "open_link",
    )
    list_display_links = ("open_link",)
    list_filter = (LeadStatusFilter, "ic_related", "award_mention")
    search_fields = ("title", "canonical_url")
    actions = ("promote", "dismiss")
    list_per_page = 50
    readonly_fields = (
        "title_link",
        "feed",
        "published_at",
        "flag_labels",
        "summary_html",
        "lead_status",
        "source",
        "canonical_url",
    )
    fields = readonly_fields
    summary_html = NewsArticleAdmin.summary_html

    class Media:
        css = {"all": ("tracker/admin/curation.css",)}
        js = ("tracker/admin/cite.js",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return leads_list(status=None)

    @admin.display(description="title", ordering="title")
    def title_link(self, article):
        return article_title_link(article)

    @admin.display(description="")
    def open_link(self, article):
        return "Open"

    @admin.display(description="flags")
    def flag_labels(self, article):
        return flags(article)

    @admin.display(description="snippet")
    def summary_snippet(self, article):
        return snippet(article, [])

    @admin.action(description="Dismiss the selected leads", permissions=("change",))
    def dismiss(self, request, queryset):
        count = leads_dismiss(
            article_ids=queryset.values_list("pk", flat=True), reviewer=request.user
        )
        self.message_user(request, f"{count} lead(s) dismissed.")

    def has_promote_permission(self, request):
        return self.has_change_permission(request) and request.user.has_perm(
            "tracker.add_source"
        )

    @admin.action(
        description="Promote the selected leads to sources", permissions=("promote",)
    )
    def promote(self, request, queryset):
        made = 0
        for article in queryset.select_related("feed__publisher"):
            try:
                lead_promote(article=article, reviewer=request.user)
            except ValidationError as exc:
                self.message_user(
                    request, f"{article}: {exc.messages[0]}", messages.ERROR
                )
                continue
            made += 1
        self.message_user(
            request,
            f"{made} lead(s) promoted to sources; open one to cite it in a claim.",
        )

    def cite(self, request, article, model, pk, passage):
        if not self.has_promote_permission(request):
            raise PermissionDenied
        return super().cite(request, article, model, pk, passage)

    def source_make(self, request, article):
        return lead_promote(article=article, reviewer=request.user)


@admin.register(ArticleMatch)
class ArticleMatchAdmin(TrackerAdmin):
    """Every match on its own, for searching and bulk decisions across
    articles; the review queue groups them by article."""

    list_display = (
        "article_link",
        "entity_name",
        "alias",
        "score",
        "flag_labels",
        "review_status",
        "published_at",
    )
    list_filter = (
        "review_status",
        "ic_related",
        "award_mention",
        "entity_type",
        ("article__feed", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = (
        "article__title",
        "alias",
        "production__title",
        "person__name",
        "organization__name",
    )
    list_select_related = ("article__feed", "production", "person", "organization")
    action_form = ReviewActionForm
    actions = ("approve", "reject")
    ordering = ("review_status", "-article__published_at", "-score")
    readonly_fields = (
        "article",
        "entity_type",
        "production",
        "person",
        "organization",
        "alias",
        "field",
        "position",
        "score",
        "ic_related",
        "award_mention",
        "reviewed_by",
        "reviewed_at",
        "created_at",
        "updated_at",
    )

    def has_add_permission(self, request):
        return False

    @admin.display(description="article", ordering="article__title")
    def article_link(self, match):
        return article_title_link(match.article)

    @admin.display(description="entity")
    def entity_name(self, match):
        return str(match.entity)

    @admin.display(description="flags")
    def flag_labels(self, match):
        return flags(match)

    @admin.display(description="published", ordering="article__published_at")
    def published_at(self, match):
        return match.article.published_at

    def save_model(self, request, obj, form, change):
        if change and "review_status" in form.changed_data:
            status = obj.review_status
            obj.review_status = form.initial["review_status"]
            matches_decide(
                match_ids=[obj.pk],
                status=status,
                reviewer=request.user,
                reason=form.cleaned_data.get("rejection_reason", ""),
            )
            return
        super().save_model(request, obj, form, change)

    def _review(self, request, queryset, status):
        changed = matches_decide(
            match_ids=list(queryset.values_list("pk", flat=True)),
            status=status,
            reviewer=request.user,
            reason=request.POST.get("reason", ""),
        )
        self.message_user(request, f"{changed} match(es) {status}.")

    @admin.action(description="Approve selected matches", permissions=("change",))
    def approve(self, request, queryset):
        self._review(request, queryset, ReviewStatus.APPROVED)

    @admin.action(description="Reject selected matches", permissions=("change",))
    def reject(self, request, queryset):
        self._review(request, queryset, ReviewStatus.REJECTED)


@admin.register(AmbiguousAlias)
class AmbiguousAliasAdmin(admin.ModelAdmin):
    """Names rejected for one record several times in a row: the matcher
    queues them only with context (an IC term nearby, or the exact case).
    Clear one to let it match freely again."""

    list_display = (
        "alias",
        "entity_name",
        "rejections",
        "last_reason",
        "created_at",
        "cleared_at",
    )
    list_filter = (("cleared_at", admin.EmptyFieldListFilter), "entity_type")
    search_fields = ("alias", "production__title", "person__name", "organization__name")
    list_select_related = ("production", "person", "organization")
    actions = ("clear",)
    readonly_fields = (
        "entity_type",
        "production",
        "person",
        "organization",
        "alias",
        "rejections",
        "last_reason",
        "created_at",
        "cleared_at",
        "cleared_by",
    )
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    @admin.display(description="record")
    def entity_name(self, alias):
        return str(alias.entity)

    @admin.action(
        description="Clear: match these names freely again", permissions=("change",)
    )
    def clear(self, request, queryset):
        count = ambiguous_aliases_clear(
            alias_ids=queryset.values_list("pk", flat=True), user=request.user
        )
        self.message_user(request, f"{count} alias(es) cleared.")
