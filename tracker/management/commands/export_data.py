from django.core.management.base import BaseCommand, CommandError

from tracker.backup import BackupError, backup_export


class Command(BaseCommand):
    help = (
        "Back up the whole database (every record, citation, history entry, "
        "user, API token and schedule) to one signed, gzip'd file that "
        "import_data restores (users and tokens only with --include)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write the backup, e.g. x.jsonl.gz")
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar on stderr."
        )

    def handle(self, *args, path, database, no_progress, **options):
        try:
            summary = backup_export(path=path, using=database, progress=not no_progress)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {summary.total} rows of {len(summary.counts)} "
                f"models to {path} (checksum {summary.checksum})."
            )
        )
