"""A real Celery worker process consuming refreshes from Redis.

The worker runs with its own settings process and database file, exactly as
`make run` would run it against Redis; the test talks to it only through
the broker, the database and the local feed server.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from celery import Celery

from tests.conftest import services_required
from tests.news.conftest import FeedServer, Route
from tests.news.sites import (
    ROOT,
    articles_of,
    feed_added,
    free_port,
    process_stop,
    query,
    site_prepare,
    wait_for,
)

# Celery lets the CELERY_BROKER_URL environment variable override an app's
# own broker, so when CI sets it to Redis the test must use that same one.
_broker = os.environ.get("CELERY_BROKER_URL", "")
REDIS_URL = os.environ.get("TRACKER_TEST_REDIS_URL") or (
    _broker if _broker.startswith("redis://") else "redis://127.0.0.1:6379/2"
)
BIN = Path(sys.executable).parent

# Real worker processes against a real broker.
pytestmark = [pytest.mark.redis, pytest.mark.slow]


@pytest.fixture(scope="module")
def redis_broker():
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        message = f"Redis is not reachable at {REDIS_URL}: {exc}"
        if services_required():
            pytest.fail(message)
        pytest.skip(message)
    return client


@pytest.fixture(scope="module")
def worker_site(redis_broker, tmp_path_factory):
    """A migrated database with the demo data and the environment a worker
    process needs."""
    database = tmp_path_factory.mktemp("worker") / "tracker.sqlite3"
    queue = f"news-test-{uuid.uuid4().hex[:8]}"
    port = free_port()
    env = site_prepare(database, REDIS_URL, port)
    return {"env": env, "database": database, "queue": queue, "feed_port": port}


@pytest.fixture
def feed_server(worker_site, settings):
    """The suite's feed server, on the one port the site's processes let
    through: their TRACKER_FETCH_PORTS is fixed when they start."""
    with FeedServer.running(port=worker_site["feed_port"], settings=settings) as server:
        yield server


@pytest.fixture
def worker(worker_site, tmp_path):
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            worker_site["queue"],
            "-n",
            f"{worker_site['queue']}@%h",
        ],
        cwd=ROOT,
        env=worker_site["env"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield process
    process_stop(process)
    log.close()
    if os.environ.get("TRACKER_SHOW_WORKER_LOG"):
        print((tmp_path / "worker.log").read_text())


def task_send(site, name, *args) -> str:
    client = Celery(broker=REDIS_URL)
    try:
        return client.send_task(name, args=list(args), queue=site["queue"]).id
    finally:
        client.close()


def test_a_worker_consumes_a_refresh_from_redis(
    worker, worker_site, feed_server, feed_file, tmp_path
):
    feed_id = feed_added(
        worker_site, feed_server.route("/rss", body=feed_file("rss2.xml"))
    )

    task_id = task_send(worker_site, "tracker.tasks.refresh_feed", feed_id)

    wait_for(lambda: len(articles_of(worker_site, feed_id)) == 2, what="two articles")
    ((status, failures),) = query(
        worker_site,
        "SELECT last_status, consecutive_failures FROM tracker_feed WHERE id = ?",
        feed_id,
    )
    assert (status, failures) == ("ok", 0)
    matched = {
        row[0]
        for row in query(
            worker_site,
            "SELECT alias FROM tracker_articlematch m JOIN tracker_articlesighting s "
            "ON s.article_id = m.article_id WHERE s.feed_id = ?",
            feed_id,
        )
    }
    assert {"Michaela Coel", "Ita O'Brien", "BAFTA"} <= matched
    # The worker logs in the shared format, its task's lines naming the task.
    wait_for(
        lambda: (
            f"[request - task {task_id}] Task tracker.tasks.refresh_feed"
            in (tmp_path / "worker.log").read_text()
        ),
        what="the task's log line",
    )


def test_a_worker_killed_mid_refresh_loses_and_duplicates_nothing(
    worker, worker_site, feed_server, feed_file
):
    """The pool process is SIGKILLed while the feed is being fetched; the
    late-acknowledged task is redelivered and stores each article once."""
    body = feed_file("rss2.xml").replace(b"trade.example", b"killed.example")
    calls = []

    def slow_first_time(handler):
        calls.append(time.monotonic())
        if len(calls) == 1:
            time.sleep(8)
        return Route(body=body)

    feed_id = feed_added(
        worker_site, feed_server.route("/slow", handler=slow_first_time)
    )
    task_send(worker_site, "tracker.tasks.refresh_feed", feed_id)
    wait_for(lambda: calls, what="the first fetch")

    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text()
    (child,) = [int(pid) for pid in children.split()]
    os.kill(child, signal.SIGKILL)

    wait_for(lambda: len(calls) >= 2, what="the redelivered fetch")
    wait_for(lambda: len(articles_of(worker_site, feed_id)) == 2, what="the articles")
    time.sleep(1)
    rows = articles_of(worker_site, feed_id)
    assert sorted(rows) == [
        ("https://killed.example/news/box-office",),
        ("https://killed.example/news/coel-bafta",),
    ]
    duplicates = query(
        worker_site,
        "SELECT article_id, person_id, organization_id, production_id, COUNT(*) "
        "FROM tracker_articlematch GROUP BY 1, 2, 3, 4 HAVING COUNT(*) > 1",
    )
    assert duplicates == []
    assert worker.poll() is None, "the worker itself survives its pool process"
