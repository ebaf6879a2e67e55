"""Which writes are events. Signals, because claims are written from the
admin, the API's services, imports and the demo loader alike; each handler
only records the event (tracker.webhooks.outbox)."""

from django.db import models
from django.db.models.signals import post_save, pre_save

from tracker.choices import CitationStance, ReviewStatus, WebhookEvent
from tracker.models import CLAIM_MODELS, ArticleMatch, CampaignMilestone, Citation

from .outbox import event_record

DATE = models.DateField()


def _previous_value(sender, instance, name: str, update_fields):
    if instance.pk is None:
        return None
    if update_fields is not None and name not in update_fields:
        return getattr(instance, name)
    return sender.objects.filter(pk=instance.pk).values_list(name, flat=True).first()


def _newly_deprecated(instance) -> bool:
    """Whether this save deprecates the record: the event is sent once, not
    again when a deprecated record's reason is corrected."""
    return instance.deprecated_on is not None and (
        getattr(instance, "_deprecated_before", None) is None
    )


def _deprecation(instance) -> dict:
    return {
        # A date, or the ISO string a caller assigned before save().
        "deprecated_on": DATE.to_python(instance.deprecated_on).isoformat(),
        "reason": instance.deprecation_reason,
    }


def _deprecatable_before(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw:
        instance._deprecated_before = _previous_value(
            sender, instance, "deprecated_on", update_fields
        )


def _claim_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        event = (
            WebhookEvent.MILESTONE_ADDED
            if sender is CampaignMilestone
            else WebhookEvent.CLAIM_CREATED
        )
    elif _newly_deprecated(instance):
        event_record(
            WebhookEvent.CLAIM_DEPRECATED,
            instance,
            deprecation={"of": "claim", **_deprecation(instance)},
        )
        return
    else:
        event = WebhookEvent.CLAIM_CHANGED
    event_record(event, instance)


def _citation_before(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw:
        instance._stance_before = _previous_value(
            sender, instance, "stance", update_fields
        )
        _deprecatable_before(sender, instance, raw, update_fields)


def _citation_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    model = instance.content_type.model_class()
    if model not in CLAIM_MODELS:
        return
    claim = model(pk=instance.object_id)
    newly_disputing = instance.stance == CitationStance.DISPUTES and (
        getattr(instance, "_stance_before", None) != CitationStance.DISPUTES
    )
    # A citation added already deprecated withdraws nothing the public saw.
    if not created and _newly_deprecated(instance):
        event_record(
            WebhookEvent.CLAIM_DEPRECATED,
            claim,
            citation=instance.pk,
            deprecation={"of": "citation", **_deprecation(instance)},
        )
    elif newly_disputing:
        event_record(WebhookEvent.CLAIM_DISPUTED, claim, citation=instance.pk)
    else:
        # A new or corrected source changes the claim as the public sees it.
        event_record(WebhookEvent.CLAIM_CHANGED, claim)


def _match_before(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw:
        instance._review_before = _previous_value(
            sender, instance, "review_status", update_fields
        )


def _match_saved(sender, instance, created, raw=False, **kwargs):
    if raw or instance.review_status != ReviewStatus.APPROVED:
        return
    if getattr(instance, "_review_before", None) != ReviewStatus.APPROVED:
        event_record(WebhookEvent.NEWS_APPROVED, instance)


def connect_signals() -> None:
    for model in CLAIM_MODELS:
        pre_save.connect(
            _deprecatable_before,
            sender=model,
            dispatch_uid=f"webhook-claim-before-{model.__name__}",
        )
        post_save.connect(
            _claim_saved, sender=model, dispatch_uid=f"webhook-claim-{model.__name__}"
        )
    pre_save.connect(_citation_before, sender=Citation, dispatch_uid="webhook-cite-1")
    post_save.connect(_citation_saved, sender=Citation, dispatch_uid="webhook-cite-2")
    pre_save.connect(_match_before, sender=ArticleMatch, dispatch_uid="webhook-news-1")
    post_save.connect(_match_saved, sender=ArticleMatch, dispatch_uid="webhook-news-2")
