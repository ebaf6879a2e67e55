"""Reads behind the curation pages of the admin: the review queue, the
leads, the dashboard and the recent changes across the tracker."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import NoReverseMatch, reverse

from tracker.choices import FeedStatus, LeadStatus, ReviewStatus
from tracker.models import (
    CLAIM_MODELS,
    AmbiguousAlias,
    ArticleMatch,
    AwardCategory,
    AwardMention,
    AwardOutcome,
    Feed,
    NewsArticle,
)
from tracker.querysets import current, disputed_q

# How many disputed claims of each kind the dashboard names.
DISPUTED_SHOWN = 5


def pending_matches() -> QuerySet[ArticleMatch]:
    return ArticleMatch.objects.filter(review_status=ReviewStatus.PENDING)


def review_queue() -> QuerySet[NewsArticle]:
    """Articles with at least one match, those waiting for review first,
    each with its matches (entities joined) and pending count."""
    return (
        NewsArticle.objects.filter(
            Exists(ArticleMatch.objects.filter(article=OuterRef("pk")))
        )
        .select_related("feed__publisher", "source")
        .prefetch_related(
            Prefetch(
                "matches",
                queryset=ArticleMatch.objects.select_related(
                    "production", "person", "organization"
                ).order_by("-score", "pk"),
                to_attr="listed_matches",
            )
        )
        .annotate(
            pending_total=Count(
                "matches", filter=Q(matches__review_status=ReviewStatus.PENDING)
            )
        )
        .annotate(has_pending=Exists(pending_matches().filter(article=OuterRef("pk"))))
        .order_by("-has_pending", "-published_at", "-pk")
    )


def leads_list(*, status: str | None = LeadStatus.OPEN) -> QuerySet[NewsArticle]:
    """Flagged articles that match nothing tracked, newest first."""
    queryset = NewsArticle.objects.filter(Q(ic_related=True) | Q(award_mention=True))
    queryset = queryset.exclude(
        Exists(ArticleMatch.objects.filter(article=OuterRef("pk")))
    )
    if status:
        queryset = queryset.filter(lead_status=status)
    return queryset.select_related("feed__publisher", "source").order_by(
        "-published_at", "-pk"
    )


def failing_feeds() -> QuerySet[Feed]:
    return Feed.objects.filter(
        Q(last_status=FeedStatus.ERROR) | (Q(active=False) & ~Q(disabled_reason=""))
    ).order_by("-consecutive_failures", "name")


@dataclass
class DisputedClaims:
    """The current claims of one kind that a citation disputes: how many,
    and the latest changed of them."""

    model: type
    count: int
    latest: list

    @property
    def label(self) -> str:
        meta = self.model._meta
        return str(meta.verbose_name if self.count == 1 else meta.verbose_name_plural)

    @property
    def changelist_url(self) -> str:
        meta = self.model._meta
        # The changelist's own filters (tracker.admin.core.CLAIM_FILTERS).
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        return f"{url}?disputed=yes&deprecated=no"

    @property
    def change_url_name(self) -> str:
        meta = self.model._meta
        return f"admin:{meta.app_label}_{meta.model_name}_change"


def disputed_claims_list(*, models=CLAIM_MODELS, shown=DISPUTED_SHOWN):
    """For each kind of claim with any disputed, the count and the latest
    changed ones (named with what their names need joined): two queries a
    kind, whatever the numbers."""
    groups = []
    for model in models:
        disputed = current(model._default_manager.filter(disputed_q(model)))
        count = disputed.count()
        if not count:
            continue
        joins, prefetches = name_joins(model)
        latest = (
            disputed.select_related(*joins)
            .prefetch_related(*prefetches)
            .order_by("-updated_at", "-pk")[:shown]
        )
        groups.append(DisputedClaims(model, count, list(latest)))
    return groups


@dataclass
class Dashboard:
    pending_articles: int
    pending_matches: int
    leads: int
    ambiguous_aliases: int
    failing_feeds: list
    disputed_claims: list[DisputedClaims]

    @property
    def disputed_total(self) -> int:
        return sum(group.count for group in self.disputed_claims)


def dashboard_get(*, claim_models=CLAIM_MODELS) -> Dashboard:
    """What waits for staff; `claim_models` are the kinds of claim whose
    disputes the reader may open."""
    return Dashboard(
        pending_articles=NewsArticle.objects.filter(
            Exists(pending_matches().filter(article=OuterRef("pk")))
        ).count(),
        pending_matches=pending_matches().count(),
        leads=leads_list().count(),
        ambiguous_aliases=AmbiguousAlias.objects.filter(
            cleared_at__isnull=True
        ).count(),
        failing_feeds=list(failing_feeds()[:10]),
        disputed_claims=disputed_claims_list(models=claim_models),
    )


# --- recent changes ---------------------------------------------------------

# What each record's name needs joined, so the page costs one query per
# model whatever its length.
NAME_JOINS = {
    AwardCategory: (("award_body",), ()),
    AwardOutcome: (("category__award_body", "production"), ("people",)),
    AwardMention: (("speaker", "coordinator"), ()),
}


def name_joins(model) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What to select_related and prefetch to name rows of `model`: its
    NAME_JOINS, or else every foreign key."""
    if model in NAME_JOINS:
        return NAME_JOINS[model]
    fks = tuple(
        f.name for f in model._meta.concrete_fields if f.is_relation and f.many_to_one
    )
    return fks, ()


@dataclass
class RecentChange:
    model: type
    record: object  # a historical record
    name: str
    exists: bool

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def history_url(self) -> str:
        meta = self.model._meta
        try:
            return reverse(
                f"admin:{meta.app_label}_{meta.model_name}_history",
                args=[self.record.id],
            )
        except NoReverseMatch:
            return ""


def recent_changes(*, models, limit: int = 50, user_id=None) -> list[RecentChange]:
    """The latest edits across `models` (each with a django-simple-history
    manager), newest first."""
    records = []
    for model in models:
        history = model.history.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )
        if user_id:
            history = history.filter(history_user_id=user_id)
        records += [(model, r) for r in history[:limit]]
    records.sort(key=lambda mr: (mr[1].history_date, mr[1].history_id), reverse=True)
    records = records[:limit]
    ids_by_model: dict = {}
    for model, record in records:
        ids_by_model.setdefault(model, set()).add(record.id)
    live = {}
    for model, ids in ids_by_model.items():
        joins, prefetches = name_joins(model)
        queryset = model._default_manager.select_related(*joins)
        if prefetches:
            queryset = queryset.prefetch_related(*prefetches)
        live[model] = queryset.in_bulk(ids)
    changes = []
    for model, record in records:
        obj = live[model].get(record.id)
        name = (
            str(obj)
            if obj is not None
            else f"{model._meta.verbose_name} #{record.id} (deleted)"
        )
        changes.append(RecentChange(model, record, name, obj is not None))
    return changes
