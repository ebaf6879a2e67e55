"""Webhooks: endpoints staff register to hear when the evidence changes,
and every delivery made to them with each try.

The secret is stored encrypted, not hashed: signing a payload needs the
secret itself. The key comes from the environment (tracker.webhooks.secrets).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from tracker.choices import DeliveryStatus, WebhookEvent

from .base import TimeStampedModel
from .entities import Person, Production

SUBSCRIBABLE_EVENTS = [e for e in WebhookEvent if e != WebhookEvent.TEST]


def validate_events(value):
    known = {str(e) for e in SUBSCRIBABLE_EVENTS}
    if not isinstance(value, list) or not value:
        raise ValidationError("Choose at least one event.")
    unknown = [v for v in value if v not in known]
    if unknown:
        raise ValidationError(f"Unknown events: {', '.join(map(str, unknown))}.")


class WebhookEndpoint(TimeStampedModel):
    name = models.CharField(max_length=200, help_text="Who receives it and why.")
    url = models.URLField(
        "target URL",
        max_length=1000,
        help_text="Where events are POSTed; it must be on the public internet.",
    )
    events = models.JSONField(
        default=list,
        validators=[validate_events],
        help_text="The events it receives.",
    )
    production = models.ForeignKey(
        Production,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="webhooks",
        help_text="Only events about this production (optional).",
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="webhooks",
        help_text="Only events about this person (optional).",
    )
    secret_encrypted = models.TextField(editable=False)
    secret_hint = models.CharField(
        max_length=8,
        editable=False,
        help_text="The secret's last characters, to tell secrets apart.",
    )
    active = models.BooleanField(
        default=True,
        db_index=True,
        help_text="Inactive endpoints receive nothing; one whose deliveries "
        "keep failing is made inactive with the reason below.",
    )
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_failure_at = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_reason = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ("name",)

    def __str__(self):
        return self.name


class WebhookDelivery(TimeStampedModel):
    """One event for one endpoint. The idempotency key stays the same on
    every try, so a receiver that saw it already can ignore a repeat."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=30, choices=WebhookEvent.choices)
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When it is tried next; failures push it back exponentially.",
    )
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name_plural = "webhook deliveries"
        indexes = [models.Index(fields=("status", "next_attempt_at"))]

    def __str__(self):
        return f"{self.get_event_display()} to {self.endpoint}"


class WebhookAttempt(models.Model):
    """One try of a delivery: the delivery log staff read."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("delivery", "number")

    def __str__(self):
        outcome = self.status_code or self.error[:60]
        return f"Try {self.number}: {outcome}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
