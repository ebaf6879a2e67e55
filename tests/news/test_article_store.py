"""Storing each article once: by guid, by canonical URL, across feeds."""

import datetime as dt

from tracker.models import ArticleSighting, NewsArticle
from tracker.news.article_store import entries_store
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


def test_the_same_guid_twice_is_one_article_and_the_rerun_writes_nothing(
    feed_make, django_assert_max_num_queries
):
    feed = feed_make("https://trade.example/rss")

    first = entries_store(feed, [entry(), entry(guid="g2", url="https://t.example/2")])
    with django_assert_max_num_queries(4):
        second = entries_store(
            feed, [entry(), entry(guid="g2", url="https://t.example/2")]
        )

    assert len(first.new) == 2
    assert (second.new, second.updated, second.unchanged) == ([], [], 2)
    assert NewsArticle.objects.count() == 2


def test_the_same_story_from_two_feeds_is_one_article_seen_twice(feed_make):
    trade = feed_make("https://trade.example/rss")
    other = feed_make("https://other.example/rss")

    entries_store(trade, [entry(url="https://trade.example/story?utm_source=a")])
    result = entries_store(
        other, [entry(guid="other-9", url="https://TRADE.example/story?fbclid=zz")]
    )

    article = NewsArticle.objects.get()
    assert article.feed == trade
    assert result.new == [] and result.unchanged == 1
    assert set(article.sightings.values_list("feed__url", "guid")) == {
        ("https://trade.example/rss", "g1"),
        ("https://other.example/rss", "other-9"),
    }


def test_a_changed_article_is_updated_not_duplicated(feed_make):
    feed = feed_make("https://trade.example/rss")
    (pk,) = entries_store(feed, [entry(title="First headline")]).new

    result = entries_store(feed, [entry(title="Corrected headline")])

    assert result.updated == [pk]
    assert NewsArticle.objects.get().title == "Corrected headline"
    assert ArticleSighting.objects.count() == 1


def test_an_entry_whose_address_changed_is_found_by_its_guid(feed_make):
    feed = feed_make("https://trade.example/rss")
    (pk,) = entries_store(feed, [entry(url="https://trade.example/old")]).new

    result = entries_store(feed, [entry(url="https://trade.example/new")])

    assert result.updated == [pk]
    assert NewsArticle.objects.get().url == "https://trade.example/new"


def test_two_guids_for_one_story_in_one_document_are_one_article(feed_make):
    feed = feed_make("https://trade.example/rss")

    entries_store(
        feed, [entry(guid="a"), entry(guid="b", url="https://trade.example/story#x")]
    )

    assert NewsArticle.objects.count() == 1
