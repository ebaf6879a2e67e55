"""The fast path for well-formed RSS 2.0 / 0.9x and Atom 1.0: one streaming
pass with defusedxml's iterparse (DTDs and entities still refused), each
item cleared as soon as it is read, so memory stays near the size of the
body and the CPU cost is expat's rather than feedparser's.

The answer must be exactly what feedparser would have given (the
equivalence test holds the two side by side), so this reproduces the parts
of feedparser 6 that shape an entry's link, id, title, summary and dates,
and gives up (None) on anything it does not reproduce: unknown elements in
an item, attributes that change how text is read, xml:base, duplicates,
nested markup, charsets that disagree. Giving up costs one wasted pass;
being wrong would store different articles than the slow path.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import defusedxml.ElementTree
from feedparser.datetimes import _parse_date as feedparser_date
from feedparser.html import _cp1252 as CP1252

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
# feedparser's own spellings, so both paths agree on odd input.
_URI_FIXER = re.compile("^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)")
_LINK_AMP = re.compile("&([A-Za-z0-9_]+);")
_PROLOG_ENCODING = re.compile(
    rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']"
)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._-]+)", re.IGNORECASE)
_RSS_VERSIONS = {
    "0.91": "rss091u",
    "0.92": "rss092",
    "0.93": "rss093",
    "0.94": "rss094",
}
# Children of an RSS item whose effect on the entry is reproduced below,
# with the attributes they may carry. Anything else (media:title,
# <source>, a type attribute...) changes what feedparser reports.
_RSS_ITEM_CHILDREN: dict[str, frozenset[str]] = {
    "title": frozenset(),
    "link": frozenset(),
    "description": frozenset(),
    "guid": frozenset({"isPermaLink"}),
    "pubDate": frozenset(),
    "author": frozenset(),
    "category": frozenset({"domain"}),
    "comments": frozenset(),
    "enclosure": frozenset({"url", "length", "type"}),
    f"{{{CONTENT}}}encoded": frozenset(),
    f"{{{DC}}}creator": frozenset(),
    f"{{{DC}}}date": frozenset(),
}
_ATOM_ENTRY_CHILDREN = frozenset(
    f"{{{ATOM}}}{name}"
    for name in (
        "id",
        "title",
        "link",
        "summary",
        "content",
        "published",
        "updated",
        "author",
        "contributor",
        "category",
    )
)
_ATOM_PERSON_CHILDREN = frozenset(f"{{{ATOM}}}{n}" for n in ("name", "email", "uri"))
# Text constructs feedparser reads as they are; other types are base64 or
# XHTML, which it decodes or unwraps.
_ATOM_TEXT_TYPES = {"text", "html", "text/plain", "text/html"}


class NotSure(Exception):
    """The fast path cannot promise feedparser's answer for this feed."""


@dataclass
class StreamedEntry:
    """An entry as feedparser would hold it, before the tracker's rules."""

    link: str
    guid: str
    title: str
    summary: str
    published: tuple | None
    updated: tuple | None


@dataclass
class StreamedFeed:
    format: str
    title: str
    entries: list[StreamedEntry]


def _utf8_expected(content: bytes, content_type: str) -> bool:
    """Whether feedparser will decode as UTF-8 (which switches on its
    repair of text that was UTF-8 read as Latin-1); NotSure when the
    transport and the prolog disagree, where feedparser believes the
    transport and expat the prolog."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise NotSure("UTF-16")
    body = content.removeprefix(codecs.BOM_UTF8)
    if not body.lstrip()[:1] == b"<":
        raise NotSure("no markup at the start")
    declared = _PROLOG_ENCODING.match(body)
    try:
        encoding = codecs.lookup(
            declared.group(1).decode() if declared else "utf-8"
        ).name
        charset = _CHARSET.search(content_type or "")
        if charset and codecs.lookup(charset.group(1)).name != encoding:
            raise NotSure("the HTTP charset differs from the prolog")
    except LookupError as exc:
        raise NotSure("an unknown encoding") from exc
    return encoding == "utf-8"


class _Reader:
    def __init__(self, utf8: bool):
        self.utf8 = utf8

    def text(self, value: str | None) -> str:
        """What feedparser's pop() makes of an element's text."""
        output = (value or "").strip()
        if self.utf8:
            with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
                output = output.encode("iso-8859-1").decode("utf-8")
        return output.translate(CP1252)

    @staticmethod
    def uri(value: str) -> str:
        """feedparser's resolve_uri with no base address."""
        return _URI_FIXER.sub(r"\1\3", value) if value else value


def _only_text(element) -> None:
    if len(element):
        raise NotSure(f"markup inside <{element.tag}>")


def _rss_entry(item, read: _Reader) -> StreamedEntry:
    seen: dict[str, object] = {}
    for child in item:
        allowed = _RSS_ITEM_CHILDREN.get(child.tag)
        if allowed is None:
            raise NotSure(f"<{child.tag}> in an item")
        if not set(child.attrib) <= allowed:
            raise NotSure(f"attributes on <{child.tag}>")
        if child.tag in seen and child.tag not in ("category", "enclosure"):
            raise NotSure(f"two <{child.tag}> in an item")
        _only_text(child)
        seen[child.tag] = child
    link = guid = None
    if "guid" in seen:
        element = seen["guid"]
        permalink = element.get("isPermaLink", "true") == "true"
        guid = read.text(element.text)
        if permalink:
            guid = read.uri(guid)
            link = guid
    if "link" in seen:
        link = read.uri(read.text(seen["link"].text))
        link = _LINK_AMP.sub(r"&\g<1>", link.replace("&amp;", "&"))
    # A description, even an empty one, is the summary; content:encoded
    # stands in when it is missing or empty.
    summary = read.text(seen["description"].text) if "description" in seen else ""
    if not summary and f"{{{CONTENT}}}encoded" in seen:
        summary = read.text(seen[f"{{{CONTENT}}}encoded"].text)
    return StreamedEntry(
        link=link or "",
        guid=guid or "",
        title=read.text(seen["title"].text) if "title" in seen else "",
        summary=summary,
        published=_date(seen.get("pubDate"), read),
        updated=_date(seen.get(f"{{{DC}}}date"), read),
    )


def _date(element, read: _Reader) -> tuple | None:
    if element is None:
        return None
    return feedparser_date(read.text(element.text))


def _atom_text(element, read: _Reader, *, content: bool = False) -> str:
    kind = element.get("type", "text").lower()
    allowed = {"type", "src"} if content else {"type"}
    if kind not in _ATOM_TEXT_TYPES or "mode" in element.attrib:
        raise NotSure(f"<{element.tag}> of type {kind}")
    if not set(element.attrib) <= allowed or element.get("src"):
        raise NotSure(f"attributes on <{element.tag}>")
    _only_text(element)
    return read.text(element.text)


def _atom_entry(entry, read: _Reader) -> StreamedEntry:
    seen: dict[str, object] = {}
    alternate = None
    for child in entry:
        tag = child.tag
        if tag not in _ATOM_ENTRY_CHILDREN:
            raise NotSure(f"<{tag}> in an entry")
        name = tag.rsplit("}", 1)[1]
        if name in ("author", "contributor"):
            if any(p.tag not in _ATOM_PERSON_CHILDREN or len(p) for p in child):
                raise NotSure(f"unknown markup in <{name}>")
            continue
        if name == "category":
            continue
        if name == "link":
            _only_text(child)
            href = child.get("href")
            if href is None:
                raise NotSure("an Atom link without href")
            rel = child.get("rel", "alternate").lower()
            kind = child.get("type", "text/html").lower()
            if kind == "html":
                kind = "text/html"
            elif kind == "xhtml":
                kind = "application/xhtml+xml"
            if rel == "alternate" and kind in ("text/html", "application/xhtml+xml"):
                alternate = read.uri(href)
            continue
        if name in seen:
            raise NotSure(f"two <{name}> in an entry")
        seen[name] = child
    guid = ""
    if "id" in seen:
        if seen["id"].attrib:
            raise NotSure("attributes on <id>")
        _only_text(seen["id"])
        guid = read.uri(read.text(seen["id"].text))
    summary = _atom_text(seen["summary"], read) if "summary" in seen else ""
    if "content" in seen:
        content = _atom_text(seen["content"], read, content=True)
        summary = summary or content
    for name in ("published", "updated"):
        if name in seen:
            _only_text(seen[name])
    return StreamedEntry(
        link=alternate if alternate is not None else guid,
        guid=guid,
        title=_atom_text(seen["title"], read) if "title" in seen else "",
        summary=summary,
        published=_date(seen.get("published"), read),
        updated=_date(seen.get("updated"), read),
    )


def feed_stream(
    content: bytes, content_type: str, entry_take: Callable[[StreamedEntry], None]
) -> StreamedFeed:
    """Reads a feed in one pass, handing each entry to `entry_take` as it is
    finished. Raises NotSure where feedparser must decide, ParseError on
    malformed XML and DefusedXmlException on declarations."""
    read = _Reader(_utf8_expected(content, content_type))
    # BytesIO shares the body's buffer rather than copying it.
    events = defusedxml.ElementTree.iterparse(
        io.BytesIO(content),
        events=("start", "end"),
        forbid_dtd=True,
        forbid_entities=True,
        forbid_external=True,
    )
    path: list = []
    feed = StreamedFeed(format="", title="", entries=[])
    titles = 0
    for event, element in events:
        if event == "start":
            if XML_BASE in element.attrib:
                raise NotSure("xml:base")
            path.append(element)
            if len(path) == 1:
                if element.tag == "rss":
                    version = element.get("version", "")
                    feed.format = _RSS_VERSIONS.get(version) or (
                        "rss20" if version.startswith("2.") else "rss"
                    )
                elif element.tag == f"{{{ATOM}}}feed":
                    feed.format = "atom10"
                else:
                    raise NotSure(f"root <{element.tag}>")
            continue
        path.pop()
        depth = len(path)
        tag = element.tag
        local = tag.rsplit("}", 1)[-1]
        atom = feed.format == "atom10"
        if atom:
            entry_depth, title_depth = 1, 1
            known = {"entry": _atom_entry, "title": None}
        else:
            entry_depth, title_depth = 2, 2
            known = {"item": _rss_entry, "title": None}
            if depth == 1 and tag != "channel":
                raise NotSure(f"<{tag}> beside the channel")
        if local in ("item", "entry", "channel", "feed") and depth:
            expected = (atom and tag == f"{{{ATOM}}}entry") or (
                not atom and tag in ("item", "channel")
            )
            if not expected or (local != "channel" and depth != entry_depth):
                raise NotSure(f"<{tag}> where it is not expected")
            if local == "channel" and depth != 1:
                raise NotSure("a nested channel")
        if local == "title" and not any(
            p.tag in ("item", f"{{{ATOM}}}entry") for p in path
        ):
            feed_title = depth == title_depth and tag == (
                f"{{{ATOM}}}title" if atom else "title"
            )
            in_image = not atom and path[-1].tag in ("image", "textInput")
            if feed_title:
                titles += 1
                if titles > 1:
                    raise NotSure("two feed titles")
                feed.title = (
                    _atom_text(element, read) if atom else read.text(element.text)
                )
                if not atom and element.attrib:
                    raise NotSure("attributes on the feed title")
            elif not in_image:
                raise NotSure(f"<{tag}> outside an entry")
        if depth == entry_depth and local in known and known[local]:
            entry_take(known[local](element, read))
            # Done with it: dropping it keeps memory flat however long the
            # feed is.
            element.clear()
            path[-1].remove(element)
    return feed
