"""Factories for news articles and the matches staff review. Kept beside
the page tests rather than in tests/factories.py while the news API grows
its own."""

import datetime as dt

import factory
from django.utils import timezone

from tests import factories
from tracker import choices, models


class FeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Feed

    url = factory.Sequence(lambda n: f"https://trade.example.org/feed/{n}")
    name = factory.Sequence(lambda n: f"Trade Paper {n}")


class NewsArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.NewsArticle

    feed = factory.SubFactory(FeedFactory)
    canonical_url = factory.Sequence(lambda n: f"https://trade.example.org/news/{n}")
    url = factory.LazyAttribute(lambda o: f"{o.canonical_url}?utm_source=rss")
    title = factory.Sequence(lambda n: f"Intimacy coordinators on set, part {n}")
    published_at = factory.Sequence(
        lambda n: timezone.make_aware(dt.datetime(2025, 1, 1) + dt.timedelta(days=n))
    )
    content_hash = factory.Sequence(lambda n: f"{n:064x}")
    ic_related = True


class ArticleMatchFactory(factory.django.DjangoModelFactory):
    """A match to a production unless `person=` or `organization=` is given;
    approved unless told otherwise."""

    class Meta:
        model = models.ArticleMatch

    article = factory.SubFactory(NewsArticleFactory)
    entity_type = factory.LazyAttribute(
        lambda o: (
            choices.MatchEntityType.PERSON
            if o.person
            else choices.MatchEntityType.ORGANIZATION
            if o.organization
            else choices.MatchEntityType.PRODUCTION
        )
    )
    person = None
    organization = None
    production = factory.LazyAttribute(
        lambda o: None if o.person or o.organization else factories.ProductionFactory()
    )
    alias = factory.LazyAttribute(
        lambda o: str(o.production or o.person or o.organization)
    )
    field = choices.MatchField.TITLE
    position = 0
    score = 1.0
    ic_related = True
    review_status = choices.ReviewStatus.APPROVED
