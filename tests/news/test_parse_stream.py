"""The streaming fast path gives exactly the entries feedparser gives, and
steps aside wherever it cannot promise that."""

import pytest

from bench.rows.news import rss_generate
from tests.news.conftest import FEEDS_DIR
from tracker.news.parse import (
    FeedRefused,
    _xml_feed_parse_lenient,
    _xml_feed_stream,
    feed_parse,
)

RSS = '<?xml version="1.0" encoding="utf-8"?>\n<rss version="{version}"{ns}>'
RSS_NS = (
    ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
    ' xmlns:atom="http://www.w3.org/2005/Atom"'
    ' xmlns:media="http://search.yahoo.com/mrss/"'
)


def rss(items: str, version: str = "2.0", channel: str = "") -> bytes:
    head = RSS.format(version=version, ns=RSS_NS)
    return (
        f"{head}<channel><title>Trade &amp; Co</title>"
        f'<atom:link href="https://t.example/rss" rel="self"/>{channel}'
        f"{items}</channel></rss>"
    ).encode()


def atom(entries: str, title: str = "<title>Atom Paper</title>") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<feed xmlns="http://www.w3.org/2005/Atom">{title}'
        f"<id>urn:x</id><updated>2024-05-01T12:00:00Z</updated>{entries}</feed>"
    ).encode()


D = "<pubDate>Mon, 10 May 2021 09:00:00 GMT</pubDate>"
STREAMED = {
    "plain item": rss(
        f"<item><title>A</title><link>https://t.example/a</link>"
        f"<guid>a-1</guid>{D}<description>&lt;p&gt;Hi&lt;/p&gt;</description></item>"
    ),
    "permalink guid stands in for the link": rss(
        "<item><title>B</title><guid>https://t.example/b</guid></item>"
    ),
    "guid that is not a permalink, no link": rss(
        '<item><title>C</title><guid isPermaLink="false">c-1</guid></item>'
    ),
    "guid spelled isPermaLink=False": rss(
        '<item><title>C</title><guid isPermaLink="False">https://t.example/c'
        "</guid></item>"
    ),
    "empty link and a permalink guid": rss(
        "<item><title>E</title><link></link><guid>https://t.example/e</guid></item>"
    ),
    "link before and after the guid": rss(
        "<item><guid>https://t.example/g</guid><link>https://t.example/l</link>"
        "</item><item><link>https://t.example/l2</link>"
        "<guid>https://t.example/g2</guid></item>"
    ),
    "query strings with &amp; and &x;": rss(
        "<item><title>Q</title><link>https://t.example/q?a=1&amp;b=2&amp;c;=3"
        "</link></item>"
    ),
    "extra slashes after the scheme": rss(
        "<item><link>https:////t.example/s</link><guid>https:///t.example/s</guid>"
        "</item>"
    ),
    "content:encoded only": rss(
        "<item><link>https://t.example/ce</link>"
        "<content:encoded><![CDATA[<p>Full <b>text</b></p>]]></content:encoded>"
        "</item>"
    ),
    "content:encoded and an empty description": rss(
        "<item><link>https://t.example/ce2</link><description> </description>"
        "<content:encoded>&lt;p&gt;Full&lt;/p&gt;</content:encoded></item>"
    ),
    "content:encoded before the description": rss(
        "<item><link>https://t.example/ce3</link>"
        "<content:encoded>full</content:encoded><description>short</description>"
        "</item>"
    ),
    "dc:date and dc:creator": rss(
        "<item><link>https://t.example/dc</link><dc:creator>Ann</dc:creator>"
        "<dc:date>2024-03-01T10:00:00+02:00</dc:date></item>"
    ),
    "pubDate and dc:date": rss(
        f"<item><link>https://t.example/pd</link>{D}"
        "<dc:date>2024-03-01T10:00:00Z</dc:date></item>"
    ),
    "odd dates": rss(
        "<item><link>https://t.example/d1</link><pubDate>10 May 2021</pubDate></item>"
        "<item><link>https://t.example/d2</link><pubDate>yesterday</pubDate></item>"
        "<item><link>https://t.example/d3</link><pubDate>2021-05-10</pubDate></item>"
        "<item><link>https://t.example/d4</link>"
        "<pubDate>Sun, 31 Dec 9999 23:59:59 +1400</pubDate></item>"
        "<item><link>https://t.example/d5</link><pubDate></pubDate></item>"
    ),
    "UTF-8 read as Latin-1, and cp1252 code points": rss(
        "<item><title>CafÃ© &#147;quoted&#148; – ok</title>"
        "<link>https://t.example/m</link><description>naÃ¯ve</description></item>"
    ),
    "markup and entities in titles": rss(
        "<item><title>A &lt;b&gt;bold&lt;/b&gt; &amp;amp; title</title>"
        "<link>https://t.example/t</link></item>"
        "<item><title><![CDATA[Cdata <i>title</i> & co]]></title>"
        "<link>https://t.example/t2</link></item>"
    ),
    "no title, no guid, no link": rss(
        "<item><title>lost</title></item><item><link>relative/x</link></item>"
    ),
    "categories, enclosures, comments, author": rss(
        '<item><link>https://t.example/x</link><category domain="d">a</category>'
        '<category>b</category><enclosure url="https://t.example/x.mp3" '
        'length="1" type="audio/mpeg"/><comments>https://t.example/c</comments>'
        "<author>a@t.example (A)</author></item>"
    ),
    "RSS 0.92": rss("<item><link>https://t.example/o</link></item>", "0.92"),
    "RSS without a version": rss("<item><link>https://t.example/n</link></item>", ""),
    "image and textInput titles beside the channel's": rss(
        "<item><link>https://t.example/i</link></item>",
        channel="<image><title>Logo</title><url>https://t.example/l.png</url>"
        "</image><textInput><title>Search</title></textInput>",
    ),
    "atom alternates, self and ids": atom(
        '<entry><id>https://a.example/1</id><link rel="self" href="https://a.example/s"/>'
        "<title>One</title></entry>"
        '<entry><link href="https://a.example/2a"/><id>tag:a,2:2</id>'
        '<link rel="alternate" type="text/html" href="https://a.example/2b"/>'
        '<link rel="enclosure" href="https://a.example/2.mp3"/></entry>'
        '<entry><id>tag:a,3</id><link rel="alternate" type="application/pdf" '
        'href="https://a.example/3.pdf"/></entry>'
        '<entry><id>tag:a,4</id><link rel="ALTERNATE" type="HTML" '
        'href="https://a.example/4"/></entry>'
    ),
    "atom text types, summary and content": atom(
        '<entry><id>tag:a,5</id><link href="https://a.example/5"/>'
        '<title type="text">Plain &lt;b&gt;text&lt;/b&gt;</title>'
        '<summary type="html">&lt;p&gt;S&lt;/p&gt;</summary>'
        '<content type="html">&lt;p&gt;C&lt;/p&gt;</content>'
        "<published>2024-05-01T12:00:00+01:00</published>"
        "<updated>2024-05-02T12:00:00Z</updated></entry>"
        '<entry><id>tag:a,6</id><link href="https://a.example/6"/>'
        "<content>only content &lt;i&gt;here&lt;/i&gt;</content>"
        "<updated>2024-05-02T12:00:00Z</updated>"
        "<author><name>Ann</name><email>a@a.example</email></author></entry>"
        '<entry><id>tag:a,7</id><link href="https://a.example/7"/>'
        '<content type="html">c</content><summary></summary>'
        '<category term="x"/></entry>'
    ),
    "atom feed title as html": atom(
        "<entry><id>https://a.example/8</id></entry>",
        '<title type="html">A &lt;b&gt;paper&lt;/b&gt;</title>',
    ),
}
# Feeds the fast path must hand to feedparser.
NOT_STREAMED = {
    "xml:base": atom(
        '<entry xml:base="https://a.example/"><id>x</id><link href="y"/></entry>'
    ),
    "media:title": rss(
        "<item><link>https://t.example/m</link><media:title>M</media:title></item>"
    ),
    "two descriptions": rss(
        "<item><link>https://t.example/d</link><description>1</description>"
        "<description>2</description></item>"
    ),
    "a type on the description": rss(
        '<item><link>https://t.example/d</link><description type="text">x'
        "</description></item>"
    ),
    "unescaped markup in a description": rss(
        "<item><link>https://t.example/d</link><description><p>x</p>"
        "</description></item>"
    ),
    "xhtml content": atom(
        '<entry><id>tag:x</id><content type="xhtml"><div xmlns='
        '"http://www.w3.org/1999/xhtml"><p>x</p></div></content></entry>'
    ),
    "base64 content": atom(
        '<entry><id>tag:x</id><content type="application/octet-stream">eA==</content>'
        "</entry>"
    ),
    "RSS 1.0": (FEEDS_DIR / "rss1.rdf").read_bytes(),
    "malformed": (FEEDS_DIR / "malformed.xml").read_bytes(),
    "charset disagreeing with the prolog": (FEEDS_DIR / "rss2.xml").read_bytes(),
}
NOT_STREAMED_TYPES = {
    "charset disagreeing with the prolog": "text/xml; charset=latin-1"
}

GENERATED = {
    f"generated {n} items, {w} words": rss_generate(f"gen{n}", n, summary_words=w)
    for n, w in ((1, 5), (100, 80), (500, 120))
}
ON_DISK = {
    path.name: path.read_bytes()
    for path in sorted(FEEDS_DIR.glob("*.xml"))
    if path.name not in ("billion_laughs.xml", "xxe.xml")
}
CONTENT_TYPES = [
    "",
    "application/rss+xml",
    "application/xml; charset=utf-8",
    "text/xml",
    "text/html",
    "text/plain; charset=utf-8",
]


def _both(content: bytes, content_type: str):
    return (
        _xml_feed_stream(content, content_type),
        _xml_feed_parse_lenient(content, content_type),
    )


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        (name, content_type)
        for name in [*STREAMED, *GENERATED, "rss2.xml", "atom.xml", "rss091.xml"]
        for content_type in CONTENT_TYPES
        # Its Latin-1 prolog would disagree with a UTF-8 charset.
        if not (name == "rss091.xml" and "charset" in content_type)
    ],
)
def test_the_fast_path_reads_what_feedparser_reads(name, content_type):
    content = {**STREAMED, **GENERATED, **ON_DISK}[name]

    fast, slow = _both(content, content_type)

    assert fast is not None, "the fast path gave up"
    assert fast == slow


@pytest.mark.parametrize("name", [*ON_DISK])
def test_every_feed_on_disk_reads_the_same_either_way(name):
    fast, slow = _both(ON_DISK[name], "")

    assert fast is None or fast == slow


@pytest.mark.parametrize("name", [*NOT_STREAMED])
def test_what_the_fast_path_cannot_promise_goes_to_feedparser(name):
    content = NOT_STREAMED[name]

    assert _xml_feed_stream(content, NOT_STREAMED_TYPES.get(name, "")) is None
    assert feed_parse(content, NOT_STREAMED_TYPES.get(name, "")).format


@pytest.mark.parametrize("name", ["billion_laughs.xml", "xxe.xml"])
def test_the_fast_path_refuses_declarations_itself(name):
    with pytest.raises(FeedRefused, match="DTD or entities"):
        _xml_feed_stream((FEEDS_DIR / name).read_bytes(), "application/rss+xml")
