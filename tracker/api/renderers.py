"""CSV for researchers' spreadsheets. Lists are streamed by the views;
this renderer also writes a single record, and it neutralizes cells a
spreadsheet would run as a formula."""

import csv
import io
from collections.abc import Iterable, Iterator

from rest_framework.renderers import BaseRenderer

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A citation's cell part: "disputes | the passage | https://...", one
# citation per line of the cell, so a reader sees each source's side and
# words beside its address.
CITATION_KEYS = frozenset({"stance", "quote", "url"})
CITATION_PARTS = " | "
CITATION_LINES = "\n"


def _is_citation(value) -> bool:
    return isinstance(value, dict) and value.keys() >= CITATION_KEYS


def citation_text(citation: dict) -> str:
    stance = str(citation["stance"] or "")
    if citation.get("deprecated"):
        stance += " (deprecated)"
    # A passage may run over lines; in the cell, a line is a citation.
    quote = " ".join(str(citation["quote"] or "").split())
    return CITATION_PARTS.join((stance, quote, str(citation["url"] or "")))


def cell(value) -> str:
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, dict):
        for key in ("url", "slug", "name", "title"):
            if value.get(key):
                text = str(value[key])
                break
        else:
            text = ""
    elif isinstance(value, list | tuple) and value and all(map(_is_citation, value)):
        text = CITATION_LINES.join(citation_text(item) for item in value)
    elif isinstance(value, list | tuple):
        return "; ".join(cell(item) for item in value)
    else:
        text = str(value)
    # OWASP's advice against CSV injection: a leading quote makes the
    # spreadsheet show the text instead of evaluating it.
    if text.startswith(FORMULA_TRIGGERS):
        text = "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def csv_rows(rows: Iterable[dict], header: list[str] | None = None) -> Iterator[str]:
    """CSV lines for serialized records; the header is `header` or else the
    first record's keys. Given a header, an empty list still has one, so a
    spreadsheet shows which columns matched nothing."""
    writer = csv.writer(_Echo())
    if header is not None:
        yield writer.writerow(header)
    for row in rows:
        if header is None:
            header = list(row)
            yield writer.writerow(header)
        yield writer.writerow([cell(row.get(key)) for key in header])


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        if isinstance(data, dict):
            data = [data]
        out = io.StringIO()
        for line in csv_rows(data):
            out.write(line)
        return out.getvalue().encode()
