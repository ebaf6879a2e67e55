"""The hand-written reads say what their declared fields say: the schema is
generated from the declarations, the payload from `to_representation`, so
each serializer writing its own payload must give exactly its fields."""

import inspect

import pytest

from tests import factories as f
from tracker.api import serializers
from tracker.choices import MatchEntityType, MatchField, ReviewStatus
from tracker.models import ArticleMatch, Citation, Cohort, Feed, NewsArticle
from tracker.selectors import records
from tracker.selectors.cohorts import cohort_list
from tracker.selectors.news import news_article_list


def _approved_article():
    production = f.ProductionFactory()
    feed = Feed.objects.create(
        url="https://trade.example/feed",
        name="Trade Paper",
        publisher=f.OrganizationFactory(),
    )
    article = NewsArticle.objects.create(
        feed=feed,
        canonical_url="https://trade.example/news/1",
        url="https://trade.example/news/1",
        title="An IC on set",
        content_hash="0" * 64,
    )
    ArticleMatch.objects.create(
        article=article,
        entity_type=MatchEntityType.PRODUCTION,
        production=production,
        alias=production.title,
        field=MatchField.TITLE,
        position=0,
        score=0.9,
        review_status=ReviewStatus.APPROVED,
    )
    return news_article_list(review_status=ReviewStatus.APPROVED).get()


def _cohort():
    cohort = Cohort.objects.create(
        name="Nominees", inclusion_rule="Nominated.", list_source=f.SourceFactory()
    )
    cohort.members.add(f.ProductionFactory())
    return cohort_list().get()


# A record as its list view hands it over, for each serializer writing its
# own payload.
SAMPLES = {
    serializers.RefSerializer: lambda: f.OrganizationFactory(),
    serializers.ProductionRefSerializer: lambda: f.ProductionFactory(),
    serializers.CitationSerializer: lambda: Citation.objects.select_related(
        "source"
    ).first(),
    serializers.ProductionSerializer: lambda: records.production_list().get(),
    serializers.PersonSerializer: lambda: records.person_list().get(name="Ita O'Brien"),
    serializers.NewsArticleSerializer: _approved_article,
    serializers.CohortSerializer: _cohort,
}


def hand_written_serializers() -> set[type]:
    return {
        cls
        for _, cls in inspect.getmembers(serializers, inspect.isclass)
        if issubclass(cls, serializers.serializers.Serializer)
        and cls.__module__ == serializers.__name__
        and "to_representation" in vars(cls)
    }


def test_every_hand_written_read_has_a_sample():
    assert hand_written_serializers() == set(SAMPLES)


@pytest.mark.parametrize("serializer_class", SAMPLES, ids=lambda cls: cls.__name__)
def test_a_hand_written_read_gives_exactly_its_declared_fields(db, serializer_class):
    f.one_of_each()
    instance = SAMPLES[serializer_class]()

    data = serializer_class(instance).data

    assert list(data) == list(serializer_class().fields)
    meta = getattr(serializer_class, "Meta", None)
    if meta is not None:
        assert list(data) == list(meta.fields)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("web:source", "the-guardian-2021"),
        ("production-detail", "i_may_destroy_you"),
    ],
)
@pytest.mark.parametrize("script_prefix", ["/", "/tracker/"])
def test_slug_path_is_what_reverse_gives(name, slug, script_prefix):
    from django.urls import get_script_prefix, reverse, set_script_prefix

    from tracker.api.serializers import slug_path

    before = get_script_prefix()
    set_script_prefix(script_prefix)
    try:
        assert slug_path(name, slug) == reverse(name, args=[slug])
        assert slug_path(name, slug).startswith(script_prefix)
    finally:
        set_script_prefix(before)


@pytest.mark.parametrize("slug", ["caf\u00e9-cr\u00e8me", "two words", ""])
def test_slug_path_refuses_what_reverse_refuses(slug):
    from django.urls import NoReverseMatch

    from tracker.api.serializers import slug_path

    with pytest.raises(NoReverseMatch):
        slug_path("web:source", slug)
