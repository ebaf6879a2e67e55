"""export_data / import_data: the whole database survives a round trip,
a damaged file or a database holding data is refused untouched, and the
accounts (users, tokens) are restored only when asked for by name."""

import gzip
import io
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from tests import factories
from tracker import backup, choices
from tracker.backup import BackupError
from tracker.backup.rows import Checksum, canonical_line
from tracker.backup.signing import backup_signature
from tracker.models import (
    ApiToken,
    ArticleMatch,
    ArticleSighting,
    AwardMention,
    Feed,
    NewsArticle,
    Production,
)
from tracker.models.tokens import token_hash

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)
# The options of a restore that brings back everything, accounts too.
EVERYTHING = ("--no-progress", "--include", "users", "--include", "tokens")
ACCOUNTS = ("users", "tokens")


@pytest.fixture(autouse=True)
def _content_types_of_this_database():
    """A flush inside a test renumbers the content types, then the test's
    rollback brings the old numbers back while Django's content-type cache
    keeps the new ones: each test here starts from the database's own."""
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True, scope="module")
def _content_types_left_as_found(django_db_blocker):
    """After the module, the next tests find the cache warm and right (a
    stale one made a source page resolve a citation to the wrong model on
    PostgreSQL, whose flush gives new numbers; SQLite's reuses them)."""
    yield
    ContentType.objects.clear_cache()
    with django_db_blocker.unblock():
        ContentType.objects.get_for_models(*apps.get_models())


@pytest.fixture
def campaign_data(db):
    """The demo data plus what staff add over months: an edit with its
    history entry, a staff account with a group and an API token, a news
    article and a reviewed match."""
    call_command("load_demo_data", stdout=io.StringIO())
    production = Production.objects.get(title="I May Destroy You")
    production.ic_notes = "Edited after the BAFTA: the IC is credited on screen."
    production.save()

    editors = Group.objects.create(name="Editors")
    editors.permissions.set(
        Permission.objects.filter(content_type__app_label="tracker")
    )
    staff = factories.StaffFactory(username="curator")
    staff.groups.add(editors)
    staff.user_permissions.add(Permission.objects.get(codename="view_feed"))
    _, key = ApiToken.issue(staff, name="import script")

    feed = Feed.objects.create(url="https://news.example.org/feed.xml", name="News")
    article = NewsArticle.objects.create(
        feed=feed,
        canonical_url="https://news.example.org/coel",
        url="https://news.example.org/coel?utm_source=rss",
        title="Coel thanks her intimacy coordinator",
        content_hash="0" * 64,
        published_at=timezone.now(),
        ic_related=True,
    )
    ArticleSighting.objects.create(feed=feed, article=article, guid="coel-1")
    ArticleMatch.objects.create(
        article=article,
        entity_type=choices.MatchEntityType.PRODUCTION,
        production=production,
        alias="I May Destroy You",
        field=choices.MatchField.TITLE,
        position=0,
        score=0.93,
        ic_related=True,
        review_status=choices.ReviewStatus.APPROVED,
        reviewed_by=staff,
        reviewed_at=timezone.now(),
    )
    return {"api_key": key}


def _database_flush() -> None:
    """Empty the database as a new one would be: migrated, no data. The
    content types come back renumbered, as they would on another server."""
    # PostgreSQL will not TRUNCATE with deferred checks pending.
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()


def _lines(path: Path) -> list[bytes]:
    with gzip.open(path) as stream:
        return stream.readlines()


def _rewrite(path: Path, change, *, signed: bool = True) -> None:
    """Rewrite a backup's rows and give it a matching manifest, as a
    careless hand edit by the key's holder would (`signed`), or an editor
    without the key."""
    lines = [orjson.loads(line) for line in _lines(path)]
    header, rows = lines[0], [row for row in change(lines[1:-1]) if row]
    checksum = Checksum()
    for row in rows:
        checksum.add(row["model"], canonical_line(row))
    summary = checksum.summary(lines[-1]["manifest"]["counts"])
    manifest = {"manifest": {**lines[-1]["manifest"], "counts": summary.counts}}
    manifest["manifest"]["checksum"] = summary.checksum
    if signed:
        manifest["manifest"]["signature"] = backup_signature(
            canonical_line(header), manifest["manifest"]
        )
    with gzip.open(path, "wb") as out:
        for record in (header, *rows, manifest):
            out.write(canonical_line(record) + b"\n")


def test_the_whole_database_survives_export_flush_import(campaign_data, tmp_path):
    path = tmp_path / "tracker.jsonl.gz"
    before = backup.database_summary()

    call_command("export_data", str(path), "--no-progress", stdout=io.StringIO())
    _database_flush()
    assert backup.database_summary().total == 0
    call_command("import_data", str(path), *EVERYTHING, stdout=io.StringIO())

    after = backup.database_summary()
    assert after.counts == before.counts
    assert after.checksum == before.checksum
    # Every kind of row is in the comparison, history and schedules too.
    for label in (
        "tracker.citation",
        "tracker.historicalproduction",
        "tracker.historicalawardoutcome_people",
        "tracker.articlematch",
        "tracker.apitoken",
        "auth.user",
        "auth.group",
        "django_celery_beat.periodictask",
    ):
        assert after.counts[label] > 0, label

    mention = AwardMention.objects.get(
        speaker__slug="michaela-coel", coordinator__slug="ita-obrien"
    )
    assert "making the space safe" in mention.quote
    assert {c.source.publisher: c.stance for c in mention.citations.all()} == {
        "The Guardian": "supports",
        "Deadline": "supports",
        "HuffPost UK": "supports",
        "MetaMedia Capital Inc.": "disputes",
    }
    assert [b.slug for b in mention.award_bodies.all()] == ["bafta"]
    production = Production.objects.get(title="I May Destroy You")
    assert [entry.history_type for entry in production.history.order_by("history_id")][
        -1
    ] == "~"
    assert production.history.latest().ic_notes.startswith("Edited after the BAFTA")

    curator = User.objects.get(username="curator")
    assert curator.check_password("correct horse")
    assert curator.has_perm("tracker.change_production")
    assert curator.has_perm("tracker.view_feed")
    token = ApiToken.objects.active().get(user=curator)
    assert token.key_hash == token_hash(campaign_data["api_key"])
    match = ArticleMatch.objects.get()
    assert match.reviewed_by == curator
    assert match.article.feeds.get().name == "News"


def test_new_rows_after_a_restore_get_fresh_ids(campaign_data, tmp_path):
    path = tmp_path / "tracker.jsonl.gz"
    highest = Production.objects.order_by("-pk").values_list("pk", flat=True)[0]
    backup.backup_export(path=path)
    _database_flush()

    backup.backup_import(path=path)

    production = factories.ProductionFactory(title="Made after the restore")
    assert production.pk > highest


def test_a_backup_made_again_after_a_restore_is_the_same(campaign_data, tmp_path):
    first = backup.backup_export(path=tmp_path / "first.jsonl.gz")
    _database_flush()
    backup.backup_import(path=tmp_path / "first.jsonl.gz", include=ACCOUNTS)

    second = backup.backup_export(path=tmp_path / "second.jsonl.gz")

    assert second == first


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _drop_the_manifest(path: Path) -> None:
    lines = _lines(path)
    with gzip.open(path, "wb") as out:
        out.writelines(lines[:-1])


def _edit_a_row_keeping_the_manifest(path: Path) -> None:
    edited = b"".join(_lines(path)).replace(b"making the space safe", b"nothing")
    with gzip.open(path, "wb") as out:
        out.write(edited)


def _unknown_format_version(path: Path) -> None:
    lines = _lines(path)
    header = orjson.loads(lines[0]) | {"version": 99}
    with gzip.open(path, "wb") as out:
        out.writelines([orjson.dumps(header) + b"\n", *lines[1:]])


def _a_citation_of_a_missing_source(path: Path) -> None:
    _rewrite(
        path,
        lambda rows: (
            row
            for row in rows
            if row["model"] != "tracker.source"
            or not row["fields"]["title"].startswith("The Case for an Oscar")
        ),
    )


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_truncate, "corrupt or truncated"),
        (_flip_a_byte, "corrupt"),
        (_drop_the_manifest, "no manifest"),
        (_edit_a_row_keeping_the_manifest, "checksum"),
        (_unknown_format_version, "format version 99"),
        (_a_citation_of_a_missing_source, "does not fit"),
    ],
)
def test_a_damaged_backup_is_refused_and_nothing_is_written(
    campaign_data, tmp_path, damage, message
):
    path = tmp_path / "tracker.jsonl.gz"
    backup.backup_export(path=path)
    damage(path)
    _database_flush()
    empty = backup.database_summary()

    with pytest.raises(CommandError, match=message):
        call_command("import_data", str(path), "--no-progress")

    assert backup.database_summary() == empty
    assert empty.total == 0


def test_a_database_holding_data_is_refused_without_replace(campaign_data, tmp_path):
    path = tmp_path / "tracker.jsonl.gz"
    backup.backup_export(path=path)
    Production.objects.filter(title="I May Destroy You").update(ic_notes="Changed")
    before = backup.database_summary()

    with pytest.raises(CommandError, match="not empty.*--replace"):
        call_command("import_data", str(path), "--no-progress")

    assert backup.database_summary() == before


def test_replace_restores_the_backup_over_the_data_held(campaign_data, tmp_path):
    path = tmp_path / "tracker.jsonl.gz"
    exported = backup.backup_export(path=path)
    Production.objects.filter(title="I May Destroy You").update(ic_notes="Changed")
    factories.ProductionFactory(title="Added after the backup")

    backup.backup_import(path=path, replace=True)

    assert backup.database_summary() == exported
    assert not Production.objects.filter(title="Added after the backup").exists()


def test_a_fresh_database_with_only_the_seeded_schedule_counts_as_empty(db, tmp_path):
    """`migrate` installs the news, webhook-retry and link-recheck
    schedules; a restore replaces them."""
    path = tmp_path / "tracker.jsonl.gz"
    exported = backup.backup_export(path=path)
    assert exported.counts["django_celery_beat.periodictask"] == 3

    restored = backup.backup_import(path=path)

    assert restored == exported


def _manage(database_url: str, *args: str) -> str:
    """A manage.py command in a separate process on another database."""
    env = os.environ | {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    done = subprocess.run(  # noqa: S603
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.slow
def test_a_backup_crosses_between_databases(campaign_data, tmp_path):
    """Restore on another server, another backend: this database (SQLite or
    PostgreSQL, as the suite runs) to and from a new SQLite file."""
    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    here = tmp_path / "here.jsonl.gz"
    there = tmp_path / "there.jsonl.gz"
    exported = backup.backup_export(path=here)

    _manage(other, "migrate", "--noinput", "-v0")
    output = _manage(other, "import_data", str(here), *EVERYTHING)
    assert exported.checksum in output
    _manage(other, "export_data", str(there), "--no-progress")
    _database_flush()
    restored = backup.backup_import(path=there, include=ACCOUNTS)

    assert restored == exported
    assert AwardMention.objects.filter(speaker__slug="michaela-coel").exists()


def test_a_backup_is_readable_by_its_owner_only(campaign_data, tmp_path):
    path = tmp_path / "tracker.jsonl.gz"
    # A leftover partial file from a crash, world-readable.
    (tmp_path / ".tracker.jsonl.gz.partial").write_bytes(b"")
    (tmp_path / ".tracker.jsonl.gz.partial").chmod(0o644)

    backup.backup_export(path=path)

    assert path.stat().st_mode & 0o777 == 0o600


# A made-up password hash for the planted account.
PLANTED_HASH = "md5$salt$0123456789abcdef0123456789abcdef"  # pragma: allowlist secret


def _a_superuser_added(rows):
    """The attack: an editor without the key adds an account of their own
    and recomputes the checksum."""
    yield from rows
    yield {
        "model": "auth.user",
        "pk": 990001,
        "fields": {
            "password": PLANTED_HASH,
            "last_login": None,
            "is_superuser": True,
            "username": "intruder",
            "first_name": "",
            "last_name": "",
            "email": "intruder@example.org",
            "is_staff": True,
            "is_active": True,
            "date_joined": "2026-11-30T10:00:00Z",
            "groups": [],
            "user_permissions": [],
        },
    }


def test_an_edited_backup_that_adds_a_superuser_is_refused(campaign_data, tmp_path):
    path = tmp_path / "tracker.jsonl.gz"
    backup.backup_export(path=path)
    _rewrite(path, _a_superuser_added, signed=False)
    _database_flush()

    with pytest.raises(CommandError, match="does not carry this deployment's sign"):
        call_command("import_data", str(path), "--no-progress")

    assert not User.objects.filter(username="intruder").exists()
    assert backup.database_summary().total == 0


def test_a_backup_signed_with_another_key_is_refused(campaign_data, tmp_path, settings):
    path = tmp_path / "tracker.jsonl.gz"
    settings.TRACKER_BACKUP_SIGNING_KEY = "another deployment's key"
    backup.backup_export(path=path)
    settings.TRACKER_BACKUP_SIGNING_KEY = "this deployment's key"
    _database_flush()

    with pytest.raises(CommandError, match="signed with another BACKUP_SIGNING_KEY"):
        call_command("import_data", str(path), "--no-progress")

    assert backup.database_summary().total == 0


def _signature_removed(path: Path) -> None:
    lines = [orjson.loads(line) for line in _lines(path)]
    del lines[-1]["manifest"]["signature"]
    with gzip.open(path, "wb") as out:
        out.writelines(canonical_line(record) + b"\n" for record in lines)


def test_an_unsigned_backup_is_refused_unless_trusted(campaign_data, tmp_path):
    path = tmp_path / "tracker.jsonl.gz"
    written = backup.backup_export(path=path)
    _signature_removed(path)
    _database_flush()

    with pytest.raises(CommandError, match="is not signed.*--trust-unsigned"):
        call_command("import_data", str(path), "--no-progress")
    assert backup.database_summary().total == 0

    call_command("import_data", str(path), *EVERYTHING, "--trust-unsigned")
    assert backup.database_summary() == written


def test_without_a_signing_key_no_backup_is_written(db, tmp_path, settings):
    settings.TRACKER_BACKUP_SIGNING_KEY = ""

    with pytest.raises(CommandError, match="BACKUP_SIGNING_KEY is not set"):
        call_command("export_data", str(tmp_path / "x.jsonl.gz"), "--no-progress")

    assert list(tmp_path.iterdir()) == []


# --- Accounts: restored only when asked for by name ---------------------------

ACCOUNT_LABELS = (
    "auth.user",
    "auth.group",
    "admin.logentry",
    "tracker.apitoken",
)
EVIDENCE_LABELS = ("tracker.production", "tracker.citation", "tracker.awardmention")


def _accounts_here():
    """A migrated database where the restore is run: an account and a token
    of its own."""
    editor = factories.StaffFactory(username="night-editor")
    _, key = ApiToken.issue(editor, name="night script")
    return editor, key


def test_a_default_restore_leaves_the_accounts_here_and_creates_none(
    campaign_data, tmp_path
):
    path = tmp_path / "tracker.jsonl.gz"
    exported = backup.backup_export(path=path)
    _database_flush()
    editor, key = _accounts_here()
    accounts = backup.database_summary(labels=ACCOUNT_LABELS)
    out = io.StringIO()

    # A database holding only accounts counts as empty: no --replace.
    call_command("import_data", str(path), "--no-progress", stdout=out)

    assert backup.database_summary(labels=ACCOUNT_LABELS) == accounts
    assert list(User.objects.values_list("username", flat=True)) == ["night-editor"]
    assert not Group.objects.exists()
    assert User.objects.get().check_password("correct horse")
    assert [t.key_hash for t in ApiToken.objects.all()] == [token_hash(key)]
    assert not ApiToken.objects.filter(
        key_hash=token_hash(campaign_data["api_key"])
    ).exists()
    # The evidence is back, row for row.
    restored = backup.database_summary(labels=EVIDENCE_LABELS)
    for label in EVIDENCE_LABELS:
        assert restored.counts[label] == exported.counts[label] > 0, label
        assert restored.model_checksums[label] == exported.model_checksums[label]
    # The match's reviewer has no account here, so it names no one, in the
    # match and in its history entry.
    assert ArticleMatch.objects.get().reviewed_by is None
    assert not ArticleMatch.history.filter(reviewed_by__isnull=False).exists()
    output = out.getvalue()
    assert "Left as they were, not restored: auth.user" in output
    assert "--include users --include tokens" in output
    assert "2 references to users of the backup" in output


def test_a_default_restore_credits_the_account_of_the_same_username_here(
    campaign_data, tmp_path
):
    path = tmp_path / "tracker.jsonl.gz"
    backup.backup_export(path=path)
    _database_flush()
    factories.StaffFactory(username="someone-else")
    curator_here = factories.StaffFactory(
        username="curator", password="the new server's password"
    )

    summary = backup.backup_import(path=path)

    assert ArticleMatch.objects.get().reviewed_by == curator_here
    assert summary.references_cleared == 0
    # The account is this database's, not the backup's: its own password,
    # none of the backup's groups, permissions or tokens.
    curator = User.objects.get(username="curator")
    assert curator.check_password("the new server's password")
    assert not curator.groups.exists()
    assert not curator.has_perm("tracker.view_feed")
    assert not ApiToken.objects.exists()


def test_a_default_restore_replaces_the_evidence_and_keeps_the_accounts(
    campaign_data, tmp_path
):
    path = tmp_path / "tracker.jsonl.gz"
    exported = backup.backup_export(path=path)
    Production.objects.filter(title="I May Destroy You").update(ic_notes="Changed")
    newcomer = factories.StaffFactory(username="newcomer")
    ApiToken.issue(newcomer, name="added after the backup")
    accounts = backup.database_summary(labels=ACCOUNT_LABELS)

    backup.backup_import(path=path, replace=True)

    assert backup.database_summary(labels=ACCOUNT_LABELS) == accounts
    restored = backup.database_summary(labels=EVIDENCE_LABELS)
    for label in EVIDENCE_LABELS:
        assert restored.model_checksums[label] == exported.model_checksums[label]
    production = Production.objects.get(title="I May Destroy You")
    assert production.ic_notes.startswith("Edited after the BAFTA")
    assert exported.counts["tracker.production"] == Production.objects.count()


def test_a_planted_superuser_is_not_created_by_a_default_restore(
    campaign_data, tmp_path
):
    """Even a file whose origin is vouched for (--trust-unsigned) brings
    no account unless asked."""
    path = tmp_path / "tracker.jsonl.gz"
    backup.backup_export(path=path)
    _rewrite(path, _a_superuser_added, signed=False)
    _database_flush()

    call_command(
        "import_data", str(path), "--no-progress", "--trust-unsigned", stdout=None
    )

    assert not User.objects.exists()
    assert AwardMention.objects.filter(speaker__slug="michaela-coel").exists()


def test_asked_for_by_name_users_and_tokens_are_restored(campaign_data, tmp_path):
    path = tmp_path / "tracker.jsonl.gz"
    exported = backup.backup_export(path=path)
    _database_flush()

    call_command("import_data", str(path), *EVERYTHING, stdout=io.StringIO())

    accounts = backup.database_summary(labels=ACCOUNT_LABELS)
    for label in ACCOUNT_LABELS:
        assert accounts.counts[label] == exported.counts[label], label
        assert accounts.model_checksums[label] == exported.model_checksums[label]
    assert accounts.counts["tracker.apitoken"] == 1
    curator = User.objects.get(username="curator")
    assert curator.check_password("correct horse")
    assert curator.has_perm("tracker.change_production")
    assert ApiToken.objects.get().key_hash == token_hash(campaign_data["api_key"])
    assert ArticleMatch.objects.get().reviewed_by == curator


def test_users_alone_are_restored_without_their_tokens(campaign_data, tmp_path):
    path = tmp_path / "tracker.jsonl.gz"
    backup.backup_export(path=path)
    _database_flush()

    backup.backup_import(path=path, include=["users"])

    assert User.objects.filter(username="curator").exists()
    assert Group.objects.filter(name="Editors").exists()
    assert not ApiToken.objects.exists()


def test_tokens_without_users_are_refused_and_nothing_is_written(
    campaign_data, tmp_path
):
    path = tmp_path / "tracker.jsonl.gz"
    backup.backup_export(path=path)
    _database_flush()

    with pytest.raises(CommandError, match="--include tokens needs --include users"):
        call_command("import_data", str(path), "--no-progress", "--include", "tokens")

    assert backup.database_summary().total == 0


def test_replacing_the_users_of_tokens_kept_here_is_refused(campaign_data, tmp_path):
    path = tmp_path / "tracker.jsonl.gz"
    backup.backup_export(path=path)
    before = backup.database_summary()

    with pytest.raises(BackupError, match="holds API tokens.*--include tokens"):
        backup.backup_import(path=path, replace=True, include=["users"])

    assert backup.database_summary() == before


def test_an_unknown_part_is_refused_by_name(db, tmp_path):
    with pytest.raises(CommandError, match="invalid choice: 'sessions'"):
        call_command(
            "import_data", str(tmp_path / "x.jsonl.gz"), "--include", "sessions"
        )
    with pytest.raises(BackupError, match="--include sessions: there is no such"):
        backup.backup_import(path=tmp_path / "x.jsonl.gz", include=["sessions"])
