"""Admin for archived sources: each source's copies and link health on its
own page, every snapshot, and the quotes not found in their sources."""

from django.contrib import admin, messages
from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import format_html

from tracker.archive import warc_record
from tracker.choices import SnapshotOutcome
from tracker.models import LinkCheck, QuoteNotFound, SourceLink, SourceSnapshot
from tracker.selectors.archive import quotes_not_found
from tracker.services.archive import link_check, snapshot_take

# Fetches run in the request: a handful of sources at a time.
FETCH_NOW_LIMIT = 10


class ReadOnlyInline:
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SourceLinkInline(ReadOnlyInline, admin.StackedInline):
    model = SourceLink
    verbose_name = "link health"
    verbose_name_plural = "link health"
    fields = (
        "status",
        "checked_at",
        "failing_since",
        "hard_failures",
        "next_check_at",
        "last_error",
        "wayback_url",
        "wayback_error",
    )
    readonly_fields = fields


class SourceSnapshotInline(ReadOnlyInline, admin.TabularInline):
    model = SourceSnapshot
    verbose_name = "archived copy"
    verbose_name_plural = "archived copies"
    fields = (
        "fetched_at",
        "outcome",
        "origin",
        "latest",
        "http_status",
        "size",
        "text_note",
        "reason",
        "open",
    )
    readonly_fields = fields
    ordering = ("-fetched_at",)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body_gzip", "text")

    @admin.display(description="")
    def open(self, snapshot):
        if not snapshot.pk:
            return "-"
        return format_html(
            '<a href="{}">details</a>',
            reverse("admin:tracker_sourcesnapshot_change", args=[snapshot.pk]),
        )


class LinkCheckInline(ReadOnlyInline, admin.TabularInline):
    model = LinkCheck
    verbose_name_plural = "link checks (history)"
    fields = ("checked_at", "ok", "http_status", "hard", "error")
    readonly_fields = fields
    ordering = ("-checked_at",)
    max_num = 0


class SourceArchiveAdmin:
    """What the source admin shows and does about the archive: mixed into
    SourceAdmin."""

    archive_inlines = (SourceLinkInline, SourceSnapshotInline, LinkCheckInline)
    archive_actions = ("snapshot_now", "recheck_link_now")

    @admin.display(description="link", ordering="link_health__status")
    def link_status(self, source):
        try:
            return source.link_health.get_status_display()
        except SourceLink.DoesNotExist:
            return "-"

    def _selected(self, request, queryset):
        sources = list(queryset.exclude(url="")[: FETCH_NOW_LIMIT + 1])
        if len(sources) > FETCH_NOW_LIMIT:
            self.message_user(
                request,
                f"Select at most {FETCH_NOW_LIMIT} sources; `manage.py "
                "snapshot_sources` takes any number.",
                messages.ERROR,
            )
            return []
        return sources

    @admin.action(description="Archive a copy now", permissions=["change"])
    def snapshot_now(self, request, queryset):
        for source in self._selected(request, queryset):
            snapshot = snapshot_take(source_id=source.pk)
            if snapshot.outcome == SnapshotOutcome.ARCHIVED:
                note = f" ({snapshot.text_note})" if snapshot.text_note else ""
                self.message_user(
                    request,
                    f"{source}: archived{note}.",
                    messages.WARNING if note else messages.SUCCESS,
                )
            else:
                self.message_user(
                    request,
                    f"{source}: not archived: {snapshot.reason}",
                    messages.ERROR,
                )

    @admin.action(description="Recheck the link now", permissions=["change"])
    def recheck_link_now(self, request, queryset):
        for source in self._selected(request, queryset):
            check = link_check(source_id=source.pk)
            source.link_health.refresh_from_db()
            status = source.link_health.get_status_display()
            if check.ok:
                self.message_user(request, f"{source}: answers ({status}).")
            else:
                self.message_user(
                    request, f"{source}: {status}: {check.error}", messages.WARNING
                )


@admin.register(SourceSnapshot)
class SourceSnapshotAdmin(admin.ModelAdmin):
    list_display = (
        "source",
        "fetched_at",
        "outcome",
        "origin",
        "latest",
        "http_status",
        "size",
        "text_note",
    )
    list_filter = ("outcome", "origin", "latest")
    search_fields = ("source__title", "requested_url", "final_url", "reason")
    list_select_related = ("source",)
    date_hierarchy = "fetched_at"
    actions = ("warc_download",)
    readonly_fields = (
        "source",
        "outcome",
        "origin",
        "latest",
        "reason",
        "requested_url",
        "final_url",
        "http_status",
        "fetched_at",
        "content_type",
        "sha256",
        "size",
        "text_note",
        "text",
    )
    exclude = ("body_gzip",)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body_gzip")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Download as WARC", permissions=["view"])
    def warc_download(self, request, queryset):
        archived = queryset.filter(outcome=SnapshotOutcome.ARCHIVED).defer(None)
        records = b"".join(
            warc_record(
                url=snapshot.final_url
                or snapshot.requested_url
                or (f"urn:tracker:source:{snapshot.source.slug}"),
                fetched_at=snapshot.fetched_at,
                content_type=snapshot.content_type,
                body=snapshot.body,
            )
            for snapshot in archived.select_related("source")
        )
        response = HttpResponse(records, content_type="application/warc")
        response["Content-Disposition"] = 'attachment; filename="sources.warc.gz"'
        return response


@admin.register(QuoteNotFound)
class QuoteNotFoundAdmin(admin.ModelAdmin):
    """Citations whose quote is not in the latest archived copy of their
    source; the check runs when the list is opened, so it is never stale."""

    list_display = ("quote_short", "source", "claim_link", "stance")
    search_fields = ("quote", "source__title")
    list_select_related = ("source", "content_type")

    def get_search_results(self, request, queryset, search_term):
        # The list alone is narrowed (a citation's own page opens whatever
        # its check says): the changelist is the only caller.
        queryset, duplicates = super().get_search_results(
            request, queryset, search_term
        )
        ids = [citation.pk for citation in quotes_not_found()]
        return queryset.filter(pk__in=ids), duplicates

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="quote")
    def quote_short(self, citation):
        return citation.quote[:120]

    @admin.display(description="claim")
    def claim_link(self, citation):
        claim = citation.claim
        if claim is None:
            return "-"
        meta = claim._meta
        return format_html(
            '<a href="{}">{}</a>',
            reverse(
                f"admin:{meta.app_label}_{meta.model_name}_change", args=[claim.pk]
            ),
            claim,
        )
