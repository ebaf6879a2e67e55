"""Writing one release to disk: a CSV and a JSON file per resource, the
Frictionless datapackage.json, the changelog and SHA-256 checksums, then a
zip of it all. Files are written into a temporary directory that is renamed
into place at the end, so a release is either complete or absent."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import orjson

from tracker.api.renderers import cell

from .changelog import ResourceChanges, changelog_markdown, resource_changes
from .resources import RESOURCES, Resource
from .schema import CSV, JSON, table_schema

VERSION_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
PACKAGE_NAME = "ic-awards-tracker"
DATAPACKAGE = "datapackage.json"
CHECKSUMS = "SHA256SUMS"
CHANGELOG_JSON = "changelog.json"
CHANGELOG_MD = "CHANGELOG.md"
LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}


class ReleaseError(Exception):
    """The release cannot be made; the message says why."""


def version_key(version: str) -> tuple[int, int, int]:
    match = VERSION_RE.match(version)
    if not match:
        raise ReleaseError(
            f"A release version is three numbers, like 1.0.0, not {version!r}."
        )
    return tuple(int(part) for part in match.groups())


def zip_name(version: str) -> str:
    return f"{PACKAGE_NAME}-{version}.zip"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_resource(resource: Resource, directory: Path) -> Iterator[dict]:
    """Write the resource's CSV and JSON files, yielding each row as it is
    written so the changelog is built in the same pass."""
    header = list(resource.fields)
    with (
        (directory / f"{resource.name}.csv").open(
            "w", encoding="utf-8", newline=""
        ) as csv_file,
        (directory / f"{resource.name}.json").open("wb") as json_file,
    ):
        # The API's CSV cells: nested values flattened, formulas defused.
        writer = csv.writer(csv_file)
        writer.writerow(header)
        json_file.write(b"[")
        separator = b"\n"
        for row in resource.rows():
            writer.writerow([cell(row.get(key)) for key in header])
            json_file.write(separator + orjson.dumps(row))
            separator = b",\n"
            yield row
        json_file.write(b"\n]\n")


def previous_rows(directory: Path | None, resource: Resource) -> dict[str, dict]:
    if directory is None:
        return {}
    path = directory / f"{resource.name}.json"
    if not path.exists():
        return {}
    return {row["slug"]: row for row in orjson.loads(path.read_bytes())}


def resource_descriptor(resource: Resource, path: Path, fmt: str) -> dict:
    descriptor = {
        "name": f"{resource.name}-{fmt}",
        "title": f"{resource.title} ({fmt.upper()})",
        "description": resource.description,
        "path": path.name,
        "profile": "tabular-data-resource",
        "format": fmt,
        "mediatype": "text/csv" if fmt == CSV else "application/json",
        "encoding": "utf-8",
        "schema": table_schema(resource, fmt),
    }
    if fmt == CSV:
        # frictionless checks these while it reads a CSV; its JSON reader
        # counts no bytes, so the JSON files' checksums are in SHA256SUMS.
        descriptor["bytes"] = path.stat().st_size
        descriptor["hash"] = f"sha256:{sha256(path)}"
    return descriptor


def datapackage(
    *, version: str, created: str, site_url: str, resources: list[dict]
) -> dict:
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "id": f"{site_url.rstrip('/')}/data/{version}/",
        "title": "Intimacy coordination awards tracker: the evidence",
        "description": (
            "The evidence base behind the campaign for an awards category "
            "for intimacy coordinators: productions and whether they used "
            "an intimacy coordinator, people, organizations, award outcomes "
            "and mentions, statements, policies, statistics and campaigns. "
            "Every claim carries the sources it cites."
        ),
        "version": version,
        "created": created,
        "homepage": f"{site_url.rstrip('/')}/data/",
        "keywords": ["intimacy coordination", "film", "television", "awards"],
        "licenses": [LICENSE],
        "sources": [
            {
                "title": "Intimacy coordination awards tracker",
                "path": f"{site_url.rstrip('/')}/",
                "description": "Curated by the campaign's staff; each claim "
                "cites its own sources, listed in the sources resource.",
            },
            {
                "title": "Wikidata",
                "path": "https://www.wikidata.org/",
                "description": "Identifiers, dates and awards imported from "
                "Wikidata cite the Wikidata item they came from (CC0).",
            },
        ],
        "resources": resources,
    }


def release_write(
    *,
    releases_dir: Path,
    version: str,
    previous: str | None,
    created: str,
    site_url: str,
    resources: Iterable[Resource] = RESOURCES,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Write release `version` under `releases_dir` and its zip; returns the
    release's directory."""
    target = releases_dir / version
    if target.exists():
        raise ReleaseError(f"Release {version} exists already: releases never change.")
    releases_dir.mkdir(parents=True, exist_ok=True)
    work = releases_dir / f".{version}.partial"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    previous_dir = releases_dir / previous if previous else None
    try:
        descriptors: list[dict] = []
        changes: dict[str, ResourceChanges] = {}
        for resource in resources:
            if progress:
                progress(resource.name)
            changes[resource.name] = resource_changes(
                previous_rows(previous_dir, resource), write_resource(resource, work)
            )
            for fmt in (CSV, JSON):
                descriptors.append(
                    resource_descriptor(resource, work / f"{resource.name}.{fmt}", fmt)
                )
        changelog = {
            "version": version,
            "previous_version": previous,
            "created": created,
            "resources": {name: c.as_dict() for name, c in changes.items()},
        }
        (work / CHANGELOG_JSON).write_text(
            json.dumps(changelog, indent=2, ensure_ascii=False) + "\n", "utf-8"
        )
        (work / CHANGELOG_MD).write_text(changelog_markdown(changelog), "utf-8")
        package = datapackage(
            version=version, created=created, site_url=site_url, resources=descriptors
        )
        (work / DATAPACKAGE).write_text(
            json.dumps(package, indent=2, ensure_ascii=False) + "\n", "utf-8"
        )
        files = sorted(p for p in work.iterdir() if p.name != CHECKSUMS)
        (work / CHECKSUMS).write_text(
            "".join(f"{sha256(p)}  {p.name}\n" for p in files), "utf-8"
        )
        _zip_write(work, releases_dir / zip_name(version), version)
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        (releases_dir / zip_name(version)).unlink(missing_ok=True)
        raise
    return target


def _zip_write(directory: Path, path: Path, version: str) -> None:
    partial = path.with_suffix(".zip.partial")
    folder = f"{PACKAGE_NAME}-{version}"
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(directory.iterdir()):
            archive.write(file, f"{folder}/{file.name}")
    partial.rename(path)
