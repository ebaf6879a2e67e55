"""Snapshots of cited sources, taken through the guarded fetcher from a
real server on 127.0.0.1."""

import gzip
import hashlib
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from tests.archive.conftest import ARTICLE_HTML
from tracker import tasks
from tracker.choices import (
    LinkStatus,
    QuoteCheckResult,
    SnapshotOrigin,
    SnapshotOutcome,
)
from tracker.demo import SEED_ARTICLE_TEXT, demo_data_load
from tracker.models import Citation, Source, SourceSnapshot
from tracker.selectors.archive import quote_check
from tracker.services.archive import snapshot_take

pytestmark = pytest.mark.django_db


def test_citing_a_page_archives_it(
    archiving, article_url, source_make, cite, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        source = source_make(article_url)
        cite(source, "is as essential as a stunt coordinator")

    (snapshot,) = SourceSnapshot.objects.filter(source=source)
    assert snapshot.outcome == SnapshotOutcome.ARCHIVED
    assert snapshot.origin == SnapshotOrigin.FETCHED
    assert (snapshot.http_status, snapshot.final_url) == (200, article_url)
    assert snapshot.sha256 == hashlib.sha256(ARTICLE_HTML).hexdigest()
    assert gzip.decompress(bytes(snapshot.body_gzip)) == ARTICLE_HTML
    assert snapshot.size == len(ARTICLE_HTML)
    assert "consent is an ongoing conversation" in snapshot.text
    assert snapshot.latest
    assert source.link_health.status == LinkStatus.OK


def test_a_source_saved_again_is_not_fetched_again(
    archiving, feed_server, article_url, source_make, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        source = source_make(article_url)
    with django_capture_on_commit_callbacks(execute=True):
        source.title = "A new title"
        source.save()

    assert len(feed_server.requests_to("/story.html")) == 1


@pytest.fixture
def snapshots_queued(monkeypatch):
    """The source ids whose snapshot task was queued, in order; the task
    still runs."""
    queued = []
    delay = tasks.snapshot_source.delay

    def counted(source_id, *args, **kwargs):
        queued.append(source_id)
        return delay(source_id, *args, **kwargs)

    monkeypatch.setattr(tasks.snapshot_source, "delay", counted)
    return queued


def test_a_source_cited_by_many_claims_in_one_transaction_is_queued_once(
    archiving,
    feed_server,
    article_url,
    source_make,
    cite,
    snapshots_queued,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        source = source_make(article_url)
        cite(source, "is as essential as a stunt coordinator")
        cite(source, "consent is an ongoing conversation", title="I May Destroy You")

    assert snapshots_queued == [source.pk]
    assert len(feed_server.requests_to("/story.html")) == 1
    assert Citation.objects.filter(source=source).count() == 2


def test_a_save_undone_by_a_rollback_leaves_the_next_save_to_queue_it(
    archiving,
    article_url,
    source_make,
    snapshots_queued,
    django_capture_on_commit_callbacks,
):
    # A source with no copy yet, saved before archiving was on.
    archiving.TRACKER_ARCHIVE_ON_SAVE = False
    source = source_make(article_url)
    archiving.TRACKER_ARCHIVE_ON_SAVE = True

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            source.title = "Saved, then undone"
            source.save()
            raise RuntimeError
        # Its callback went with the savepoint: this save is not pending
        # behind it, and queues the snapshot itself.
        source.refresh_from_db()
        source.save()
        source.save()
    assert snapshots_queued == [source.pk]


def test_a_new_url_is_archived_and_becomes_the_latest_copy(
    archiving, feed_server, article_url, source_make, django_capture_on_commit_callbacks
):
    moved = feed_server.route(
        "/moved.html", body=b"<html><body><p>" + b"Moved text. " * 30 + b"</p>"
    )
    with django_capture_on_commit_callbacks(execute=True):
        source = source_make(article_url)
    with django_capture_on_commit_callbacks(execute=True):
        source.url = moved
        source.save()

    latest = SourceSnapshot.objects.get(source=source, latest=True)
    assert latest.requested_url == moved and "Moved text" in latest.text
    assert SourceSnapshot.objects.filter(source=source).count() == 2


def test_quotes_read_found_or_not_found_against_the_copy(
    archiving, article_url, source_make, cite, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        source = source_make(article_url)
        cite(
            source,
            "\u201cis as essential as a stunt coordinator\u201d",
            "Normal People",
        )
        cite(source, "Coordinators are a waste of money", "Bridgerton")
    snapshot = SourceSnapshot.objects.get(source=source)

    checks = {
        citation.claim.title: quote_check(citation)
        for citation in Citation.objects.filter(source=source)
    }

    assert checks["Normal People"].result == QuoteCheckResult.FOUND
    assert checks["Bridgerton"].result == QuoteCheckResult.NOT_FOUND
    assert {check.snapshot_at for check in checks.values()} == {snapshot.fetched_at}


def test_a_source_with_no_copy_reads_no_snapshot(source_make, cite):
    source = source_make("https://news.example.org/never-fetched")
    cite(source, "Anything at all")

    check = quote_check(Citation.objects.get(source=source))

    assert (check.result, check.snapshot_at) == (QuoteCheckResult.NO_SNAPSHOT, None)


def test_a_refused_address_is_saved_with_a_not_archived_reason(
    settings, feed_server, article_url, source_make, django_capture_on_commit_callbacks
):
    settings.TRACKER_ARCHIVE_ON_SAVE = True
    settings.TRACKER_ALLOW_PRIVATE_FEEDS = False

    with django_capture_on_commit_callbacks(execute=True):
        source = source_make(article_url)

    assert Source.objects.filter(pk=source.pk).exists()
    (snapshot,) = SourceSnapshot.objects.filter(source=source)
    assert snapshot.outcome == SnapshotOutcome.REFUSED
    assert snapshot.get_outcome_display() == "Not archived: the address is refused"
    assert "loopback" in snapshot.reason
    assert not snapshot.latest and feed_server.seen == []


@pytest.mark.parametrize(
    ("route", "outcome", "reason"),
    [
        ({"status": 404}, SnapshotOutcome.FAILED, "HTTP 404"),
        ({"body": b"x" * 5000}, SnapshotOutcome.FAILED, "more than the 1000-byte"),
        (
            {"body": b"x" * 5000, "declare_length": False},
            SnapshotOutcome.FAILED,
            "larger than the 1000-byte",
        ),
        (
            {"body": b"x", "headers": {"Content-Encoding": "gzip, gzip"}},
            SnapshotOutcome.FAILED,
            "compressed 2 times",
        ),
    ],
)
def test_a_failed_fetch_is_recorded_never_raised(
    private_feeds_allowed, settings, feed_server, source_make, route, outcome, reason
):
    settings.TRACKER_SNAPSHOT_MAX_BYTES = 1000
    source = source_make(feed_server.route("/page", **route))

    snapshot = snapshot_take(source_id=source.pk)

    assert snapshot.outcome == outcome
    assert reason in snapshot.reason
    assert snapshot.pk and not snapshot.latest


def test_a_slow_page_is_cut_off_at_the_fetch_deadline(
    private_feeds_allowed, settings, hostile_server, source_make
):
    settings.TRACKER_FETCH_TIMEOUT = 1.0

    def slow_headers(conn):
        conn.send(b"HTTP/1.1 200 OK\r\n")
        conn.drip(b"X-Slow: " + b"a" * 30 + b"\r\n\r\n", 0.5)

    source = source_make(hostile_server.serve(slow_headers, "/page"))

    snapshot = snapshot_take(source_id=source.pk)

    assert snapshot.outcome == SnapshotOutcome.FAILED
    assert "took too long" in snapshot.reason


def test_a_pdf_keeps_its_body_and_notes_the_text_was_not_extracted(
    private_feeds_allowed, feed_server, source_make
):
    pdf = b"%PDF-1.7\n" + b"0" * 2000
    source = source_make(
        feed_server.route(
            "/report.pdf", body=pdf, headers={"Content-Type": "application/pdf"}
        )
    )

    snapshot = snapshot_take(source_id=source.pk)

    assert snapshot.outcome == SnapshotOutcome.ARCHIVED
    assert snapshot.body == pdf
    assert snapshot.text == "" and "not extracted" in snapshot.text_note


def test_a_page_with_no_main_text_is_archived_with_a_note(
    private_feeds_allowed, feed_server, source_make
):
    source = source_make(
        feed_server.route(
            "/empty.html",
            body=b"<html><body><script>x()</script></body></html>",
            headers={"Content-Type": "text/html"},
        )
    )

    snapshot = snapshot_take(source_id=source.pk)

    assert snapshot.outcome == SnapshotOutcome.ARCHIVED
    assert snapshot.text_note == "No main text found on the page."


def test_a_failed_fetch_keeps_the_previous_copy_as_the_latest(
    private_feeds_allowed, feed_server, article_url, source_make
):
    source = source_make(article_url)
    first = snapshot_take(source_id=source.pk)
    feed_server.route("/story.html", status=503)

    second = snapshot_take(source_id=source.pk)

    assert second.outcome == SnapshotOutcome.FAILED
    assert SourceSnapshot.objects.get(source=source, latest=True) == first


def test_the_seed_article_takes_the_shipped_text_and_its_quotes_are_found(db):
    demo_data_load()
    seed = Source.objects.get(slug="case-for-an-oscar-for-best-intimacy-coordinator")

    (snapshot,) = SourceSnapshot.objects.filter(source=seed)
    citations = list(Citation.objects.filter(source=seed))
    checks = [quote_check(citation) for citation in citations]

    assert snapshot.origin == SnapshotOrigin.SHIPPED and snapshot.latest
    assert snapshot.text == SEED_ARTICLE_TEXT.read_text("utf-8")
    assert len(citations) > 20
    not_found = [
        c.quote for c, check in zip(citations, checks, strict=True) if not check.found
    ]
    assert not_found == []


def test_loading_the_demo_again_adds_no_second_seed_copy(db):
    demo_data_load()
    again = demo_data_load()

    assert SourceSnapshot.objects.count() == 1
    assert (again.created, again.updated) == (0, 0)


def test_the_shipped_seed_text_is_the_seed_article():
    seed = SEED_ARTICLE_TEXT.read_text("utf-8")

    assert seed.startswith("Now Reading\nThe Case for an Oscar for Best Intimacy")
    assert "Ita O\u2019Brien" in seed


# --- manage.py snapshot_sources --------------------------------------------------


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("snapshot_sources", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_archives_what_has_no_copy_with_a_progress_bar(
    private_feeds_allowed, feed_server, article_url, source_make, capsys
):
    archived = source_make(article_url)
    snapshot_take(source_id=archived.pk)
    fresh = source_make(feed_server.route("/fresh.html", body=ARTICLE_HTML))
    source_make("")  # no address: nothing to fetch

    out, _ = run()

    err = capsys.readouterr().err
    assert SourceSnapshot.objects.filter(source=fresh).count() == 1
    assert SourceSnapshot.objects.filter(source=archived).count() == 1
    assert "1 source(s): 1 archived." in out
    assert "Archiving sources" in err and "1/1" in err


def test_the_command_retakes_stale_copies(
    private_feeds_allowed, article_url, source_make
):
    source = source_make(article_url)
    snapshot_take(source_id=source.pk)
    SourceSnapshot.objects.update(fetched_at="2020-01-01T00:00:00Z")

    run("--stale", "30")

    assert SourceSnapshot.objects.filter(source=source).count() == 2


def test_the_command_takes_one_source_and_reports_refusals(
    settings, article_url, source_make
):
    settings.TRACKER_ALLOW_PRIVATE_FEEDS = False
    source = source_make(article_url)

    out, _ = run("--source", source.slug)

    assert re.search(rf"{source.slug}: not archived: Refused .*loopback", out)
    assert "1 refused" in out


def test_the_command_names_an_unknown_source():
    with pytest.raises(CommandError, match="no-such-source"):
        run("--source", "no-such-source")


def test_a_backup_keeps_the_archived_copies(db, tmp_path):
    from tracker import backup

    demo_data_load()
    path = tmp_path / "tracker.jsonl.gz"
    exported = backup.backup_export(path=path)
    seed_copy = SourceSnapshot.objects.get().body

    backup.backup_import(path=path, replace=True)

    assert backup.database_summary() == exported
    assert SourceSnapshot.objects.get().body == seed_copy
