"""Webhooks in the admin: staff register endpoints (the secret is shown
once, on the page right after saving, and never again), read the delivery
log with every try, and send a test event."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.text import Truncator

from tracker.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tracker.models.webhooks import SUBSCRIBABLE_EVENTS
from tracker.services.webhooks import (
    endpoint_enable,
    endpoint_secret_set,
    endpoint_url_check,
    test_event_send,
)


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(label="Target URL", max_length=1000, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=[(e.value, e.label) for e in SUBSCRIBABLE_EVENTS],
        widget=forms.CheckboxSelectMultiple,
        help_text="The events it receives.",
    )
    secret = forms.CharField(
        required=False,
        strip=False,
        min_length=16,
        widget=forms.PasswordInput(render_value=False),
        help_text="Leave empty for a random one. Either way it is shown once, "
        "after saving; it is stored encrypted.",
    )
    new_secret = forms.BooleanField(
        required=False,
        label="Replace the secret",
        help_text="Set the secret above, or a random one, in place of the old.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ("name", "url", "events", "production", "person", "active")

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            endpoint_url_check(url)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["url"]) from exc
        return url


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ("number", "at", "status_code", "duration_ms", "error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = (
        "name",
        "url",
        "active",
        "event_list",
        "consecutive_failures",
        "last_success_at",
        "last_failure_at",
        "disabled_reason",
    )
    list_filter = ("active",)
    search_fields = ("name", "url")
    list_select_related = ("production", "person")
    autocomplete_fields = ("production", "person")
    actions = ("send_test_event", "enable")
    readonly_fields = (
        "secret_hint",
        "consecutive_failures",
        "last_success_at",
        "last_failure_at",
        "disabled_reason",
        "created_by",
        "created_at",
        "updated_at",
    )

    def get_fields(self, request, obj=None):
        fields = ["name", "url", "events", "production", "person", "secret"]
        if obj is not None:
            fields += ["new_secret", "active", *self.readonly_fields]
        return fields

    @admin.display(description="events")
    def event_list(self, endpoint):
        return ", ".join(endpoint.events)

    def save_model(self, request, obj, form, change):
        typed = form.cleaned_data.get("secret", "")
        if not change or typed or form.cleaned_data.get("new_secret"):
            request._webhook_secret = endpoint_secret_set(endpoint=obj, secret=typed)
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def _secret_page(self, request, obj):
        # Rendered in this response, not passed through messages: the
        # secret never lands in a cookie or the session.
        return TemplateResponse(
            request,
            "admin/tracker/webhookendpoint/secret.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "endpoint": obj,
                "secret": request._webhook_secret,
                "title": "Copy the webhook secret now",
            },
        )

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "_webhook_secret", None):
            return self._secret_page(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if getattr(request, "_webhook_secret", None):
            return self._secret_page(request, obj)
        return super().response_change(request, obj)

    @admin.action(description="Send a test event", permissions=("change",))
    def send_test_event(self, request, queryset):
        sent = 0
        for endpoint in queryset.filter(active=True):
            test_event_send(endpoint=endpoint, sent_by=request.user)
            sent += 1
        skipped = queryset.filter(active=False).count()
        self.message_user(
            request,
            f"Test event queued for {sent} endpoint(s)"
            + (
                f"; {skipped} inactive skipped (enable them first)." if skipped else "."
            ),
            messages.SUCCESS if sent else messages.WARNING,
        )

    @admin.action(
        description="Enable and retry their pending deliveries",
        permissions=("change",),
    )
    def enable(self, request, queryset):
        pending = sum(endpoint_enable(endpoint=e) for e in queryset)
        self.message_user(
            request,
            f"{queryset.count()} endpoint(s) enabled; {pending} pending "
            "deliveries are tried within a minute.",
        )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log: read-only, each delivery with every try."""

    list_display = (
        "created_at",
        "endpoint",
        "event",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "delivered_at",
        "short_error",
    )
    list_filter = ("status", "event", "endpoint")
    search_fields = ("idempotency_key", "endpoint__name", "endpoint__url")
    list_select_related = ("endpoint",)
    date_hierarchy = "created_at"
    inlines = (WebhookAttemptInline,)
    fields = (
        "endpoint",
        "event",
        "status",
        "idempotency_key",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "last_status_code",
        "last_error",
        "payload_pretty",
        "created_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="last error")
    def short_error(self, delivery):
        return Truncator(delivery.last_error).chars(80) or "-"

    @admin.display(description="payload")
    def payload_pretty(self, delivery):
        return format_html(
            "<pre>{}</pre>", json.dumps(delivery.payload, indent=2, ensure_ascii=False)
        )
