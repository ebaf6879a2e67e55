"""Staff's decisions on the news: matches approved or rejected (and what a
rejection teaches the matcher), leads dismissed or promoted, articles made
into sources."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tracker.choices import LeadStatus, ReviewStatus, SourceKind
from tracker.models import AmbiguousAlias, ArticleMatch, NewsArticle, Source
from tracker.news.services import matches_review
from tracker.selectors.review import leads_list

ENTITY_FIELDS = ("production", "person", "organization")


def _entity_filter(match) -> dict:
    return {f"{match.entity_type}_id": getattr(match, f"{match.entity_type}_id")}


def alias_streak(*, match: ArticleMatch) -> int:
    """How many times in a row, newest first, staff rejected this alias for
    this record since it was last cleared."""
    entity = _entity_filter(match)
    cleared = (
        AmbiguousAlias.objects.filter(
            **entity, alias=match.alias, cleared_at__isnull=False
        )
        .order_by("-cleared_at")
        .values_list("cleared_at", flat=True)
        .first()
    )
    reviewed = ArticleMatch.objects.filter(
        **entity, alias=match.alias, reviewed_at__isnull=False
    ).exclude(review_status=ReviewStatus.PENDING)
    if cleared:
        reviewed = reviewed.filter(reviewed_at__gt=cleared)
    streak = 0
    limit = settings.TRACKER_AMBIGUOUS_AFTER_REJECTIONS
    for status in reviewed.order_by("-reviewed_at", "-pk").values_list(
        "review_status", flat=True
    )[:limit]:
        if status != ReviewStatus.REJECTED:
            break
        streak += 1
    return streak


def _remember(match: ArticleMatch, reason: str) -> AmbiguousAlias | None:
    streak = alias_streak(match=match)
    if streak < settings.TRACKER_AMBIGUOUS_AFTER_REJECTIONS:
        return None
    entity = _entity_filter(match)
    alias, _ = AmbiguousAlias.objects.update_or_create(
        **entity,
        alias=match.alias,
        cleared_at__isnull=True,
        defaults={"rejections": streak, "last_reason": reason[:300]},
        create_defaults={
            **entity,
            "entity_type": match.entity_type,
            "alias": match.alias,
            "rejections": streak,
            "last_reason": reason[:300],
        },
    )
    return alias


@transaction.atomic
def matches_decide(*, match_ids, status: str, reviewer, reason: str = "") -> int:
    """Approve or reject matches; a rejection keeps its reason, and an
    alias rejected TRACKER_AMBIGUOUS_AFTER_REJECTIONS times in a row for
    one record becomes ambiguous. Returns how many matches changed."""
    match_ids = list(match_ids)
    changed = matches_review(match_ids=match_ids, status=status, reviewer=reviewer)
    if status == ReviewStatus.REJECTED:
        rejected = ArticleMatch.objects.filter(
            pk__in=match_ids, review_status=ReviewStatus.REJECTED
        )
        if reason:
            for match in rejected:
                match.rejection_reason = reason[:300]
                match.save(update_fields=["rejection_reason", "updated_at"])
        seen = set()
        for match in rejected:
            key = (match.entity_type, match.entity.pk, match.alias)
            if key not in seen:
                seen.add(key)
                _remember(match, reason)
    return changed


def articles_decide(*, article_ids, status: str, reviewer, reason: str = "") -> int:
    """Approve or reject every match of whole articles."""
    match_ids = ArticleMatch.objects.filter(article_id__in=list(article_ids))
    return matches_decide(
        match_ids=list(match_ids.values_list("pk", flat=True)),
        status=status,
        reviewer=reviewer,
        reason=reason,
    )


@transaction.atomic
def ambiguous_aliases_clear(*, alias_ids, user) -> int:
    """The matcher takes these names without context again; only
    rejections after now count towards making them ambiguous again."""
    count = 0
    for alias in AmbiguousAlias.objects.filter(
        pk__in=list(alias_ids), cleared_at__isnull=True
    ):
        alias.cleared_at = timezone.now()
        alias.cleared_by = user
        alias.save(update_fields=["cleared_at", "cleared_by", "updated_at"])
        count += 1
    return count


@transaction.atomic
def article_source_make(*, article: NewsArticle) -> tuple[Source, bool]:
    """The article as a source: URL, title, publisher (the feed's
    organization), date. A source already holding its URL is reused.
    Returns (source, created)."""
    source = (
        Source.objects.filter(url__in=[article.canonical_url, article.url])
        .order_by("pk")
        .first()
    )
    created = source is None
    if created:
        feed = article.feed
        source = Source(
            url=article.canonical_url,
            title=article.title[:500],
            publisher=(feed.publisher.name if feed.publisher else feed.name)[:200],
            published_on=article.published_at.date() if article.published_at else None,
            kind=SourceKind.ARTICLE,
        )
        source.full_clean()
        source.save()
    if article.source_id != source.pk:
        article.source = source
        article.save(update_fields=["source", "updated_at"])
    return source, created


@transaction.atomic
def leads_dismiss(*, article_ids, reviewer) -> int:
    return NewsArticle.objects.filter(
        pk__in=list(article_ids), lead_status=LeadStatus.OPEN
    ).update(
        lead_status=LeadStatus.DISMISSED,
        lead_reviewed_by=reviewer,
        lead_reviewed_at=timezone.now(),
        updated_at=timezone.now(),
    )


@transaction.atomic
def lead_promote(*, article: NewsArticle, reviewer) -> tuple[Source, bool]:
    """A lead made into a source, ready to be cited by a claim."""
    if article.matches.exists():
        raise ValidationError("This article names tracked records: review it instead.")
    source, created = article_source_make(article=article)
    NewsArticle.objects.filter(pk=article.pk).update(
        lead_status=LeadStatus.PROMOTED,
        lead_reviewed_by=reviewer,
        lead_reviewed_at=timezone.now(),
    )
    return source, created


@transaction.atomic
def article_source_take(*, article: NewsArticle, reviewer) -> tuple[Source, bool]:
    """The article as a source, wherever staff found it (the staff API): an
    open lead is promoted, as the leads admin does, so it leaves the leads;
    any other article is made a source, as the review queue does. Returns
    (source, created)."""
    if leads_list().filter(pk=article.pk).exists():
        return lead_promote(article=article, reviewer=reviewer)
    return article_source_make(article=article)
