"""Parsing every feed format, refusing declarations, keeping what a broken
feed still offers."""

import datetime as dt
import time
import tracemalloc

import pytest

from tracker.news.parse import FeedParseError, FeedRefused, feed_parse


def test_rss_2_entries_are_read_with_sanitized_summaries(feed_file):
    feed = feed_parse(feed_file("rss2.xml"), "application/rss+xml")

    assert feed.format == "rss20"
    assert feed.error == ""
    first, second = feed.entries
    assert first.guid == "trade-1001"
    assert first.title.startswith("Michaela Coel’s BAFTA speech")
    assert first.published_at == dt.datetime(2021, 5, 10, 9, 0, tzinfo=dt.UTC)
    assert first.summary == (
        "<p>The <b>I May Destroy You</b> creator dedicated her award.</p>"
    )
    assert "script" not in first.summary and "pixel" not in first.summary
    assert second.guid == "trade-1002"


def test_rss_1_rdf_is_read(feed_file):
    feed = feed_parse(feed_file("rss1.rdf"))

    assert feed.format == "rss10"
    (entry,) = feed.entries
    assert (entry.title, entry.url) == (
        "Poor Things wins again",
        "https://rdf.example/a",
    )
    assert entry.published_at == dt.datetime(2024, 3, 1, 10, 0, tzinfo=dt.UTC)


def test_rss_0_91_in_its_declared_latin_1_encoding_is_read(feed_file):
    content = feed_file("rss091.xml")
    assert "intimité".encode("iso-8859-1") in content

    feed = feed_parse(content, "text/xml")

    assert feed.format.startswith("rss09")
    (entry,) = feed.entries
    assert entry.title == "Le festival de Cannes et la coordinatrice d'intimité"
    assert entry.guid == entry.url == "https://old.example/cannes"


def test_atom_entries_lose_markup_in_titles_and_scripts_in_summaries(feed_file):
    feed = feed_parse(feed_file("atom.xml"), "application/atom+xml")

    assert feed.format == "atom10"
    (entry,) = feed.entries
    assert entry.title == "Challengers star Zendaya on intimacy coordinators"
    assert entry.guid == "tag:atom.example,2024:challengers"
    assert "javascript" not in entry.summary and "onclick" not in entry.summary
    assert "Mam Smith was on set." in entry.summary


def test_json_feed_is_read_and_items_without_an_address_reported(feed_file):
    feed = feed_parse(feed_file("feed.json"), "application/feed+json")

    assert feed.format == "json1.1"
    (entry,) = feed.entries
    assert entry.guid == "json-1"
    assert entry.summary == "<p>Netflix <em>confirms</em>.</p>"
    assert entry.published_at == dt.datetime(2024, 6, 13, 6, 0, tzinfo=dt.UTC)
    assert "1 entry skipped: 1 without a link." in feed.error


def test_json_that_is_not_a_json_feed_is_refused():
    with pytest.raises(FeedParseError, match="JSON Feed 1.x version"):
        feed_parse(b'{"hello": "world"}', "application/json")


@pytest.mark.parametrize("name", ["billion_laughs.xml", "xxe.xml"])
def test_entity_declarations_are_refused_fast_and_small(feed_file, name):
    content = feed_file(name)
    tracemalloc.start()
    started = time.monotonic()

    with pytest.raises(FeedRefused, match="DTD or entities"):
        feed_parse(content, "application/rss+xml")

    elapsed = time.monotonic() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 2
    assert peak < 5 * 1024 * 1024


def test_a_malformed_declaration_after_broken_markup_is_still_refused():
    content = b"<rss><channel><title>x</ti><!DOCTYPE a [<!ENTITY e 'lol'>]></rss>"

    with pytest.raises(FeedRefused):
        feed_parse(content)


def test_a_malformed_feed_keeps_what_can_be_read_and_says_what_is_wrong(feed_file):
    feed = feed_parse(feed_file("malformed.xml"))

    assert [e.guid for e in feed.entries] == ["broken-1", "broken-2"]
    assert feed.error.startswith("Malformed XML: not well-formed")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"<!doctype html><html><body>hi</body></html>", "HTML page"),
        (b"<html><body>hi</body></html>", "HTML page"),
        (b"just some text", "Not an RSS or Atom feed"),
    ],
)
def test_what_is_not_a_feed_is_refused_with_a_clear_error(content, message):
    with pytest.raises(FeedParseError, match=message):
        feed_parse(content)
