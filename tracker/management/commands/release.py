from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from tracker.releases.package import ReleaseError
from tracker.releases.resources import RESOURCES
from tracker.services.releases import release_create


class Command(BaseCommand):
    help = (
        "Write a versioned public release of the tracker's data to "
        "var/releases/<version>/: CSV and JSON per resource, a Frictionless "
        "datapackage.json, SHA-256 checksums and a changelog, plus a zip."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # `--version X.Y.Z` names the release, replacing Django's own
        # --version (which prints Django's).
        return super().create_parser(
            prog_name, subcommand, conflict_handler="resolve", **kwargs
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--version",
            dest="release_version",
            help="X.Y.Z; default: the latest release's patch number plus one "
            "(1.0.0 for the first).",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar on stderr."
        )

    def handle(self, *args, release_version, no_progress, **options):
        bar = tqdm(
            total=len(RESOURCES), unit="resource", disable=no_progress, leave=False
        )

        def progress(name):
            bar.set_description(name)
            bar.update(1)

        try:
            release = release_create(version=release_version, progress=progress)
        except (ReleaseError, OSError) as error:
            raise CommandError(str(error)) from error
        finally:
            bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"Release {release.version}: {release.total_records} records in "
                f"{release.directory} ({release.changes_display}); zip at "
                f"{release.zip_path}."
            )
        )
