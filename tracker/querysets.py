"""Filters every claim list shares: disputed and deprecated. Reusable
pieces only; the reads that use them live in tracker/selectors/."""

from django.db import models
from django.db.models import Exists, OuterRef, Q

from tracker.choices import CitationStance
from tracker.models import Citation


def disputing_citations(model: type[models.Model]) -> models.QuerySet:
    """The current citations that dispute a row of `model`, correlated to
    the outer query's row. The content type is matched by name, not looked
    up: the API's viewsets build their querysets at import, before a
    fresh database has a content type table to ask."""
    return Citation.objects.filter(
        content_type__app_label=model._meta.app_label,
        content_type__model=model._meta.model_name,
        object_id=OuterRef("pk"),
        stance=CitationStance.DISPUTES,
        deprecated_on__isnull=True,
    )


def disputed_q(model: type[models.Model]) -> Q:
    """A claim is disputed while any current citation disputes it."""
    return Q(Exists(disputing_citations(model)))


def with_disputed(queryset: models.QuerySet) -> models.QuerySet:
    """Each claim annotated with `disputed`, by disputed_q's definition, so
    a list shows it without a query per row."""
    return queryset.annotate(disputed=Exists(disputing_citations(queryset.model)))


def filter_disputed(queryset: models.QuerySet, disputed: bool) -> models.QuerySet:
    q = disputed_q(queryset.model)
    return queryset.filter(q if disputed else ~q)


def current(queryset: models.QuerySet) -> models.QuerySet:
    """Claims that stand: deprecated ones leave every figure."""
    return queryset.filter(deprecated_on__isnull=True)
