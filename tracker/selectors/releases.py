"""The releases on disk, for /data/, the "cite this" blocks and the next
release's changelog. A release never changes once written, so what is read
from one is cached by its version."""

import functools
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings

from tracker.releases.package import (
    CHANGELOG_JSON,
    DATAPACKAGE,
    VERSION_RE,
    sha256,
    version_key,
    zip_name,
)


@dataclass(frozen=True)
class Release:
    version: str
    created: str
    title: str
    directory: Path
    zip_path: Path
    zip_bytes: int
    zip_sha256: str
    records: dict
    """Rows per resource."""
    changes: dict
    """Per kind of change (added, changed...), how many records."""
    previous_version: str | None

    @property
    def total_records(self) -> int:
        return sum(self.records.values())

    @property
    def changes_display(self) -> str:
        parts = [f"{n} {kind}" for kind, n in self.changes.items() if n]
        return ", ".join(parts) or "no changes"

    @property
    def year(self) -> str:
        return self.created[:4]

    @property
    def date(self) -> str:
        return self.created[:10]

    @property
    def created_at(self) -> datetime:
        """When it was built (to the second: the time it names)."""
        return datetime.fromisoformat(self.created)


def releases_dir() -> Path:
    return Path(settings.TRACKER_RELEASES_DIR)


def release_versions(directory: Path | None = None) -> list[str]:
    """The versions written, newest first; partial ones are not listed."""
    directory = directory or releases_dir()
    if not directory.is_dir():
        return []
    versions = [
        p.name
        for p in directory.iterdir()
        if p.is_dir() and VERSION_RE.match(p.name) and (p / DATAPACKAGE).exists()
    ]
    return sorted(versions, key=version_key, reverse=True)


@functools.lru_cache(maxsize=64)
def _release_read(directory: Path, version: str) -> Release:
    package = json.loads((directory / DATAPACKAGE).read_text("utf-8"))
    changelog = json.loads((directory / CHANGELOG_JSON).read_text("utf-8"))
    records: dict[str, int] = {}
    for resource in package["resources"]:
        if resource["format"] == "json":
            path = directory / resource["path"]
            records[resource["name"].removesuffix("-json")] = len(
                json.loads(path.read_text("utf-8"))
            )
    changes: dict[str, int] = {}
    for per_resource in changelog["resources"].values():
        for kind, items in per_resource.items():
            changes[kind] = changes.get(kind, 0) + len(items)
    zip_path = directory.parent / zip_name(version)
    return Release(
        version=version,
        created=package["created"],
        title=package["title"],
        directory=directory,
        zip_path=zip_path,
        zip_bytes=zip_path.stat().st_size if zip_path.exists() else 0,
        zip_sha256=sha256(zip_path) if zip_path.exists() else "",
        records=records,
        changes=changes,
        previous_version=changelog.get("previous_version"),
    )


def release_list() -> list[Release]:
    root = releases_dir()
    return [_release_read(root / version, version) for version in release_versions()]


def release_get(version: str) -> Release | None:
    if not VERSION_RE.match(version) or version not in release_versions():
        return None
    return _release_read(releases_dir() / version, version)


def release_latest() -> Release | None:
    versions = release_versions()
    if not versions:
        return None
    return _release_read(releases_dir() / versions[0], versions[0])


@functools.lru_cache(maxsize=64)
def _release_slugs(directory: Path, resource: str) -> frozenset[str]:
    path = directory / f"{resource}.json"
    if not path.exists():
        return frozenset()
    return frozenset(row["slug"] for row in json.loads(path.read_text("utf-8")))


def release_has_record(release: Release, resource: str, slug: str) -> bool:
    return slug in _release_slugs(release.directory, resource)


def release_has_nested(
    release: Release, resource: str, parent_slug: str, record
) -> bool:
    """Whether the release holds `record`, a record it shows only inside
    its parent's row (a milestone in its campaign's `milestones`).

    The nested rows carry no id nor slug, and every value in them can be
    edited, so they cannot tell the records apart: a record is in the
    release when its parent is and it existed when the release was built.
    The release names that time to the second, taken just before its data
    is read, so the whole of that second counts as before it."""
    if not release_has_record(release, resource, parent_slug):
        return False
    return record.created_at < release.created_at + timedelta(seconds=1)
