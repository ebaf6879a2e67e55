"""The news the public pages show: articles with at least one match staff
approved, newest first, each with the approved matches (and their entities)
prefetched, so a list costs two queries however long it is.

Only approved matches are shown beside an article: a pending or rejected
match is the matcher's guess, not something the tracker stands behind."""

from django.db.models import Exists, F, OuterRef, Prefetch, Q

from tracker.choices import ReviewStatus
from tracker.models import ArticleMatch, NewsArticle, Person, Production

CASE_NEWS_LIMIT = 5
ENTITY_NEWS_LIMIT = 10


def _approved_matches():
    return ArticleMatch.objects.filter(
        review_status=ReviewStatus.APPROVED
    ).select_related("production", "person", "organization")


def approved_news_list(
    *,
    limit: int = CASE_NEWS_LIMIT,
    production: Production | None = None,
    person: Person | None = None,
) -> list[NewsArticle]:
    """The latest approved articles, optionally only those approved as being
    about one production or person. Each article carries its
    `approved_matches` in a stable order (by kind, then the name matched)."""
    approved = Q(article=OuterRef("pk"), review_status=ReviewStatus.APPROVED)
    if production is not None:
        approved &= Q(production=production)
    if person is not None:
        approved &= Q(person=person)
    articles = (
        NewsArticle.objects.filter(Exists(ArticleMatch.objects.filter(approved)))
        .select_related("feed__publisher")
        .prefetch_related(
            Prefetch(
                "matches",
                queryset=_approved_matches().order_by("entity_type", "alias", "pk"),
                to_attr="approved_matches",
            )
        )
        # PostgreSQL sorts NULLs first when descending, SQLite last; an
        # undated article should never push dated news off the list.
        .order_by(F("published_at").desc(nulls_last=True), "-created_at", "-pk")
    )
    return list(articles[:limit])
