"""The payload of each event, versioned: `version` changes only when a
receiver would have to change. Records are in the API's read shape (the
same serializers as the API and the releases)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db.models import Model
from django.utils import timezone

from tracker.api.serializers import MilestoneSerializer, citation_data
from tracker.choices import WebhookEvent
from tracker.models import ArticleMatch, CampaignMilestone, Citation, Person, Production
from tracker.releases.resources import RESOURCES_BY_MODEL
from tracker.selectors.records import citations_prefetch

PAYLOAD_VERSION = 1
# The records an endpoint may filter on.
FILTER_MODELS = (Production, Person)


def _api_url(resource: str, slug: str) -> str:
    return f"{settings.TRACKER_SITE_URL.rstrip('/')}/api/v1/{resource}/{slug}/"


def envelope(event: str, data: dict) -> dict:
    return {
        "version": PAYLOAD_VERSION,
        "id": str(uuid.uuid4()),
        "type": str(event),
        "created_at": timezone.now().isoformat(),
        "data": data,
    }


def _milestone_data(milestone_id: int) -> dict | None:
    milestone = (
        CampaignMilestone.objects.select_related("campaign")
        .prefetch_related(citations_prefetch())
        .filter(pk=milestone_id)
        .first()
    )
    if milestone is None:
        return None
    campaign = milestone.campaign
    return {
        "resource": "campaigns",
        "slug": campaign.slug,
        "url": _api_url("campaigns", campaign.slug),
        "campaign": {"slug": campaign.slug, "name": campaign.name},
        "milestone": MilestoneSerializer(milestone).data,
    }


def _news_data(match_id: int) -> dict | None:
    match = (
        ArticleMatch.objects.select_related(
            "article", "production", "person", "organization"
        )
        .filter(pk=match_id)
        .first()
    )
    if match is None:
        return None
    entity = match.entity
    article = match.article
    return {
        "article": {
            "title": article.title,
            "url": article.url,
            "published_at": article.published_at.isoformat()
            if article.published_at
            else None,
        },
        "record": {
            "type": match.entity_type,
            "slug": entity.slug,
            "name": str(entity),
        },
        "ic_related": match.ic_related,
        "award_mention": match.award_mention,
    }


def event_data(event: str, model: type[Model], pk: int, extra: dict) -> dict | None:
    """What the event says, or None when the record is gone (created and
    deleted in one transaction, or rolled back)."""
    if event == WebhookEvent.NEWS_APPROVED:
        return _news_data(pk)
    if model is CampaignMilestone:
        return _milestone_data(pk)
    resource = RESOURCES_BY_MODEL[model]
    record = resource.record(pk)
    if record is None:
        return None
    data = {
        "resource": resource.name,
        "slug": record["slug"],
        "url": _api_url(resource.name, record["slug"]),
        "record": record,
    }
    citation_id = extra.get("citation")
    if citation_id:
        citation = (
            Citation.objects.select_related("source").filter(pk=citation_id).first()
        )
        data["citation"] = citation_data(citation) if citation else None
    if "deprecation" in extra:
        # As it was when deprecated: the reason may be reworded later.
        data["deprecation"] = extra["deprecation"]
    return data


def concerned_records(model: type[Model], pk: int) -> set[tuple[str, int]]:
    """The productions and people an event is about, for endpoint filters."""
    if model is ArticleMatch:
        match = ArticleMatch.objects.filter(pk=pk).values("production_id", "person_id")
        row = match.first() or {}
        return {
            (name, row[f"{name}_id"])
            for name in ("production", "person")
            if row.get(f"{name}_id")
        }
    found: set[tuple[str, int]] = set()
    if model in FILTER_MODELS:
        found.add((model._meta.model_name, pk))
    relations = [
        f
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model in FILTER_MODELS
    ]
    if relations:
        row = model.objects.filter(pk=pk).values(*(f.attname for f in relations))
        for field, value in (row.first() or {}).items():
            if value:
                model_name = next(
                    f.related_model._meta.model_name
                    for f in relations
                    if f.attname == field
                )
                found.add((model_name, value))
    for m2m in model._meta.many_to_many:
        if m2m.related_model in FILTER_MODELS:
            ids = model.objects.filter(pk=pk).values_list(m2m.name, flat=True)
            name = m2m.related_model._meta.model_name
            found.update((name, value) for value in ids if value)
    return found
