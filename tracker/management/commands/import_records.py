import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from tracker.admin.resources import RESOURCES
from tracker.services.spreadsheets import (
    FORMAT_BY_EXTENSION,
    SheetRefused,
    sheet_import,
    sheet_read,
)


class Command(BaseCommand):
    help = (
        "Import a spreadsheet (.csv or .xlsx) of one record type, as the "
        "admin's import does: all rows or none. A refused sheet writes "
        "nothing, and every problem is named by row and column."
    )

    def add_arguments(self, parser):
        parser.add_argument("resource", choices=sorted(RESOURCES))
        parser.add_argument("file", help="The .csv or .xlsx file to read.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the sheet and report what would change; write nothing.",
        )

    def handle(self, *args, resource, file, dry_run, **options):
        path = Path(file)
        extension = path.suffix.lower().lstrip(".")
        if extension not in FORMAT_BY_EXTENSION:
            raise CommandError(f"{file}: give a .csv or .xlsx file.")
        try:
            size = path.stat().st_size
            if size > settings.TRACKER_IMPORT_MAX_BYTES:
                raise CommandError(
                    f"{file} is {size} bytes; imports are limited to "
                    f"{settings.TRACKER_IMPORT_MAX_BYTES} (TRACKER_IMPORT_MAX_BYTES)."
                )
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        try:
            dataset = sheet_read(data, extension)
        except Exception as exc:
            raise CommandError(
                f"{file} is not a readable {extension} file: {exc}"
            ) from exc
        sheet = RESOURCES[resource]()
        with tqdm(
            total=len(dataset),
            desc=f"Importing {resource}",
            unit="row",
            file=sys.stderr,
            disable=not sys.stderr.isatty(),
        ) as bar:
            sheet.progress = bar.update
            try:
                result = sheet_import(resource=sheet, dataset=dataset, dry_run=dry_run)
            except SheetRefused as exc:
                raise CommandError(
                    "Nothing was imported:\n" + "\n".join(exc.problems)
                ) from exc
        totals = result.totals
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {resource} from {file}: {totals['new']} new, "
                f"{totals['update']} updated, {totals['skip']} unchanged."
            )
        )
