"""Turning feed bytes into entries: RSS 0.9x/1.0/2.0, Atom 1.0 and JSON
Feed 1.x. Plain Python.

A defusedxml parse first (a billion-laughs or XXE feed costs one bounded
parse and ends in FeedRefused), then feedparser, so a malformed feed keeps
the entries that can be read and reports what was wrong.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

# Only for its ParseError type; parsing goes through defusedxml.
import xml.etree.ElementTree as ET  # nosec B405
from dataclasses import dataclass, field

import defusedxml.ElementTree
import feedparser
import nh3
import orjson
from defusedxml import DefusedXmlException

SUMMARY_MAX_CHARS = 20_000
TITLE_MAX_CHARS = 1000
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
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_JSON_FEED_VERSION = "https://jsonfeed.org/version/1"


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
    """What was wrong with a feed that could still be partly read."""


def _sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=SUMMARY_TAGS,
        attributes=SUMMARY_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def summary_clean(html: str) -> str:
    cleaned = _sanitize((html or "")[: SUMMARY_MAX_CHARS * 2])
    if len(cleaned) > SUMMARY_MAX_CHARS:
        # A cut can fall inside a tag or an attribute; cleaning the cut text
        # again drops the broken tag and closes the open ones.
        cleaned = _sanitize(cleaned[:SUMMARY_MAX_CHARS])
    return cleaned.strip()


def text_clean(text: str) -> str:
    """A title: no markup at all, whitespace collapsed."""
    plain = nh3.clean(text or "", tags=set())
    plain = (
        plain.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&#39;", "'")
    )
    return " ".join(plain.split())[:TITLE_MAX_CHARS]


def _looks_like_json(content: bytes, content_type: str) -> bool:
    if "json" in content_type.lower():
        return True
    return content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def feed_parse(content: bytes, content_type: str = "") -> ParsedFeed:
    if not content or not content.strip():
        raise FeedParseError("The response was empty, not a feed.")
    if _looks_like_json(content, content_type):
        return _json_feed_parse(content)
    head = content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")):
        raise FeedParseError("Not a feed: the address returned an HTML page.")
    return _xml_feed_parse(content, content_type)


def _xml_refusal_check(content: bytes) -> str:
    """Refuses declarations; returns the well-formedness error, if any."""
    try:
        defusedxml.ElementTree.fromstring(
            content, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as exc:
        raise FeedRefused(
            "The feed declares a DTD or entities, which are never expanded "
            f"(a billion-laughs or XXE attack looks like this): {exc!r}"
        ) from exc
    except ET.ParseError as exc:
        # Where the strict parser stopped early it may not have reached a
        # declaration; the lenient parser must not meet one either.
        if _DECLARATION.search(content):
            raise FeedRefused(
                "The feed is malformed and contains a DTD or entity "
                "declaration, which is never expanded."
            ) from exc
        return f"Malformed XML: {exc}"
    return ""


def _entry_make(
    *, link: str, guid: str, title: str, summary: str, when
) -> ParsedEntry | None:
    """The tracker's rules on top of what either parser read: an entry
    needs an id and an address to be kept."""
    link = (link or "").strip()
    guid = (guid or link or "").strip()
    if not guid or not (link or guid.startswith(("http://", "https://"))):
        return None
    return ParsedEntry(
        guid=guid[:1000],
        url=(link or guid)[:1000],
        title=text_clean(title) or "(untitled)",
        summary=summary_clean(summary),
        published_at=_struct_time_to_datetime(when),
    )


def _xml_feed_parse(content: bytes, content_type: str) -> ParsedFeed:
    xml_error = _xml_refusal_check(content)
    headers = {"content-type": content_type} if content_type else {}
    # Bytes, never a string: feedparser treats a string as a URL or path.
    parsed = feedparser.parse(
        bytes(content),
        response_headers=headers,
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
    feed = ParsedFeed(
        format=version,
        title=text_clean(parsed.feed.get("title", "")),
        error=error,
    )
    for entry in parsed.entries:
        summary = entry.get("summary", "")
        if not summary and entry.get("content"):
            summary = entry["content"][0].get("value", "")
        made = _entry_make(
            link=entry.get("link") or "",
            guid=entry.get("id") or "",
            title=entry.get("title", ""),
            summary=summary,
            when=entry.get("published_parsed") or entry.get("updated_parsed"),
        )
        if made is not None:
            feed.entries.append(made)
    return feed


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


def _json_feed_parse(content: bytes) -> ParsedFeed:
    try:
        document = orjson.loads(content)
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
    skipped = 0
    for item in items:
        if not isinstance(item, dict):
            skipped += 1
            continue
        url = item.get("url") or item.get("external_url") or ""
        guid = item.get("id")
        guid = str(guid) if guid not in (None, "") else url
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            skipped += 1
            continue
        summary = item.get("summary") or item.get("content_html") or ""
        if not summary and item.get("content_text"):
            summary = str(item["content_text"]).replace("<", "&lt;")
        feed.entries.append(
            ParsedEntry(
                guid=guid[:1000],
                url=url[:1000],
                title=text_clean(str(item.get("title") or "")) or "(untitled)",
                summary=summary_clean(str(summary)),
                published_at=_iso_datetime(
                    item.get("date_published") or item.get("date_modified")
                ),
            )
        )
    if skipped:
        feed.error = f"Malformed JSON Feed: {skipped} item(s) without a URL skipped."
    return feed
