"""Hostile and unusual documents, served by the local HTTP server and
refreshed as production refreshes them: each is refused or read, and
whatever went wrong is on the feed's health, where staff see it."""

from __future__ import annotations

import codecs
import io
import json

import pytest
from django.core.management import call_command

from tracker.choices import FeedStatus
from tracker.models import Feed, NewsArticle
from tracker.news.services import feed_refresh

pytestmark = pytest.mark.usefixtures("private_feeds_allowed")

DTD = "<!DOCTYPE rss [<!ENTITY a 'lol'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;'>]>"


def rss(*items: str, title: str = "Trade Paper", prolog: str = "") -> str:
    return (
        f"{prolog}<rss version='2.0'><channel><title>{title}</title>"
        + "".join(items)
        + "</channel></rss>"
    )


def item(link: str, guid: str = "", title: str = "A story") -> str:
    guid_element = f"<guid isPermaLink='false'>{guid}</guid>" if guid else ""
    return f"<item><title>{title}</title><link>{link}</link>{guid_element}</item>"


def refreshed(feed_server, feed_make, body: bytes, path="/feed", **route):
    route.setdefault("headers", {"Content-Type": "application/rss+xml"})
    feed = feed_make(feed_server.route(path, body=body, **route))
    result = feed_refresh(feed_id=feed.pk)
    feed.refresh_from_db()
    return result, feed


def stored_urls() -> set[str]:
    return set(NewsArticle.objects.values_list("url", flat=True))


# --- a DTD behind a charset --------------------------------------------------


def _utf7(text: str) -> bytes:
    return text.encode("utf-7")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        pytest.param(
            b'<?xml version="1.0" encoding="utf-7"?>'
            + _utf7(DTD + rss(item("https://a.example/1"))),
            "application/rss+xml",
            id="utf-7 declared",
        ),
        pytest.param(
            _utf7(DTD + rss(item("https://a.example/1"))),
            "application/rss+xml; charset=utf-7",
            id="utf-7 from the HTTP charset",
        ),
        pytest.param(
            codecs.BOM_UTF16_LE
            + ('<?xml version="1.0"?>' + DTD + rss()).encode("utf-16-le"),
            "application/rss+xml",
            id="utf-16 with a BOM",
        ),
        pytest.param(
            ('<?xml version="1.0"?>' + DTD + rss()).encode("utf-32-be"),
            "application/rss+xml",
            id="utf-32 without a BOM",
        ),
        pytest.param(
            ('<?xml version="1.0" encoding="utf-16"?>' + DTD + rss()).encode("utf-16"),
            "text/xml; charset=iso-8859-1",
            id="utf-16 under a lying HTTP charset",
        ),
    ],
)
def test_a_dtd_in_any_charset_is_refused_and_recorded(
    feed_server, feed_make, body, content_type
):
    result, feed = refreshed(
        feed_server, feed_make, body, headers={"Content-Type": content_type}
    )

    assert result.status == FeedStatus.ERROR
    assert feed.last_status == FeedStatus.ERROR
    assert "DTD or entit" in feed.last_error
    assert feed.consecutive_failures == 1
    assert NewsArticle.objects.count() == 0


# --- bounded parsing ------------------------------------------------------------


def test_a_parse_over_its_time_budget_is_a_failed_feed(
    feed_server, feed_make, settings
):
    settings.TRACKER_FEED_PARSE_SECONDS = 0.05
    wide = rss(item("https://a.example/1", guid="1") + "<x/>" * 200_000)

    result, feed = refreshed(feed_server, feed_make, wide.encode())

    assert result.status == FeedStatus.ERROR
    assert "budget" in feed.last_error
    assert feed.next_fetch_at > feed.last_checked_at
    assert NewsArticle.objects.count() == 0


def test_an_element_with_thousands_of_attributes_is_refused(feed_server, feed_make):
    # xml.sax looks attributes up one by one: quadratic if let through.
    attributes = " ".join(f"a{n}='1'" for n in range(20_000))
    body = rss(item("https://a.example/1") + f"<x {attributes}/>")

    result, feed = refreshed(feed_server, feed_make, body.encode())

    assert result.status == FeedStatus.ERROR
    assert "20,000 attributes" in feed.last_error


# --- links -----------------------------------------------------------------------


def _rss_links(links):
    return rss(*(item(link, guid=f"g{n}") for n, link in enumerate(links))).encode()


def _atom_links(links):
    entries = "".join(
        f"<entry><id>urn:g{n}</id><title>A story</title>"
        f"<link rel='alternate' href='{link}'/>"
        "<updated>2024-05-01T00:00:00Z</updated></entry>"
        for n, link in enumerate(links)
    )
    return (
        "<feed xmlns='http://www.w3.org/2005/Atom'><title>Atom Paper</title>"
        f"<id>urn:feed</id><updated>2024-05-01T00:00:00Z</updated>{entries}</feed>"
    ).encode()


def _json_links(links):
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "JSON Paper",
            "items": [
                {"id": f"g{n}", "url": link, "title": "A story"}
                for n, link in enumerate(links)
            ],
        }
    ).encode()


@pytest.mark.parametrize(
    ("make", "content_type"),
    [
        (_rss_links, "application/rss+xml"),
        (_atom_links, "application/atom+xml"),
        (_json_links, "application/feed+json"),
    ],
    ids=["rss", "atom", "json"],
)
def test_links_are_http_resolved_against_the_feed_and_scripts_dropped(
    feed_server, feed_make, make, content_type
):
    links = [
        "/news/relative-story",
        "javascript:alert(document.cookie)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "https://trade.example/absolute-story",
    ]

    result, feed = refreshed(
        feed_server,
        feed_make,
        make(links),
        path="/section/feed",
        headers={"Content-Type": content_type},
    )

    assert result.status == FeedStatus.OK
    assert stored_urls() == {
        feed_server.url("/news/relative-story"),
        "https://trade.example/absolute-story",
    }
    assert result.new == 2
    assert "2 entries skipped" in feed.last_error
    assert "1 with a javascript link" in feed.last_error
    assert "1 with a data link" in feed.last_error


# --- one bad entry never poisons a feed --------------------------------------------


def test_bad_entries_are_skipped_and_counted_and_the_good_ones_stored(
    feed_server, feed_make
):
    body = rss(
        item("https://good.example/one", guid="good-1"),
        item("http://bad.example:99999/port", guid="port"),
        item("http://[::1/unclosed-ipv6", guid="ipv6"),
        item("https://long.example/" + "a" * 1200, guid="long"),
        item("https://good.example/two", guid="good-2"),
        item("https://good.example/long-guid", guid="g" * 3000),
    )

    result, feed = refreshed(feed_server, feed_make, body.encode())

    assert result.status == FeedStatus.OK
    assert stored_urls() == {
        "https://good.example/one",
        "https://good.example/two",
        "https://good.example/long-guid",
    }
    assert "3 entries skipped" in feed.last_error
    assert "over 1000 bytes" in feed.last_error
    assert feed.consecutive_failures == 0


def test_a_nul_in_an_entry_skips_that_entry_only(feed_server, feed_make):
    body = _json_links(["https://good.example/one", "https://bad.example/\x00nul"])

    result, feed = refreshed(
        feed_server,
        feed_make,
        body,
        headers={"Content-Type": "application/feed+json"},
    )

    assert stored_urls() == {"https://good.example/one"}
    assert "1 with a NUL character in the link" in feed.last_error


def test_a_redirect_to_an_idn_host_is_recorded_on_the_feed(feed_server, feed_make):
    url = feed_server.route(
        "/moved", status=302, headers={"Location": "http://bücher.invalid/feed"}
    )
    feed = feed_make(url)

    result = feed_refresh(feed_id=feed.pk)

    feed.refresh_from_db()
    assert result.status == FeedStatus.ERROR
    assert feed.last_status == FeedStatus.ERROR
    assert feed.last_error
    assert feed.consecutive_failures == 1
    assert feed.next_fetch_at > feed.last_checked_at


def test_one_failing_feed_never_stops_the_others(feed_server, feed_make):
    bad = feed_make(feed_server.route("/bad", body=(DTD + rss()).encode()))
    good = feed_make(
        feed_server.route("/good", body=_rss_links(["https://good.example/x"]))
    )

    call_command("refresh_news", "--json", stdout=io.StringIO())

    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.last_status == FeedStatus.ERROR and "DTD" in bad.last_error
    assert good.last_status == FeedStatus.OK
    assert stored_urls() == {"https://good.example/x"}


# --- encodings -----------------------------------------------------------------------

TITLES = {
    "big5": "親密關係指導",
    "euc-kr": "친밀감 코디네이터",
    "gb2312": "亲密协调员",
    "gb18030": "亲密协调员 𠀀",
    "shift_jis": "インティマシー・コーディネーター",
    "windows-1251": "Координатор интимных сцен",
    "windows-1252": "Coordinatrice d’intimité",
    "macintosh": "Coordinatrice d’intimité",
    "iso-8859-7": "Συντονιστής οικειότητας",
}


@pytest.mark.parametrize("encoding", sorted(TITLES))
def test_a_declared_encoding_is_read(feed_server, feed_make, encoding):
    title = TITLES[encoding]
    document = rss(
        item("https://enc.example/1", guid="1", title=title),
        prolog=f'<?xml version="1.0" encoding="{encoding}"?>',
    )

    result, feed = refreshed(feed_server, feed_make, document.encode(encoding))

    assert result.status == FeedStatus.OK, feed.last_error
    assert NewsArticle.objects.get().title == title
    assert feed.last_error == ""


@pytest.mark.parametrize(
    "encoded",
    [
        lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        lambda text: text.encode("utf-16-le"),
        lambda text: text.encode("utf-16-be"),
        lambda text: text.encode("utf-32"),
        lambda text: text.encode("utf-32-le"),
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    ],
    ids=[
        "utf-16-le BOM",
        "utf-16-be BOM",
        "utf-16-le",
        "utf-16-be",
        "utf-32 BOM",
        "utf-32-le",
        "utf-8 BOM",
    ],
)
def test_unicode_with_or_without_a_bom_is_read(feed_server, feed_make, encoded):
    title = "Ita O’Brien, intimacy coordinator — 親密"
    document = rss(item("https://enc.example/1", guid="1", title=title))

    result, feed = refreshed(feed_server, feed_make, encoded(document))

    assert result.status == FeedStatus.OK, feed.last_error
    assert NewsArticle.objects.get().title == title


@pytest.mark.parametrize(
    ("declared", "content_type", "read_as"),
    [
        ("mac", "application/rss+xml; charset=windows-1251", "cp1251"),
        ("ms-ansi", "application/rss+xml", "utf-8"),
        ("dbcs", "application/rss+xml; charset=no-such-charset", "utf-8"),
    ],
)
def test_an_unknown_encoding_falls_back_and_says_so(
    feed_server, feed_make, declared, content_type, read_as
):
    title = "Координатор" if read_as == "cp1251" else "Coordinatrice d’intimité"
    document = rss(
        item("https://enc.example/1", guid="1", title=title),
        prolog=f'<?xml version="1.0" encoding="{declared}"?>',
    )
    body = document.encode("cp1251" if read_as == "cp1251" else "utf-8")

    result, feed = refreshed(
        feed_server, feed_make, body, headers={"Content-Type": content_type}
    )

    assert result.status == FeedStatus.OK
    assert NewsArticle.objects.get().title == title
    assert f"encoding {declared!r} is unknown" in feed.last_error
    assert f"read as {read_as}" in feed.last_error


def test_bytes_that_fit_no_declared_encoding_fall_back_to_windows_1252(
    feed_server, feed_make
):
    document = rss(
        item("https://enc.example/1", guid="1", title="Café"),
        prolog='<?xml version="1.0" encoding="utf-8"?>',
    )

    result, feed = refreshed(feed_server, feed_make, document.encode("cp1252"))

    assert result.status == FeedStatus.OK
    assert NewsArticle.objects.get().title == "Café"
    assert "not valid utf-8" in feed.last_error
    assert "read as cp1252" in feed.last_error


# --- a cap on new entries -----------------------------------------------------------


def test_new_entries_beyond_the_cap_are_counted_and_wait_for_the_next_refresh(
    feed_server, feed_make, settings
):
    settings.TRACKER_FEED_MAX_NEW_ENTRIES = 3
    links = [f"https://cap.example/{n}" for n in range(5)]

    result, feed = refreshed(feed_server, feed_make, _rss_links(links))

    assert (result.new, result.over_cap) == (3, 2)
    assert stored_urls() == set(links[:3])
    assert "2 new entries over the cap of 3" in feed.last_error

    again = feed_refresh(feed_id=feed.pk)

    assert (again.new, again.over_cap, again.unchanged) == (2, 0, 3)
    assert stored_urls() == set(links)
    assert Feed.objects.get(pk=feed.pk).last_error == ""
