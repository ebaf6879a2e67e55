"""Link health: rechecked politely, dead only after two failures a day
apart, and then the public pages lead to the archived copy."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tracker.choices import LinkStatus
from tracker.models import LinkCheck, SourceLink
from tracker.services.archive import (
    link_check,
    links_check_for_host,
    links_claim,
    snapshot_take,
)

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def status_of(source):
    return SourceLink.objects.get(source=source).status


def test_a_link_that_answers_is_ok(private_feeds_allowed, article_url, source_make):
    source = source_make(article_url)

    check = link_check(source_id=source.pk)

    assert check.ok and check.http_status == 200
    assert status_of(source) == LinkStatus.OK


def test_one_404_is_failing_and_a_second_a_day_later_is_dead(
    private_feeds_allowed, feed_server, source_make
):
    source = source_make(feed_server.url("/gone"))
    first = timezone.now()

    link_check(source_id=source.pk, now=first)
    assert status_of(source) == LinkStatus.FAILING

    link_check(source_id=source.pk, now=first + DAY)
    link = SourceLink.objects.get(source=source)
    assert link.status == LinkStatus.DEAD
    assert link.hard_failures == 2 and link.failing_since == first
    assert "HTTP 404" in link.last_error
    assert link.next_check_at > first + DAY


def test_two_404s_within_a_day_are_still_only_failing(
    private_feeds_allowed, feed_server, source_make
):
    source = source_make(feed_server.url("/gone"))
    first = timezone.now()

    link_check(source_id=source.pk, now=first)
    link_check(source_id=source.pk, now=first + dt.timedelta(hours=23))

    assert status_of(source) == LinkStatus.FAILING


def test_a_410_and_an_unknown_host_count_towards_dead(
    private_feeds_allowed, feed_server, source_make, monkeypatch
):
    from tracker.news import fetch

    real_resolve = fetch.system_resolve

    def no_such_host(host, port):
        # The internet's answer for a name that does not exist.
        if host.endswith(".invalid"):
            raise fetch.FeedNetworkError(f"Cannot resolve host {host!r}: not known")
        return real_resolve(host, port)

    monkeypatch.setattr(fetch, "system_resolve", no_such_host)
    gone = source_make(feed_server.route("/removed", status=410))
    nowhere = source_make("https://no-such-host.invalid/story")
    first = timezone.now()

    for source in (gone, nowhere):
        link_check(source_id=source.pk, now=first)
        link_check(source_id=source.pk, now=first + DAY)

    assert status_of(gone) == LinkStatus.DEAD
    assert status_of(nowhere) == LinkStatus.DEAD


def test_server_errors_never_make_a_link_dead(
    private_feeds_allowed, feed_server, source_make
):
    source = source_make(feed_server.route("/flaky", status=503))
    first = timezone.now()

    for day in range(3):
        link_check(source_id=source.pk, now=first + day * DAY)

    assert status_of(source) == LinkStatus.FAILING
    assert not LinkCheck.objects.filter(source=source, hard=True).exists()


def test_an_answer_between_failures_starts_the_count_again(
    private_feeds_allowed, feed_server, source_make
):
    url = feed_server.route("/sometimes", status=404)
    source = source_make(url)
    first = timezone.now()

    link_check(source_id=source.pk, now=first)
    feed_server.route("/sometimes", body=b"<html><body>back</body></html>")
    link_check(source_id=source.pk, now=first + DAY)
    feed_server.route("/sometimes", status=404)
    link_check(source_id=source.pk, now=first + 2 * DAY)

    assert status_of(source) == LinkStatus.FAILING
    assert SourceLink.objects.get(source=source).hard_failures == 1


def test_each_check_is_kept_as_history(private_feeds_allowed, feed_server, source_make):
    source = source_make(feed_server.url("/gone"))
    first = timezone.now()

    link_check(source_id=source.pk, now=first)
    link_check(source_id=source.pk, now=first + DAY)

    history = list(LinkCheck.objects.filter(source=source).order_by("checked_at"))
    assert [(c.ok, c.http_status, c.hard) for c in history] == [
        (False, 404, True),
        (False, 404, True),
    ]


def test_due_links_are_claimed_by_host_once(source_make):
    a1 = source_make("https://a.example/1")
    a2 = source_make("https://a.example/2")
    b1 = source_make("https://B.example/1")
    source_make("")

    first = links_claim()
    again = links_claim()

    assert first == {"a.example": [a1.pk, a2.pk], "b.example": [b1.pk]}
    assert again == {}


def test_a_retry_after_ends_the_hosts_run_and_puts_the_rest_off(
    private_feeds_allowed, feed_server, source_make
):
    sources = [
        source_make(
            feed_server.route(f"/busy{n}", status=429, headers={"Retry-After": "7200"})
        )
        for n in range(3)
    ]

    checked = links_check_for_host(source_ids=[s.pk for s in sources], pause=0)

    assert checked == 1
    assert len(feed_server.requests_to("/busy0")) == 1
    assert feed_server.requests_to("/busy1") == feed_server.requests_to("/busy2") == []
    soonest = timezone.now() + dt.timedelta(seconds=7000)
    for source in sources:
        assert SourceLink.objects.get(source=source).next_check_at > soonest


def test_one_host_is_asked_one_request_at_a_time(
    private_feeds_allowed, feed_server, source_make
):
    """The server counts requests in flight: a host's run never has two."""
    import threading
    import time

    from tests.news.conftest import Route

    in_flight, most = [0], [0]
    lock = threading.Lock()

    def counted(handler):
        with lock:
            in_flight[0] += 1
            most[0] = max(most[0], in_flight[0])
        time.sleep(0.1)
        with lock:
            in_flight[0] -= 1
        return Route(body=b"<html><body>fine</body></html>")

    sources = [
        source_make(feed_server.route(f"/counted{n}", handler=counted))
        for n in range(4)
    ]

    links_check_for_host(source_ids=[s.pk for s in sources], pause=0.05)

    assert most[0] == 1
    assert all(status_of(s) == LinkStatus.OK for s in sources)


def test_the_recheck_is_on_the_beat_schedule():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name="Recheck source links")

    assert task.task == "tracker.tasks.recheck_due_links"
    assert task.interval.every == 1 and task.interval.period == "hours"
    assert task.expire_seconds


def test_the_periodic_job_queues_one_task_per_host(
    private_feeds_allowed,
    feed_server,
    article_url,
    source_make,
    django_capture_on_commit_callbacks,
):
    from tracker.tasks import recheck_due_links

    source = source_make(article_url)

    with django_capture_on_commit_callbacks(execute=True):
        queued = recheck_due_links.delay().get()

    assert queued == {"127.0.0.1": 1}
    assert status_of(source) == LinkStatus.OK


def test_a_dead_source_leads_its_public_page_to_the_archived_passage(
    private_feeds_allowed, feed_server, article_url, source_make, cite, client
):
    """Issue 16's done-when: citing the page archives it; after two 404s a
    day apart it is dead, and the record's page links the archived copy,
    where the cited passage is highlighted."""
    source = source_make(article_url)
    production = cite(source, "is as essential as a stunt coordinator")
    snapshot_take(source_id=source.pk)
    feed_server.route("/story.html", status=404)
    first = timezone.now()
    link_check(source_id=source.pk, now=first)
    link_check(source_id=source.pk, now=first + DAY)
    assert status_of(source) == LinkStatus.DEAD

    record = client.get(reverse("web:production", args=[production.slug]))
    archive_url = reverse("web:source_archive", args=[source.slug])
    archive = client.get(archive_url)

    page = record.content.decode()
    assert "Original link dead" in page
    assert f'href="{archive_url}"' in page and "Read the archived copy" in page
    assert "Found in the archived copy" in page
    text = archive.content.decode()
    assert '<mark class="archive__passage"' in text
    assert "is as essential as a stunt coordinator</mark>" in text
    assert reverse("web:production", args=[production.slug]) in text
    assert "dead link" in text
