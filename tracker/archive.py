"""Reading an archived page: its main text, and whether a quoted passage is
in it. Plain Python (no Django), like the fetcher it follows.

Nothing here raises on a hostile or broken page: a page that cannot be read
gives no text and a note saying why, which is stored with the snapshot.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from dataclasses import dataclass

logger = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
# Typographic variants a quote typed by hand and the page may disagree on.
_EQUIVALENTS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        # Quotation marks are dropped: whoever quotes a passage opens and
        # closes it where the page may not.
        '"': None,
        "\u201c": None,
        "\u201d": None,
        "\u201e": None,
        "\u201f": None,
        "\u2033": None,
        "\u00ab": None,
        "\u00bb": None,
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u00ad": None,
        "\u200b": None,
    }
)
_SPACE = re.compile(r"\s+")
# Editorial insertions ("[for intimacy coordinators]") and elisions ("...")
# stand for words that are not on the page, or not there in that place.
_GAP = re.compile(r"\[[^\]]*\]|\.\.\.|\u2026")


def text_normalise(text: str) -> str:
    """The form in which a quote and a page are compared: Unicode NFKC,
    apostrophes and dashes made plain, quotation marks, case and runs of
    white space ignored."""
    text = unicodedata.normalize("NFKC", text).translate(_EQUIVALENTS)
    return _SPACE.sub(" ", text).strip().casefold()


def passage_fragments(quote: str) -> list[str]:
    """The runs of a quote that must appear on the page verbatim, in order:
    the quote split at its editorial gaps."""
    fragments = (text_normalise(part) for part in _GAP.split(quote))
    return [fragment.strip(" ,;:") for fragment in fragments if fragment.strip(" ,;:")]


def passage_span(quote: str, text: str) -> tuple[int, int] | None:
    """Where a quote is in a normalised text (start, end of its first to
    its last fragment), or None when any fragment is missing or out of
    order."""
    fragments = passage_fragments(quote)
    if not fragments:
        return None
    start = end = None
    position = 0
    for fragment in fragments:
        found = text.find(fragment, position)
        if found < 0:
            return None
        start = found if start is None else start
        end = position = found + len(fragment)
    return start, end


@dataclass
class Extracted:
    text: str = ""
    note: str = ""


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _charset(content_type: str) -> str | None:
    match = re.search(r"charset=[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def text_extract(body: bytes, content_type: str) -> Extracted:
    """The main text of a page, or a note saying why there is none."""
    media_type = _media_type(content_type)
    looks_html = body[:1024].lstrip().lower().startswith((b"<!doctype html", b"<html"))
    if media_type == "application/pdf" or body.startswith(b"%PDF-"):
        return Extracted(note="A PDF: the body is stored, its text is not extracted.")
    if media_type in TEXT_TYPES:
        charset = _charset(content_type) or "utf-8"
        try:
            return Extracted(text=body.decode(charset, errors="replace"))
        except LookupError:
            return Extracted(text=body.decode("utf-8", errors="replace"))
    if media_type not in HTML_TYPES and not looks_html:
        return Extracted(
            note=f"Not a web page ({media_type or 'no type'}): the body is "
            "stored, its text is not extracted."
        )
    try:
        # Imported here: it takes two seconds, which the web processes
        # should not pay for pages they never extract.
        import trafilatura

        text = trafilatura.extract(
            body,
            favor_recall=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
        )
    except Exception as exc:
        logger.exception("Text extraction failed")
        return Extracted(note=f"The text could not be extracted: {exc!r}"[:500])
    if not text:
        return Extracted(note="No main text found on the page.")
    return Extracted(text=text)


def warc_record(*, url: str, fetched_at, content_type: str, body: bytes) -> bytes:
    """The body as a gzipped WARC resource record, for tools that read web
    archives (the HTTP headers are not kept, so a resource record, not a
    response record, says honestly what it holds)."""
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    record = writer.create_warc_record(
        url,
        "resource",
        payload=io.BytesIO(body),
        length=len(body),
        warc_content_type=content_type or "application/octet-stream",
        warc_headers_dict={
            "WARC-Date": fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
    )
    writer.write_record(record)
    return out.getvalue()
