from django.core.management.base import BaseCommand, CommandError

from tracker.backup import BackupError, backup_import
from tracker.backup.rows import ACCOUNT_PARTS


class Command(BaseCommand):
    help = (
        "Restore a backup written by export_data into an empty, migrated "
        "database, in one transaction. Refuses a damaged file or a database "
        "that holds data, unless --replace is given. Users and API tokens "
        "are restored only when named with --include; otherwise the "
        "database's own accounts are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file export_data wrote.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the data this database holds and restore the backup.",
        )
        parser.add_argument(
            "--include",
            action="append",
            choices=tuple(ACCOUNT_PARTS),
            default=[],
            metavar="{" + ",".join(ACCOUNT_PARTS) + "}",
            help=(
                "Also restore this part of the backup, which is otherwise "
                "left out: 'users' (accounts with their password hashes, "
                "groups, permissions, the admin's action log), 'tokens' (API "
                "tokens; needs 'users' too). Repeat for each: --include users "
                "--include tokens."
            ),
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
        self,
        *args,
        path,
        replace,
        include,
        trust_unsigned,
        database,
        no_progress,
        **options,
    ):
        try:
            summary = backup_import(
                path=path,
                using=database,
                replace=replace,
                include=include,
                trust_unsigned=trust_unsigned,
                progress=not no_progress,
            )
        except BackupError as error:
            raise CommandError(f"Nothing restored: {error}") from error
        if not summary.left_out:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Restored {summary.total} rows of {len(summary.counts)} "
                    f"models from {path}; checksum {summary.checksum} matches."
                )
            )
            return
        restored = len(summary.counts) - len(summary.left_out)
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {summary.restored_total} rows of {restored} models "
                f"from {path}; they match the backup."
            )
        )
        missing = [part for part in ACCOUNT_PARTS if part not in include]
        self.stdout.write(
            f"Left as they were, not restored: {', '.join(summary.left_out)} "
            f"(add {' '.join(f'--include {part}' for part in missing)} to "
            "restore them)."
        )
        if summary.references_cleared:
            self.stdout.write(
                f"{summary.references_cleared} references to users of the "
                "backup who have no account of that username here now name "
                "no one."
            )
