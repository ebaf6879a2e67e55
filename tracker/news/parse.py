"""Turning feed bytes into entries: RSS 0.9x/1.0/2.0, Atom 1.0 and JSON
Feed 1.x. Plain Python.

Hostile documents are the norm here, so every step is bounded:

- The bytes are decoded once, here, the way a parser would decode them (a
  BOM, then the XML declaration, then the HTTP charset, then UTF-8 and
  Windows-1252, every fallback noted), and the declaration check runs on
  that text. feedparser then gets the same text re-encoded as UTF-8 and
  declared so: a DTD spelled in UTF-7 or UTF-16 is seen by the check
  exactly as a parser would see it, and no parser ever meets one.
- A document with a DTD or entity declaration is refused (FeedRefused)
  before feedparser sees it; the check builds nothing, so a billion-laughs
  feed costs one pass over its bytes.
- The whole parse runs under a time budget (FeedParseError past it).
- An entry's link is resolved against the feed's address and must be
  http(s); an entry that cannot be stored as it is (a script link, an
  impossible port, a NUL, an address too long for the database) is
  skipped, and the count is in the feed's error, the other entries kept.
"""

from __future__ import annotations

import calendar
import codecs
import contextlib
import datetime as dt
import hashlib
import re
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import defusedxml.ElementTree
import feedparser
import nh3
import orjson
from defusedxml import DefusedXmlException

from .canonical import url_canonicalize

SUMMARY_MAX_CHARS = 20_000
TITLE_MAX_CHARS = 1000
# The article URL columns hold 1,000 characters, and PostgreSQL cannot index
# a key much over 2,700 bytes: an address is kept whole or not at all,
# measured in bytes so that a non-ASCII one fits both limits.
URL_MAX_BYTES = 1000
GUID_MAX_BYTES = 1000
# Attributes one element may carry (see _NothingBuilt).
MAX_ATTRIBUTES = 64
# How long one document may take to parse, decoding and sanitizing
# included; a feed over it is recorded as failed.
DEFAULT_TIME_BUDGET = 10.0
# Formatting and links survive; scripts, styles, images (tracking pixels),
# iframes and event handlers do not.
SUMMARY_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "cite",
    "code",
    "em",
    "i",
    "li",
    "ol",
    "p",
    "q",
    "s",
    "strong",
    "sub",
    "sup",
    "u",
    "ul",
}
SUMMARY_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*?\?>")
_DECLARED_ENCODING = re.compile(
    rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']"
)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]{1,40})", re.IGNORECASE)
_JSON_FEED_VERSION = "https://jsonfeed.org/version/1"
# Byte order marks, UTF-32 first: its little-endian mark begins with
# UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Without a mark, the first `<` tells a UTF-16 or UTF-32 document (XML 1.0,
# appendix F).
_WIDE_STARTS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)
# Codecs Python knows that are not character sets a document can be in.
_NOT_CHARSETS = frozenset(
    {"idna", "punycode", "unicode-escape", "raw-unicode-escape", "undefined"}
)


class FeedParseError(Exception):
    """Nothing usable could be read."""


class FeedRefused(FeedParseError):
    """The document declares a DTD or entities: never expanded, refused."""


@dataclass
class ParsedEntry:
    guid: str
    url: str
    title: str
    summary: str
    published_at: dt.datetime | None


@dataclass
class ParsedFeed:
    format: str
    title: str = ""
    entries: list[ParsedEntry] = field(default_factory=list)
    error: str = ""
    """What was wrong with a feed that could still be read, in whole or in
    part: a malformed document, an encoding fallback, skipped entries."""


def _sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=SUMMARY_TAGS,
        attributes=SUMMARY_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def summary_clean(html: str) -> str:
    cleaned = _sanitize((html or "").replace("\x00", "")[: SUMMARY_MAX_CHARS * 2])
    if len(cleaned) > SUMMARY_MAX_CHARS:
        # A cut can fall inside a tag or an attribute; cleaning the cut text
        # again drops the broken tag and closes the open ones.
        cleaned = _sanitize(cleaned[:SUMMARY_MAX_CHARS])
    return cleaned.strip()


def text_clean(text: str) -> str:
    """A title: no markup at all, whitespace collapsed."""
    plain = nh3.clean((text or "").replace("\x00", ""), tags=set())
    plain = (
        plain.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&#39;", "'")
    )
    return " ".join(plain.split())[:TITLE_MAX_CHARS]


# --- the time budget ------------------------------------------------------


class _OverBudget(BaseException):
    """Raised by the alarm inside whatever is parsing; a BaseException so
    that no `except Exception` in a library swallows it."""


@contextlib.contextmanager
def time_budget(seconds: float):
    """FeedParseError once `seconds` have passed.

    On the main thread (a Celery prefork process, a management command) an
    interval timer interrupts the parse where it is. A signal can reach
    only the main thread, and no library offers a way to stop a thread, so
    elsewhere the budget is checked when the parse returns: the feed is
    still recorded as failed, only later.
    """
    if seconds <= 0:
        yield
        return
    message = (
        f"Parsing took more than {seconds:g} s, the budget for one feed; "
        "the document is refused."
    )
    if threading.current_thread() is not threading.main_thread():
        started = time.monotonic()
        yield
        if time.monotonic() - started > seconds:
            raise FeedParseError(message)
        return

    def alarm(signum, frame):
        raise _OverBudget

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _OverBudget:
        raise FeedParseError(message) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- decoding ----------------------------------------------------------------


@dataclass
class _Decoded:
    text: str
    encoding: str
    notes: list[str] = field(default_factory=list)


def _codec(name: str) -> str | None:
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return None if codec in _NOT_CHARSETS else codec


def document_decode(content: bytes, content_type: str = "") -> _Decoded:
    """The document's text, read the way its bytes say: a byte order mark
    (or UTF-16/32 recognised by its first `<`), the XML declaration, the
    HTTP charset, then UTF-8 and Windows-1252. Each candidate that is
    unknown or does not decode is noted, and the next one tried; this
    never fails."""
    notes: list[str] = []
    candidates: list[tuple[str, str]] = []
    for mark, encoding in _BOMS:
        if content.startswith(mark):
            candidates.append(("byte order mark", encoding))
            break
    else:
        for start, encoding in _WIDE_STARTS:
            if content.startswith(start):
                candidates.append(("first character", encoding))
                break
    declared = _DECLARED_ENCODING.match(content[:1024])
    if declared:
        candidates.append(("declared", declared.group(1).decode("ascii")))
    charset = _CHARSET.search(content_type or "")
    if charset:
        candidates.append(("HTTP charset", charset.group(1)))
    candidates += [("default", "utf-8"), ("fallback", "windows-1252")]

    tried = set()
    for source, name in candidates:
        codec = _codec(name)
        if codec is None:
            notes.append(f"The {source} encoding {name!r} is unknown")
            continue
        if codec in tried:
            continue
        tried.add(codec)
        try:
            text = content.decode(codec)
        except (UnicodeDecodeError, LookupError):
            if source in ("declared", "HTTP charset", "byte order mark"):
                notes.append(f"The document is not valid {name} ({source})")
            continue
        if notes:
            notes[-1] += f"; read as {codec}."
        return _Decoded(text.removeprefix("\ufeff"), codec, notes)
    # Windows-1252 leaves five bytes undefined: those become U+FFFD.
    text = content.decode("windows-1252", errors="replace")
    notes.append("No encoding fits; read as windows-1252 with replacements.")
    return _Decoded(text, "cp1252", notes)


# --- parsing -------------------------------------------------------------------


def _looks_like_json(content: bytes, content_type: str) -> bool:
    if "json" in content_type.lower():
        return True
    return content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def feed_parse(
    content: bytes,
    content_type: str = "",
    *,
    base_url: str = "",
    budget: float = DEFAULT_TIME_BUDGET,
) -> ParsedFeed:
    """The feed's entries, links resolved against `base_url` (the feed's
    own address), within `budget` seconds."""
    if not content or not content.strip():
        raise FeedParseError("The response was empty, not a feed.")
    with time_budget(budget):
        decoded = document_decode(content, content_type)
        if _looks_like_json(content, content_type) and decoded.text.lstrip()[:1] in (
            "{",
            "[",
        ):
            feed = _json_feed_parse(decoded.text, base_url)
        else:
            head = decoded.text[:1024].lstrip().lower()
            if head.startswith(("<!doctype html", "<html")):
                raise FeedParseError("Not a feed: the address returned an HTML page.")
            feed = _xml_feed_parse(decoded.text, base_url)
    feed.error = " ".join(filter(None, [*decoded.notes, feed.error]))
    return feed


class _NothingBuilt:
    """A parser target that keeps nothing: the check only reads, and counts
    attributes, since feedparser (through xml.sax) looks each one up by a
    linear scan: an element with thousands of them is quadratic."""

    def start(self, tag, attrib):
        if len(attrib) > MAX_ATTRIBUTES:
            raise FeedRefused(
                f"An element ({tag}) has {len(attrib):,} attributes; feeds "
                f"have a handful, and more than {MAX_ATTRIBUTES} are refused."
            )

    def close(self):
        return None


def _xml_refusal_check(document: bytes, text: str) -> str:
    """Refuses declarations; returns the well-formedness error, if any."""
    parser = defusedxml.ElementTree.DefusedXMLParser(
        target=_NothingBuilt(),
        forbid_dtd=True,
        forbid_entities=True,
        forbid_external=True,
    )
    try:
        parser.feed(document)
        parser.close()
    except DefusedXmlException as exc:
        raise FeedRefused(
            "The feed declares a DTD or entities, which are never expanded "
            f"(a billion-laughs or XXE attack looks like this): {exc!r}"
        ) from exc
    except defusedxml.ElementTree.ParseError as exc:
        # Where the strict parser stopped early it may not have reached a
        # declaration; the lenient parser must not meet one either.
        if _DECLARATION.search(text):
            raise FeedRefused(
                "The feed is malformed and contains a DTD or entity "
                "declaration, which is never expanded."
            ) from exc
        return f"Malformed XML: {exc}"
    return ""


def _xml_feed_parse(text: str, base_url: str) -> ParsedFeed:
    # feedparser reads exactly the text the check read: UTF-8, and said so
    # in the declaration and the header.
    body = _XML_DECLARATION.sub("", text, count=1)
    document = ('<?xml version="1.0" encoding="utf-8"?>' + body).encode(
        "utf-8", errors="replace"
    )
    xml_error = _xml_refusal_check(document, text)
    parsed = feedparser.parse(
        document,
        response_headers={"content-type": "application/xml; charset=utf-8"},
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    version = parsed.get("version", "")
    if not version:
        detail = f" ({xml_error})" if xml_error else ""
        raise FeedParseError(f"Not an RSS or Atom feed{detail}.")
    error = xml_error
    if not error and parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        if not isinstance(
            exc,
            feedparser.CharacterEncodingOverride | feedparser.NonXMLContentType,
        ):
            error = f"Malformed feed: {exc}"
    feed = ParsedFeed(format=version, title=text_clean(parsed.feed.get("title", "")))
    entries = _Entries(base_url)
    for entry in parsed.entries:
        summary = entry.get("summary", "")
        if not summary and entry.get("content"):
            summary = entry["content"][0].get("value", "")
        entries.add(
            link=entry.get("link") or "",
            guid=entry.get("id") or "",
            title=entry.get("title", ""),
            summary=summary,
            published_at=_struct_time_to_datetime(
                entry.get("published_parsed") or entry.get("updated_parsed")
            ),
        )
    feed.entries = entries.kept
    feed.error = " ".join(filter(None, [error, entries.report()]))
    return feed


class _Entries:
    """The tracker's rules on top of what the parser read: an entry needs an
    http(s) address that the database can hold, and an id."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.kept: list[ParsedEntry] = []
        self.skipped: Counter[str] = Counter()

    def add(self, *, link: str, guid: str, title: str, summary: str, published_at):
        guid = (guid or "").strip()
        link = (link or "").strip() or (
            guid if guid.startswith(("http://", "https://")) else ""
        )
        url, reason = _article_url(link, self.base_url)
        if url is None:
            self.skipped[reason] += 1
            return
        guid = guid.replace("\x00", "") or url
        if len(guid.encode()) > GUID_MAX_BYTES:
            # Still one id per entry, in a size the unique index takes.
            guid = "sha256:" + hashlib.sha256(guid.encode()).hexdigest()
        self.kept.append(
            ParsedEntry(
                guid=guid,
                url=url,
                title=text_clean(title) or "(untitled)",
                summary=summary_clean(summary),
                published_at=published_at,
            )
        )

    def report(self) -> str:
        total = sum(self.skipped.values())
        if not total:
            return ""
        reasons = ", ".join(
            f"{count} {reason}" for reason, count in self.skipped.most_common()
        )
        return f"{total} entr{'y' if total == 1 else 'ies'} skipped: {reasons}."


def _article_url(link: str, base_url: str) -> tuple[str | None, str]:
    """The absolute http(s) address of an entry, or None and why not."""
    if not link:
        return None, "without a link"
    if "\x00" in link:
        return None, "with a NUL character in the link"
    try:
        url = urljoin(base_url, link) if base_url else link
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            return None, f"with a {scheme or 'relative'} link" + (
                "" if scheme else " and no feed address to resolve it against"
            )
        parts.port  # noqa: B018  (raises on an impossible port)
        if not parts.hostname:
            return None, "with a link without a host"
        parts.hostname.encode("idna")
        canonical = url_canonicalize(url)
    except ValueError:
        return None, "with a malformed link (a bad port or host)"
    except UnicodeError:
        return None, "with a host name that is not valid IDNA"
    if max(len(url.encode()), len(canonical.encode())) > URL_MAX_BYTES:
        return None, f"with a link over {URL_MAX_BYTES} bytes"
    return url, ""


def _struct_time_to_datetime(value) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(value), tz=dt.UTC)
    except (OverflowError, ValueError, TypeError):
        return None


def _iso_datetime(value) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def _json_feed_parse(text: str, base_url: str) -> ParsedFeed:
    try:
        document = orjson.loads(text.encode("utf-8", errors="replace"))
    except orjson.JSONDecodeError as exc:
        raise FeedParseError(f"Not a feed: invalid JSON ({exc}).") from exc
    if not isinstance(document, dict) or not str(
        document.get("version", "")
    ).startswith(_JSON_FEED_VERSION):
        raise FeedParseError(
            "Not a feed: JSON without a JSON Feed 1.x version "
            f"({_JSON_FEED_VERSION}...)."
        )
    items = document.get("items")
    feed = ParsedFeed(
        format="json" + str(document["version"]).rsplit("/", 1)[-1],
        title=text_clean(str(document.get("title", ""))),
    )
    if not isinstance(items, list):
        feed.error = "Malformed JSON Feed: `items` is not a list."
        return feed
    entries = _Entries(base_url)
    for item in items:
        if not isinstance(item, dict):
            entries.skipped["that are not objects"] += 1
            continue
        url = item.get("url") or item.get("external_url") or ""
        guid = item.get("id")
        summary = item.get("summary") or item.get("content_html") or ""
        if not summary and item.get("content_text"):
            summary = str(item["content_text"]).replace("<", "&lt;")
        entries.add(
            link=url if isinstance(url, str) else "",
            guid=str(guid) if guid not in (None, "") else "",
            title=str(item.get("title") or ""),
            summary=str(summary),
            published_at=_iso_datetime(
                item.get("date_published") or item.get("date_modified")
            ),
        )
    feed.entries = entries.kept
    feed.error = entries.report()
    return feed
