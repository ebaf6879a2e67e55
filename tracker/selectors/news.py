"""Reads of the news the pipeline stored: the articles shown in the public
API and on the public pages, each with its matches of one review status,
joined and prefetched so a page costs the same number of queries whatever
its length.

Only approved matches are shown to the public: a pending or rejected match
is the matcher's guess, not something the tracker stands behind. Staff
also read the articles that match nothing, and the leads among them."""

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from tracker.choices import ReviewStatus
from tracker.models import ArticleMatch, NewsArticle, Organization, Person, Production
from tracker.selectors.review import leads_list

CASE_NEWS_LIMIT = 5
ENTITY_NEWS_LIMIT = 10

# Beside the review statuses of a match, what staff ask for to read the
# stored articles that match nothing at all (no match has this status).
UNMATCHED = "unmatched"
NEWS_REVIEW_STATUSES = (*ReviewStatus.values, UNMATCHED)


def article_matches(review_status: str) -> QuerySet[ArticleMatch]:
    return ArticleMatch.objects.filter(review_status=review_status)


def news_article_list(
    *,
    review_status: str = ReviewStatus.APPROVED,
    leads: bool | None = None,
    matches_ordering: tuple[str, ...] = ("-score", "id"),
) -> QuerySet[NewsArticle]:
    """Articles with at least one match in `review_status` (or, for
    UNMATCHED, with no match at all), newest first; `article.shown_matches`
    holds those matches, best score first unless `matches_ordering` says
    otherwise. `leads` keeps only the leads (True) or leaves them out
    (False), as the leads admin defines them (selectors.review.leads_list).

    `dated_at` is the publication date or, for an entry that gave none,
    when it was stored: cursor pagination needs a sort key that is never
    null."""
    if review_status == UNMATCHED:
        matches = ArticleMatch.objects.none()
        articles = NewsArticle.objects.exclude(
            Exists(ArticleMatch.objects.filter(article=OuterRef("pk")))
        )
    else:
        matches = article_matches(review_status)
        articles = NewsArticle.objects.filter(
            Exists(matches.filter(article=OuterRef("pk")))
        )
    if leads is not None:
        is_lead = Exists(leads_list().filter(pk=OuterRef("pk")))
        articles = articles.filter(is_lead if leads else ~is_lead)
    return (
        articles.select_related("feed__publisher")
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


def approved_news_exists(field: str) -> Exists:
    """Whether any approved match ties an article to the outer query's
    record (`field`: production, person or organization), as the filter
    of approved_news_list reads it."""
    return Exists(
        article_matches(ReviewStatus.APPROVED).filter(**{field: OuterRef("pk")})
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


def stored_news_list() -> QuerySet[NewsArticle]:
    """Every stored article, matched or not, with what making a source of
    one reads (its feed's publisher)."""
    return NewsArticle.objects.select_related("feed__publisher")
