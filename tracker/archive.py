"""Reading an archived page: its main text, which tracker.quotes searches
for the cited passages. Plain Python (no Django), like the fetcher it
follows.

Nothing here raises on a hostile or broken page: a page that cannot be read
gives no text and a note saying why, which is stored with the snapshot.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass

logger = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)


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
