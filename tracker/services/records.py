"""Generic writes behind the API: every claim keeps its citation rule."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from tracker.models import Citation, CitedClaim


def _citations_add(instance: models.Model, citations: list[dict]) -> None:
    content_type = ContentType.objects.get_for_model(instance)
    for index, citation in enumerate(citations):
        citation_row, _ = Citation.objects.get_or_create(
            source=citation["source"],
            content_type=content_type,
            object_id=instance.pk,
        )
        for key in CITATION_FIELDS:
            if key in citation:
                setattr(citation_row, key, citation[key])
        try:
            citation_row.full_clean()
        except ValidationError as exc:
            raise ValidationError(
                {
                    "citations": [
                        f"citations[{index}].{field}: {message}"
                        for field, messages in exc.message_dict.items()
                        for message in messages
                    ]
                }
            ) from exc
        citation_row.save()


CITATION_FIELDS = (
    "stance",
    "quote",
    "quote_kind",
    "source_says",
    "locator",
    "deprecated_on",
    "deprecation_reason",
)


def _relations_check(instance, m2m: dict, creating: bool) -> None:
    """Rules between a record's many-to-many relations, which its clean()
    cannot see before they are saved (an award mention's outcomes must be
    at the award bodies it addresses)."""
    check = getattr(instance, "relations_errors", None)
    if check is None:
        return
    names = ("award_bodies", "outcomes")
    if not creating:
        current = {name: list(getattr(instance, name).all()) for name in names}
    else:
        current = dict.fromkeys(names, [])
    errors = check(*(m2m.get(name, current[name]) for name in names))
    if errors:
        raise ValidationError(errors)


def _save(instance, *, m2m: dict, citations: list[dict] | None, creating: bool):
    # full_clean runs the field validators, clean() and Meta.constraints, so
    # the API refuses what the admin refuses, with the same messages. The
    # verbatim quote is checked once the citations are written: inside the
    # transaction, so a refusal leaves nothing behind.
    instance._quote_check_deferred = True
    instance.full_clean()
    _relations_check(instance, m2m, creating)
    if isinstance(instance, CitedClaim):
        existing = 0 if creating else instance.citations.count()
        instance.ensure_cited(pending_citations=existing + len(citations or []))
    instance.save()
    for name, values in m2m.items():
        getattr(instance, name).set(values)
    if citations:
        _citations_add(instance, citations)
    if isinstance(instance, CitedClaim):
        instance.ensure_quote_found()
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


DEPRECATION_FIELDS = ("deprecated_on", "deprecation_reason")


@transaction.atomic
def record_deprecate(
    *, record: CitedClaim | Citation, reason: str, on: dt.date | None = None
) -> CitedClaim | Citation:
    """Deprecate a claim or one citation of it: it stays on its page and in
    history, with the reason and the date (today by default), but leaves
    every figure. Subscribers hear `claim.deprecated` once (the signal
    sees the change, from this service or the admin alike)."""
    if record.deprecated_on is not None:
        raise ValidationError(
            {
                "deprecated_on": f"Already deprecated on "
                f"{record.deprecated_on.isoformat()}; change the reason instead."
            }
        )
    record.deprecated_on = on or timezone.localdate()
    record.deprecation_reason = reason
    # Only what deprecating changes is validated. A claim is often
    # withdrawn for breaking a rule (a verbatim quote its source turns out
    # not to hold): that must never stand in the way of withdrawing it.
    record._quote_check_deferred = True
    try:
        record.full_clean(
            exclude=[
                field.name
                for field in record._meta.fields
                if field.name not in DEPRECATION_FIELDS
            ]
        )
    finally:
        del record._quote_check_deferred
    record.save()
    if isinstance(record, Citation):
        # A deprecated passage no longer holds the claim's verbatim quote.
        record.claim.ensure_quote_found()
    return record
