"""Reading an archived page: its main text (finding a quote in it is the
rule of tracker.quotes, tested in tests/test_quotes.py)."""

import datetime as dt
import io

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.archive.conftest import ARTICLE_HTML
from tracker.archive import text_extract, warc_record


def test_the_main_text_is_kept_and_the_page_furniture_dropped():
    extracted = text_extract(ARTICLE_HTML, "text/html; charset=utf-8")

    assert "is as essential as a stunt coordinator" in extracted.text
    assert "consent is an ongoing conversation" in extracted.text
    assert "Home | News" not in extracted.text
    assert "analytics" not in extracted.text
    assert extracted.note == ""


def test_a_pdf_is_kept_but_its_text_is_not_extracted():
    extracted = text_extract(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "application/pdf")

    assert extracted.text == ""
    assert "PDF" in extracted.note and "not extracted" in extracted.note


def test_a_pdf_served_as_anything_is_still_a_pdf():
    extracted = text_extract(b"%PDF-1.4 binary", "application/octet-stream")

    assert "PDF" in extracted.note


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"\xff\xfe\x00garbage\x00" * 100,
        b"<html><body>" + b"<div>" * 5000 + b"deep" + b"</div>" * 5000,
        b"<html><body><script>var a = 1;</script></body></html>",
    ],
)
def test_a_page_that_cannot_be_read_gives_a_note_never_an_error(body):
    extracted = text_extract(body, "text/html")

    assert extracted.text or extracted.note


def test_plain_text_is_its_own_text():
    extracted = text_extract(
        "Caf\u00e9 society".encode("latin-1"), "text/plain; charset=latin-1"
    )

    assert extracted.text == "Caf\u00e9 society"


def test_an_image_is_not_a_page():
    extracted = text_extract(b"\x89PNG\r\n\x1a\n", "image/png")

    assert "Not a web page (image/png)" in extracted.note


def test_a_snapshot_exports_as_a_warc_resource_record():
    when = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)

    data = warc_record(
        url="https://news.example.org/story",
        fetched_at=when,
        content_type="text/html",
        body=ARTICLE_HTML,
    )

    records = [
        (
            record.rec_type,
            record.rec_headers.get_header("WARC-Target-URI"),
            record.rec_headers.get_header("WARC-Date"),
            record.content_stream().read(),
        )
        for record in ArchiveIterator(io.BytesIO(data))
    ]
    assert records == [
        (
            "resource",
            "https://news.example.org/story",
            "2026-12-01T09:30:00Z",
            ARTICLE_HTML,
        )
    ]
