"""Reads of the news the pipeline stored: the articles shown in the public
API, each with its matches of one review status, joined and prefetched so a
page costs the same number of queries whatever its length."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.db.models.functions import Coalesce

from tracker.choices import ReviewStatus
from tracker.models import ArticleMatch, NewsArticle


def article_matches(review_status: str) -> QuerySet[ArticleMatch]:
    return ArticleMatch.objects.filter(review_status=review_status)


def news_article_list(
    *, review_status: str = ReviewStatus.APPROVED
) -> QuerySet[NewsArticle]:
    """Articles with at least one match in `review_status`, newest first;
    `article.shown_matches` holds those matches, best score first.

    `dated_at` is the publication date or, for an entry that gave none,
    when it was stored: cursor pagination needs a sort key that is never
    null."""
    matches = article_matches(review_status)
    return (
        NewsArticle.objects.filter(Exists(matches.filter(article=OuterRef("pk"))))
        .select_related("feed__publisher")
        .prefetch_related(
            Prefetch(
                "matches",
                queryset=matches.select_related(
                    "production", "person", "organization"
                ).order_by("-score", "id"),
                to_attr="shown_matches",
            )
        )
        .annotate(dated_at=Coalesce("published_at", "created_at"))
        .order_by("-dated_at", "-id")
    )
