"""CSV for researchers' spreadsheets. Lists are streamed by the views;
this renderer also writes a single record, and it neutralizes cells a
spreadsheet would run as a formula."""

import csv
import io
from collections.abc import Iterable, Iterator

from rest_framework.renderers import BaseRenderer

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


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
