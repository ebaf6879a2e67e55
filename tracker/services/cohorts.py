"""Cohort writes: members added from a spreadsheet, all or nothing."""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from tracker.choices import ICStatus, ProductionKind
from tracker.models import Cohort, Production
from tracker.models.base import EARLIEST_YEAR, LATEST_YEAR

COHORT_COLUMNS = ("title", "year", "kind")
OPTIONAL_COLUMNS = ("imdb_id", "wikidata_id")
# A kind is given by its value ("mini_series") or its label ("Mini-series").
KINDS = {
    **{kind.value: kind.value for kind in ProductionKind},
    **{str(kind.label).casefold(): kind.value for kind in ProductionKind},
}


class CohortImportError(ValueError):
    """Every problem in the file, each naming its row and field; nothing
    was written."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class CohortImported:
    cohort: Cohort
    added: int = 0
    already_members: int = 0
    created: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CohortRow:
    """One line of the file, read and checked."""

    line: int
    title: str
    year: int | None
    kind: str
    imdb_id: str | None
    wikidata_qid: str | None


def cohort_rows_read(lines: Iterable[str]) -> Iterator[CohortRow]:
    """Rows of a cohort CSV (title, year, kind, and optionally imdb_id and
    wikidata_id), raising CohortImportError with every problem found."""
    reader = csv.DictReader(lines)
    header = [name.strip().casefold() for name in reader.fieldnames or ()]
    missing = [name for name in COHORT_COLUMNS if name not in header]
    if missing:
        raise CohortImportError(
            [f"The header lacks the column(s) {', '.join(missing)}."]
        )
    rows, problems = [], []
    for number, raw in enumerate(reader, start=2):
        cells = {
            (key or "").strip().casefold(): (value or "").strip()
            for key, value in raw.items()
            if key is not None
        }
        if not any(cells.values()):
            continue
        row_problems = []
        title = cells.get("title", "")
        if not title:
            row_problems.append(f"row {number}, title: a title is required")
        year = None
        if cells.get("year"):
            try:
                year = int(cells["year"])
            except ValueError:
                row_problems.append(
                    f"row {number}, year: '{cells['year']}' is not a year"
                )
            else:
                if not EARLIEST_YEAR <= year <= LATEST_YEAR:
                    row_problems.append(
                        f"row {number}, year: {year} is not between "
                        f"{EARLIEST_YEAR} and {LATEST_YEAR}"
                    )
        kind = KINDS.get(cells.get("kind", "").casefold(), "")
        if cells.get("kind") and not kind:
            row_problems.append(
                f"row {number}, kind: '{cells['kind']}' is not one of "
                f"{', '.join(k.value for k in ProductionKind)}"
            )
        problems.extend(row_problems)
        if not row_problems:
            rows.append(
                CohortRow(
                    line=number,
                    title=title,
                    year=year,
                    kind=kind,
                    imdb_id=cells.get("imdb_id") or None,
                    wikidata_qid=cells.get("wikidata_id")
                    or cells.get("wikidata_qid")
                    or None,
                )
            )
    if problems:
        raise CohortImportError(problems)
    return iter(rows)


def _production_find(row: CohortRow) -> Production | None:
    for name, value in (("imdb_id", row.imdb_id), ("wikidata_qid", row.wikidata_qid)):
        if value:
            found = Production.objects.filter(**{name: value}).first()
            if found:
                return found
    same_title = Production.objects.filter(title__iexact=row.title)
    if row.year is not None:
        same_title = same_title.filter(start_year=row.year)
    matches = list(same_title[:2])
    if len(matches) > 1:
        raise CohortImportError(
            [
                f"row {row.line}, title: more than one production is called "
                f"'{row.title}'; give its imdb_id or wikidata_id"
            ]
        )
    return matches[0] if matches else None


@transaction.atomic
def cohort_members_import(
    *, cohort: Cohort, rows: Iterable[CohortRow], progress=iter
) -> CohortImported:
    """Add every row's production to the cohort. A production the tracker
    does not know is created with its IC status unknown, so it joins the
    staff's work list. Any problem undoes the whole import."""
    result = CohortImported(cohort=cohort)
    members = set(cohort.members.values_list("pk", flat=True))
    problems, to_add = [], []
    for row in progress(list(rows)):
        production = _production_find(row)
        if production is None:
            if not row.kind:
                problems.append(
                    f"row {row.line}, kind: '{row.title}' is new to the "
                    "tracker, so its kind is required"
                )
                continue
            production = Production(
                title=row.title,
                start_year=row.year,
                kind=row.kind,
                imdb_id=row.imdb_id,
                wikidata_qid=row.wikidata_qid,
                ic_status=ICStatus.UNKNOWN,
            )
            try:
                production.full_clean()
            except ValidationError as exc:
                problems.extend(
                    f"row {row.line}, {name}: {' '.join(messages)}"
                    for name, messages in exc.message_dict.items()
                )
                continue
            production.save()
            result.created.append(production.title)
        if production.pk in members:
            result.already_members += 1
            continue
        members.add(production.pk)
        to_add.append(production)
    if problems:
        raise CohortImportError(problems)
    cohort.members.add(*to_add)
    result.added = len(to_add)
    return result
