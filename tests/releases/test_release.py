import hashlib
import json
import subprocess
import sys
import zipfile

import pytest
from django.core.management import CommandError, call_command

from tests import factories
from tracker import choices
from tracker.demo import demo_data_load
from tracker.models import (
    ApiToken,
    ArticleMatch,
    Citation,
    Feed,
    NewsArticle,
    Production,
)
from tracker.releases.package import ReleaseError
from tracker.releases.resources import RESOURCES
from tracker.services.records import record_deprecate, record_update
from tracker.services.releases import release_create

pytestmark = pytest.mark.django_db


def frictionless_validate(path) -> dict:
    """The frictionless command line tool, as a data user would run it."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "frictionless", "validate", "--json", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return json.loads(result.stdout)


def test_a_release_of_the_demo_data_passes_frictionless_validate(releases_dir):
    demo_data_load()

    call_command("release", "--no-progress")

    package = releases_dir / "1.0.0" / "datapackage.json"
    report = frictionless_validate(package)
    assert report["valid"], json.dumps(report["tasks"], indent=1)[:3000]
    # Every resource, as CSV and as JSON, was read and checked.
    assert report["stats"]["tasks"] == 2 * len(RESOURCES)
    descriptor = json.loads(package.read_text())
    assert descriptor["version"] == "1.0.0"
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["created"].endswith("Z")
    assert {s["title"] for s in descriptor["sources"]} >= {"Wikidata"}
    by_name = {r["name"]: r for r in descriptor["resources"]}
    fields = {f["name"]: f for f in by_name["productions-csv"]["schema"]["fields"]}
    assert fields["start_year"]["type"] == "integer"
    assert "used" in fields["ic_status"]["constraints"]["enum"]
    json_fields = by_name["productions-json"]["schema"]["fields"]
    assert {f["name"]: f["type"] for f in json_fields}["citations"] == "array"


def test_frictionless_refuses_a_release_whose_data_was_tampered_with(releases_dir):
    demo_data_load()
    release = release_create()

    csv_path = release.directory / "productions.csv"
    csv_path.write_text(csv_path.read_text().replace("2024", "20x4", 1))

    report = frictionless_validate(release.directory / "datapackage.json")
    assert not report["valid"]
    errors = {e["type"] for task in report["tasks"] for e in task["errors"]}
    assert errors & {"hash-count", "type-error", "byte-count"}


def test_checksums_cover_every_file_and_the_zip_holds_them_all(releases_dir):
    demo_data_load()
    release = release_create()

    lines = (release.directory / "SHA256SUMS").read_text().splitlines()
    listed = {}
    for line in lines:
        digest, name = line.split("  ")
        listed[name] = digest
    files = {p.name for p in release.directory.iterdir()} - {"SHA256SUMS"}
    assert set(listed) == files
    for name, digest in listed.items():
        content = (release.directory / name).read_bytes()
        assert hashlib.sha256(content).hexdigest() == digest, name
    with zipfile.ZipFile(release.zip_path) as archive:
        names = {n.split("/", 1)[1] for n in archive.namelist()}
    assert names == files | {"SHA256SUMS"}


def test_release_rows_are_the_api_read_shape(releases_dir, client):
    demo_data_load()
    release = release_create()

    rows = json.loads((release.directory / "productions.json").read_text())
    row = next(r for r in rows if r["slug"] == "i-may-destroy-you")
    api = client.get("/api/v1/productions/i-may-destroy-you/").json()
    api.pop("news")
    assert row == api
    assert [r["slug"] for r in rows] == sorted(r["slug"] for r in rows)


def test_a_release_holds_no_users_tokens_pending_news_or_feeds(releases_dir):
    demo_data_load()
    staff = factories.StaffFactory(
        username="curator-login-name", email="curator@private.example"
    )
    _, key = ApiToken.issue(staff, name="token for the release test")
    feed = Feed.objects.create(url="https://private-feed.example/rss", name="Feed")
    article = NewsArticle.objects.create(
        feed=feed,
        canonical_url="https://news.example/pending-story",
        url="https://news.example/pending-story",
        title="Pending headline nobody approved",
        content_hash="0" * 64,
    )
    production = Production.objects.get(slug="challengers")
    ArticleMatch.objects.create(
        article=article,
        entity_type=choices.MatchEntityType.PRODUCTION,
        production=production,
        alias="Challengers",
        field=choices.MatchField.TITLE,
        position=0,
        score=1.0,
    )

    release = release_create()

    private = [
        "curator-login-name",
        "curator@private.example",
        key,
        key.split(".")[0],
        "Pending headline nobody approved",
        "news.example/pending-story",
        feed.url,
        "pbkdf2",
        "md5$",
    ]
    files = list(release.directory.iterdir())
    assert files
    with zipfile.ZipFile(release.zip_path) as archive:
        blobs = [archive.read(name) for name in archive.namelist()]
    for blob in [p.read_bytes() for p in files] + blobs:
        text = blob.decode("utf-8")
        for secret in private:
            assert secret not in text
    assert not any("user" in p.name or "news" in p.name for p in files)


def test_the_changelog_lists_added_changed_disputed_and_removed(releases_dir):
    kept = factories.ProductionFactory(title="Kept", slug="kept")
    changed = factories.ProductionFactory(title="Will change", slug="will-change")
    disputed = factories.ProductionFactory(title="Will be disputed", slug="disputed")
    removed = factories.ProductionFactory(title="Will go", slug="will-go", cite=False)
    first = release_create()
    assert first.version == "1.0.0"
    assert first.changes["added"] == first.total_records

    changed.ic_notes = "A corrected note."
    changed.save()
    Citation.objects.create(
        claim=disputed,
        source=factories.SourceFactory(),
        stance=choices.CitationStance.DISPUTES,
        quote="It did not.",
    )
    removed.citations.all().delete()
    removed.delete()
    factories.ProductionFactory(title="New", slug="new")

    second = release_create()

    assert second.version == "1.0.1"
    assert second.previous_version == "1.0.0"
    log = json.loads((second.directory / "changelog.json").read_text())
    productions = log["resources"]["productions"]
    assert productions["added"] == ["new"]
    assert productions["removed"] == ["will-go"]
    assert {"slug": "will-change", "fields": ["ic_notes"]} in productions["changed"]
    assert productions["disputed"] == ["disputed"]
    assert "kept" not in json.dumps(productions)
    assert productions["deprecated"] == []
    assert kept.slug in (second.directory / "productions.csv").read_text()
    text = (second.directory / "CHANGELOG.md").read_text()
    assert "Changes since release 1.0.0." in text
    assert "- removed (1): will-go" in text


def test_the_changelog_lists_exactly_the_claims_deprecated_and_disputed(
    releases_dir,
):
    factories.ProductionFactory(title="Stands", slug="stands")
    withdrawn = factories.ProductionFactory(title="Withdrawn", slug="withdrawn")
    contested = factories.ProductionFactory(title="Contested", slug="contested")
    policy = factories.PolicyFactory(slug="policy-stands")
    # Disputed before release 1: not new in release 2.
    Citation.objects.create(
        claim=policy,
        source=factories.SourceFactory(),
        stance=choices.CitationStance.DISPUTES,
        quote="Only films.",
    )
    release_create()

    record_deprecate(record=withdrawn, reason="Another series was meant.")
    record_update(
        instance=contested,
        fields={},
        citations=[
            {
                "source": factories.SourceFactory(),
                "stance": choices.CitationStance.DISPUTES,
                "quote": "No coordinator was hired.",
            }
        ],
    )
    second = release_create()

    log = json.loads((second.directory / "changelog.json").read_text())
    productions = log["resources"]["productions"]
    assert productions["deprecated"] == ["withdrawn"]
    assert productions["disputed"] == ["contested"]
    changed = {item["slug"] for item in productions["changed"]}
    assert changed == {"withdrawn", "contested"}
    others = [
        changes
        for name, changes in log["resources"].items()
        if name not in ("productions", "sources")
    ]
    assert not any(changes["deprecated"] or changes["disputed"] for changes in others)
    text = (second.directory / "CHANGELOG.md").read_text()
    assert "- deprecated (1): withdrawn" in text
    assert "- disputed (1): contested" in text
    row = next(
        r
        for r in json.loads((second.directory / "productions.json").read_text())
        if r["slug"] == "withdrawn"
    )
    assert row["deprecated"] and row["deprecation_reason"] == (
        "Another series was meant."
    )


def test_a_deprecated_disputing_source_disputes_nothing_new(releases_dir):
    claim = factories.ProductionFactory(slug="claim")
    release_create()

    disputing = Citation.objects.create(
        claim=claim,
        source=factories.SourceFactory(),
        stance=choices.CitationStance.DISPUTES,
        quote="It did not.",
    )
    record_deprecate(record=disputing, reason="The paper retracted it.")
    second = release_create()

    log = json.loads((second.directory / "changelog.json").read_text())
    assert log["resources"]["productions"]["disputed"] == []
    assert log["resources"]["productions"]["deprecated"] == []


def test_versions_only_go_up_and_a_release_never_changes(releases_dir):
    factories.ProductionFactory()
    release_create(version="2.1.0")

    with pytest.raises(ReleaseError, match="not newer"):
        release_create(version="2.0.9")
    with pytest.raises(ReleaseError, match="not newer"):
        release_create(version="2.1.0")
    with pytest.raises(ReleaseError, match="three numbers"):
        release_create(version="v3")
    with pytest.raises(CommandError, match="three numbers"):
        call_command("release", "--version", "3.0", "--no-progress")
    assert release_create().version == "2.1.1"
    assert sorted(p.name for p in releases_dir.iterdir()) == [
        "2.1.0",
        "2.1.1",
        "ic-awards-tracker-2.1.0.zip",
        "ic-awards-tracker-2.1.1.zip",
    ]
