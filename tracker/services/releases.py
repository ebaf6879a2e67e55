"""Making a release: the next version, its files and its changelog."""

from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from tracker.caching import data_changed
from tracker.releases.package import ReleaseError, release_write, version_key
from tracker.selectors.releases import (
    Release,
    release_get,
    release_versions,
    releases_dir,
)


def version_next(latest: str | None) -> str:
    if latest is None:
        return "1.0.0"
    major, minor, patch = version_key(latest)
    return f"{major}.{minor}.{patch + 1}"


def release_create(
    *,
    version: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Release:
    """Write a release of every public record; the changelog compares it
    with the latest release before it. Versions only go up."""
    versions = release_versions()
    latest = versions[0] if versions else None
    version = version or version_next(latest)
    version_key(version)
    if latest and version_key(version) <= version_key(latest):
        raise ReleaseError(
            f"Release {version} is not newer than the latest, {latest}: "
            "a release is never replaced, so choose a higher version."
        )
    created = timezone.now().replace(microsecond=0).isoformat().replace("+00:00", "Z")
    # One snapshot: every file of the release reads the same data.
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        release_write(
            releases_dir=releases_dir(),
            version=version,
            previous=latest,
            created=created,
            site_url=settings.TRACKER_SITE_URL,
            progress=progress,
        )
    # /data/ and every record's "cite this" name the latest release: a new
    # one changes what they show, as a write to the records does.
    data_changed()
    return release_get(version)
