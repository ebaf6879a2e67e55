from django.core.management.base import BaseCommand, CommandError

from tracker.backup import BackupError, backup_import


class Command(BaseCommand):
    help = (
        "Restore a backup written by export_data into an empty, migrated "
        "database, in one transaction. Refuses a damaged file or a database "
        "that holds data, unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file export_data wrote.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the data this database holds and restore the backup.",
        )
        parser.add_argument(
            "--trust-unsigned",
            action="store_true",
            help=(
                "Restore a file that is unsigned or does not carry this "
                "deployment's signature (BACKUP_SIGNING_KEY); only for a file "
                "whose origin you know."
            ),
        )
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar on stderr."
        )

    def handle(
        self, *args, path, replace, trust_unsigned, database, no_progress, **options
    ):
        try:
            summary = backup_import(
                path=path,
                using=database,
                replace=replace,
                trust_unsigned=trust_unsigned,
                progress=not no_progress,
            )
        except BackupError as error:
            raise CommandError(f"Nothing restored: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {summary.total} rows of {len(summary.counts)} models "
                f"from {path}; checksum {summary.checksum} matches."
            )
        )
