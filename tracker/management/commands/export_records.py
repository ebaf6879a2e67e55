import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from tracker.admin.resources import RESOURCES
from tracker.services.spreadsheets import FORMAT_BY_EXTENSION, sheet_write


class Command(BaseCommand):
    help = (
        "Write every record of one type to a spreadsheet (.csv or .xlsx), "
        "citations and credits included, as the admin's export does; "
        "import_records reads it back."
    )

    def add_arguments(self, parser):
        parser.add_argument("resource", choices=sorted(RESOURCES))
        parser.add_argument("file", help="Where to write it: a .csv or .xlsx path.")

    def handle(self, *args, resource, file, **options):
        path = Path(file)
        extension = path.suffix.lower().lstrip(".")
        if extension not in FORMAT_BY_EXTENSION:
            raise CommandError(f"{file}: give a .csv or .xlsx file name.")
        sheet = RESOURCES[resource]()
        queryset = sheet.get_queryset()
        with tqdm(
            total=queryset.count(),
            desc=f"Exporting {resource}",
            unit="row",
            file=sys.stderr,
            disable=not sys.stderr.isatty(),
        ) as bar:
            sheet.progress = bar.update
            dataset = sheet.export(queryset)
        try:
            path.write_bytes(sheet_write(dataset, extension))
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        self.stdout.write(
            self.style.SUCCESS(f"Exported {len(dataset)} {resource} to {file}.")
        )
