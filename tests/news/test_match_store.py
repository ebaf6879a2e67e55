"""Keeping an article's matches in step with its text."""

import datetime as dt

import pytest

from tracker.choices import ReviewStatus
from tracker.models import ArticleMatch, NewsArticle
from tracker.news.article_store import entries_store
from tracker.news.match_store import articles_match
from tracker.news.parse import ParsedEntry

WHEN = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)


def entry(guid="g1", url="https://trade.example/story", title="A story", **kw):
    return ParsedEntry(
        guid=guid,
        url=url,
        title=title,
        summary=kw.get("summary", ""),
        published_at=kw.get("published_at", WHEN),
    )


def test_matches_are_created_once_and_flag_the_article(feed_make, known_entities):
    feed = feed_make("https://trade.example/rss")
    stored = entries_store(
        feed,
        [
            entry(
                title="Michaela Coel’s BAFTA speech thanked intimacy coordinator "
                "Ita O’Brien"
            )
        ],
    )

    articles_match(stored.new)
    articles_match(stored.new)

    article = NewsArticle.objects.get()
    assert article.ic_related and article.award_mention
    assert {m.entity for m in article.matches.all()} == {
        known_entities["coel"],
        known_entities["obrien"],
        known_entities["bafta"],
    }
    assert all(m.review_status == ReviewStatus.PENDING for m in article.matches.all())


def test_a_rematch_keeps_reviewed_matches_and_drops_stale_pending_ones(
    feed_make, known_entities
):
    feed = feed_make("https://trade.example/rss")
    (pk,) = entries_store(feed, [entry(title="Michaela Coel and Ita O'Brien")]).new
    articles_match([pk])
    ArticleMatch.objects.filter(person=known_entities["coel"]).update(
        review_status=ReviewStatus.APPROVED
    )

    entries_store(feed, [entry(title="A story with neither name")])
    articles_match([pk])

    (kept,) = ArticleMatch.objects.all()
    assert kept.person == known_entities["coel"]
    assert kept.review_status == ReviewStatus.APPROVED


def test_the_matcher_is_kept_until_a_name_changes_then_rebuilt(
    db, django_assert_num_queries
):
    from tests.factories import PersonFactory
    from tracker.news.match_store import matcher_get

    first = matcher_get()
    # Kept: one statement reads the stamp of every table of names.
    with django_assert_num_queries(1):
        assert matcher_get() is first

    person = PersonFactory(name="Zubeida Okonkwo-Hart")
    rebuilt = matcher_get()
    assert rebuilt is not first
    assert rebuilt.match("Zubeida Okonkwo-Hart on set", "").matches

    person.aliases = ["Z. Okonkwo-Hart"]
    person.save()
    assert matcher_get().match("Z. Okonkwo-Hart on set", "").matches


def _person_deleted(world):
    world["person"].delete()


def _alias_edited(world):
    world["person"].aliases = ["Another Name"]
    world["person"].save()


def _credit_added(world):
    from tests.factories import CreditFactory

    CreditFactory(person=world["person"], production=world["production"])


def _productions_bulk_created(world):
    from tracker.models import Production

    Production.objects.bulk_create([Production(slug="bulk", title="Bulk Made")])


def _ambiguous_alias_kept(world):
    from tracker.choices import MatchEntityType
    from tracker.models import AmbiguousAlias

    AmbiguousAlias.objects.create(
        entity_type=MatchEntityType.PERSON,
        person=world["person"],
        alias="Ada",
        rejections=3,
    )


@pytest.mark.parametrize(
    "change",
    [
        _person_deleted,
        _alias_edited,
        _credit_added,
        _productions_bulk_created,
        _ambiguous_alias_kept,
    ],
    ids=lambda change: change.__name__.strip("_"),
)
def test_the_names_stamp_changes_with_every_kind_of_change_to_names(db, change):
    from tests.factories import PersonFactory, ProductionFactory
    from tracker.news.match_store import _names_stamp

    world = {
        "person": PersonFactory(name="Ada Stamp"),
        "production": ProductionFactory(),
    }
    before = _names_stamp()
    assert _names_stamp() == before

    change(world)

    assert _names_stamp() != before


def test_a_worker_builds_the_matcher_before_it_forks_its_pool(transactional_db):
    from celery import signals

    from tests.factories import PersonFactory
    from tracker import tasks
    from tracker.news import match_store

    PersonFactory(name="Preloaded Person")
    match_store.matcher_reset()

    # Sent in the worker's main process before the pool starts.
    assert tasks.matcher_preload in signals.worker_init._live_receivers(None)
    tasks.matcher_preload()

    assert match_store._matcher is not None
    built = match_store._matcher[1]
    assert built.match("Preloaded Person on set", "").matches
    # What the pool's processes inherit is current: they do not build again.
    assert match_store.matcher_get() is built
