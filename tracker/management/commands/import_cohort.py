from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from tracker.models import Cohort
from tracker.services.cohorts import (
    CohortImportError,
    cohort_members_import,
    cohort_rows_read,
)


class Command(BaseCommand):
    help = (
        "Add the productions of a CSV file (columns title, year, kind, and "
        "optionally imdb_id and wikidata_id) to the cohort NAME. Productions "
        "the tracker does not know are created with the IC status unknown. "
        "A file with any problem writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The cohort's name or slug.")
        parser.add_argument("file", type=Path, help="The CSV file.")
        parser.add_argument(
            "--rule", default="", help="Inclusion rule, for a new cohort."
        )
        parser.add_argument("--description", default="")
        parser.add_argument("--year", type=int, help="The year the list is of.")
        parser.add_argument(
            "--self-selected",
            action="store_true",
            help="The members were picked to make a case, not by a rule.",
        )

    def handle(self, *args, name, file, rule, description, year, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            rows = list(cohort_rows_read(text.splitlines()))
            with transaction.atomic():
                cohort = self._cohort(
                    name, rule, description, year, options["self_selected"]
                )
                result = cohort_members_import(
                    cohort=cohort,
                    rows=rows,
                    progress=lambda items: tqdm(
                        items, desc="Productions", unit="row", disable=None
                    ),
                )
        except CohortImportError as exc:
            raise CommandError(
                f"{file}: nothing imported.\n" + "\n".join(exc.problems)
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{cohort.name}: {result.added} added, "
                f"{result.already_members} already members, "
                f"{len(result.created)} new productions (IC status unknown)."
            )
        )
        for title in result.created:
            self.stdout.write(f"  new: {title}")

    def _cohort(self, name, rule, description, year, self_selected) -> Cohort:
        cohort = (
            Cohort.objects.filter(name=name).first()
            or Cohort.objects.filter(slug=name).first()
        )
        if cohort is not None:
            return cohort
        if not rule:
            raise CohortImportError(
                [f"--rule: cohort '{name}' is new, so give its inclusion rule"]
            )
        cohort = Cohort(
            name=name,
            inclusion_rule=rule,
            description=description,
            year=year,
            self_selected=self_selected,
        )
        try:
            cohort.full_clean()
        except ValidationError as exc:
            raise CohortImportError(
                [f"--{k}: {' '.join(v)}" for k, v in exc.message_dict.items()]
            ) from exc
        cohort.save()
        return cohort
