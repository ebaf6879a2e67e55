"""Spreadsheets in and out: the one import path the admin and
`import_records` share. An import is all or nothing: any bad row and the
whole sheet is refused, with every problem named by row and column."""

from __future__ import annotations

import tablib
from import_export.formats import base_formats
from import_export.results import Result

# OWASP's advice against CSV injection, as the API's CSV takes it: a cell a
# spreadsheet would run as a formula gets a leading apostrophe.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def cell_escape(value):
    """A text cell as written to a sheet. Reversible: a cell that already
    starts with an apostrophe before a trigger gets one more."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_TRIGGERS) or (
        value.startswith("'") and value[1:2] in (*FORMULA_TRIGGERS, "'")
    ):
        return "'" + value
    return value


def cell_unescape(value):
    if (
        isinstance(value, str)
        and value[:1] == "'"
        and value[1:2] in (*FORMULA_TRIGGERS, "'")
    ):
        return value[1:]
    return value


def dataset_map(dataset: tablib.Dataset, func) -> tablib.Dataset:
    out = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        out.append([func(value) for value in row])
    return out


class SheetCSV(base_formats.CSV):
    """CSV whose formula cells are neutralised on export and restored on
    import, so an export imports back unchanged."""

    def export_data(self, dataset, **kwargs):
        return super().export_data(dataset_map(dataset, cell_escape), **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        return dataset_map(super().create_dataset(in_stream, **kwargs), cell_unescape)


class SheetXLSX(base_formats.XLSX):
    """XLSX, the same way: openpyxl would otherwise store `=...` as a
    formula."""

    def export_data(self, dataset, **kwargs):
        return super().export_data(dataset_map(dataset, cell_escape), **kwargs)

    def create_dataset(self, in_stream):
        return dataset_map(super().create_dataset(in_stream), cell_unescape)


SHEET_FORMATS = (SheetCSV, SheetXLSX)
FORMAT_BY_EXTENSION = {"csv": SheetCSV, "xlsx": SheetXLSX}


class SheetRefused(Exception):
    """Nothing was written; `problems` names each by row and column."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def sheet_problems(result: Result) -> list[str]:
    """Every problem of an import result, as staff read it: spreadsheet row
    numbers (the header is row 1) and column names."""
    problems = [str(error.error) for error in result.base_errors]
    for row in result.invalid_rows:
        number = row.number + 1
        for column, messages in row.error_dict.items():
            text = " ".join(str(m) for m in messages)
            if column == "__all__":
                problems.append(f"Row {number}: {text}")
            else:
                problems.append(f"Row {number}, column {column}: {text}")
    for number, errors in result.row_errors():
        for error in errors:
            problems.append(f"Row {number + 1}: {error.error}")
    return problems


def sheet_import(
    *, resource, dataset: tablib.Dataset, dry_run: bool, user=None, **kwargs
):
    """Import a sheet in one transaction, or refuse it whole.

    Raises SheetRefused naming every problem; otherwise returns the result
    (for a dry run, what would change)."""
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
        user=user,
        **kwargs,
    )
    problems = sheet_problems(result)
    if problems:
        raise SheetRefused(problems)
    return result


def sheet_read(data: bytes, extension: str) -> tablib.Dataset:
    fmt = FORMAT_BY_EXTENSION[extension]()
    if not fmt.is_binary():
        fmt.encoding = "utf-8-sig"
    return fmt.create_dataset(data if fmt.is_binary() else data.decode("utf-8-sig"))


def sheet_write(dataset: tablib.Dataset, extension: str) -> bytes:
    fmt = FORMAT_BY_EXTENSION[extension]()
    data = fmt.export_data(dataset)
    return data if isinstance(data, bytes) else data.encode("utf-8")
