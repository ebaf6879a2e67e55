"""Generic writes behind the API: every claim keeps its citation rule."""

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from tracker.models import Citation, CitedClaim


def _citations_add(instance: models.Model, citations: list[dict]) -> None:
    content_type = ContentType.objects.get_for_model(instance)
    for citation in citations:
        Citation.objects.update_or_create(
            source=citation["source"],
            content_type=content_type,
            object_id=instance.pk,
            defaults={
                key: citation[key]
                for key in ("stance", "quote", "locator")
                if key in citation
            },
        )


def _save(instance, *, m2m: dict, citations: list[dict] | None, creating: bool):
    # full_clean runs the field validators, clean() and Meta.constraints, so
    # the API refuses what the admin refuses, with the same messages.
    instance.full_clean()
    if isinstance(instance, CitedClaim):
        existing = 0 if creating else instance.citations.count()
        instance.ensure_cited(pending_citations=existing + len(citations or []))
    instance.save()
    for name, values in m2m.items():
        getattr(instance, name).set(values)
    if citations:
        _citations_add(instance, citations)
    return instance


@transaction.atomic
def record_create(
    *,
    model: type[models.Model],
    fields: dict,
    m2m: dict | None = None,
    citations: list[dict] | None = None,
) -> models.Model:
    """Create a record; a claim without a citation raises ValidationError
    naming `citations` and nothing is saved."""
    return _save(model(**fields), m2m=m2m or {}, citations=citations, creating=True)


@transaction.atomic
def record_update(
    *,
    instance: models.Model,
    fields: dict,
    m2m: dict | None = None,
    citations: list[dict] | None = None,
) -> models.Model:
    """Change a record; given citations are added (or their quote updated)."""
    for name, value in fields.items():
        setattr(instance, name, value)
    return _save(instance, m2m=m2m or {}, citations=citations, creating=False)


@transaction.atomic
def record_delete(*, instance: models.Model) -> None:
    if isinstance(instance, CitedClaim):
        instance.citations.all().delete()
    instance.delete()
