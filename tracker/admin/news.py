"""Admin for the news pipeline: feeds and their health, the articles, and
the queue where staff review what each article was matched to."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from tracker.choices import ReviewStatus
from tracker.models import ArticleMatch, Feed, NewsArticle
from tracker.news.fetch import FetchError, feed_url_check
from tracker.news.parse import summary_clean
from tracker.news.services import feed_limits, feed_refresh, matches_review

from .core import TrackerAdmin

# "Refresh now" runs in the request, so it is limited to a handful of feeds;
# the scheduled job handles the rest.
REFRESH_NOW_LIMIT = 10


class FeedForm(forms.ModelForm):
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

    @admin.action(description="Refresh now")
    def refresh_now(self, request, queryset):
        feeds = list(queryset[: REFRESH_NOW_LIMIT + 1])
        if len(feeds) > REFRESH_NOW_LIMIT:
            self.message_user(
                request,
                f"Select at most {REFRESH_NOW_LIMIT} feeds to refresh now; the "
                "schedule refreshes the rest.",
                messages.ERROR,
            )
            return
        for feed in feeds:
            result = feed_refresh(feed_id=feed.pk)
            if result.status == "error":
                self.message_user(
                    request, f"{feed}: failed: {result.error}", messages.ERROR
                )
            else:
                self.message_user(
                    request,
                    f"{feed}: {result.status}, {result.new} new, {result.updated} "
                    f"updated, {result.unchanged} unchanged.",
                    messages.WARNING if result.error else messages.SUCCESS,
                )

    @admin.action(description="Reactivate and clear failures")
    def reactivate(self, request, queryset):
        count = 0
        for feed in queryset:
            feed.active = True
            feed.consecutive_failures = 0
            feed.disabled_reason = ""
            feed.next_fetch_at = None
            feed.save()
            count += 1
        self.message_user(request, f"{count} feed(s) reactivated.")


class ArticleMatchInline(admin.TabularInline):
    model = ArticleMatch
    extra = 0
    can_delete = False
    fields = ("entity_type", "entity_name", "alias", "field", "score", "review_status")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("production", "person", "organization")
        )

    @admin.display(description="entity")
    def entity_name(self, match):
        return str(match.entity)


@admin.register(NewsArticle)
class NewsArticleAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "feed",
        "published_at",
        "ic_related",
        "award_mention",
        "match_count",
    )
    list_filter = ("ic_related", "award_mention", "feed")
    search_fields = ("title", "canonical_url")
    list_select_related = ("feed",)
    date_hierarchy = "published_at"
    inlines = (ArticleMatchInline,)
    readonly_fields = (
        "feed",
        "canonical_url",
        "url",
        "title",
        "summary_html",
        "published_at",
        "ic_related",
        "award_mention",
        "created_at",
        "updated_at",
    )
    exclude = ("summary", "content_hash")

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(match_total=Count("matches"))

    @admin.display(description="matches", ordering="match_total")
    def match_count(self, article):
        return article.match_total

    @admin.display(description="summary")
    def summary_html(self, article):
        # Sanitized with an allow-list (nh3) when it was stored, and again
        # here: a row written by other means must not run in the admin.
        return mark_safe(summary_clean(article.summary))  # noqa: S308  # nosec B308 B703


@admin.register(ArticleMatch)
class ArticleMatchAdmin(TrackerAdmin):
    """The review queue: what each article seems to be about, for staff to
    approve or reject."""

    list_display = (
        "article_link",
        "entity_type",
        "entity_name",
        "alias",
        "field",
        "score",
        "ic_related",
        "award_mention",
        "review_status",
        "feed",
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
        return format_html(
            '<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>',
            match.article.url,
            Truncator(match.article.title).chars(90),
        )

    @admin.display(description="entity")
    def entity_name(self, match):
        return str(match.entity)

    @admin.display(description="feed", ordering="article__feed__name")
    def feed(self, match):
        return match.article.feed

    @admin.display(description="published", ordering="article__published_at")
    def published_at(self, match):
        return match.article.published_at

    def save_model(self, request, obj, form, change):
        if change and "review_status" in form.changed_data:
            status = obj.review_status
            obj.review_status = form.initial["review_status"]
            matches_review(match_ids=[obj.pk], status=status, reviewer=request.user)
            return
        super().save_model(request, obj, form, change)

    def _review(self, request, queryset, status):
        changed = matches_review(
            match_ids=list(queryset.values_list("pk", flat=True)),
            status=status,
            reviewer=request.user,
        )
        self.message_user(request, f"{changed} match(es) {status}.")

    @admin.action(description="Approve selected matches")
    def approve(self, request, queryset):
        self._review(request, queryset, ReviewStatus.APPROVED)

    @admin.action(description="Reject selected matches")
    def reject(self, request, queryset):
        self._review(request, queryset, ReviewStatus.REJECTED)
