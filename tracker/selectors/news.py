"""Reads of the news the pipeline stored: the articles shown in the public
API and on the public pages, each with its matches of one review status,
joined and prefetched so a page costs the same number of queries whatever
its length.

Only approved matches are shown to the public: a pending or rejected match
is the matcher's guess, not something the tracker stands behind."""

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from tracker.choices import ReviewStatus
from tracker.models import ArticleMatch, NewsArticle, Organization, Person, Production

CASE_NEWS_LIMIT = 5
ENTITY_NEWS_LIMIT = 10


def article_matches(review_status: str) -> QuerySet[ArticleMatch]:
    return ArticleMatch.objects.filter(review_status=review_status)


def news_article_list(
    *,
    review_status: str = ReviewStatus.APPROVED,
    matches_ordering: tuple[str, ...] = ("-score", "id"),
) -> QuerySet[NewsArticle]:
    """Articles with at least one match in `review_status`, newest first;
    `article.shown_matches` holds those matches, best score first unless
    `matches_ordering` says otherwise.

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
                ).order_by(*matches_ordering),
                to_attr="shown_matches",
            )
        )
        .annotate(dated_at=Coalesce("published_at", "created_at"))
        .order_by("-dated_at", "-id")
    )


def approved_news_list(
    *,
    limit: int = CASE_NEWS_LIMIT,
    production: Production | None = None,
    person: Person | None = None,
    organization: Organization | None = None,
) -> list[NewsArticle]:
    """The latest approved articles for a page, optionally only those
    approved as being about one record. On a page an undated article comes
    after every dated one, however recently it was stored, and the records
    it is about are listed by kind, then name."""
    articles = news_article_list(matches_ordering=("entity_type", "alias", "pk"))
    about = {
        "production": production,
        "person": person,
        "organization": organization,
    }
    for field, record in about.items():
        if record is not None:
            articles = articles.filter(
                Exists(
                    article_matches(ReviewStatus.APPROVED).filter(
                        Q(article=OuterRef("pk")), **{field: record}
                    )
                )
            )
    articles = articles.order_by(
        F("published_at").desc(nulls_last=True), "-created_at", "-pk"
    )
    return list(articles[:limit])
