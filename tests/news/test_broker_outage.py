"""The broker goes down and comes back: a throwaway redis-server on a free
port, killed and restarted on the same port, between a real web server
(gunicorn), a real Celery worker and the scheduled refresh.

While it is down the web keeps answering and queuing a refresh fails fast
with a logged error; once it is back a refresh is queued and the worker,
which lived through the outage, runs it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import redis

from tests.conftest import services_required
from tests.news.conftest import FeedServer
from tests.news.sites import (
    ROOT,
    articles_of,
    feed_added,
    free_port,
    manage,
    process_stop,
    query,
    site_prepare,
    wait_for,
)

BIN = Path(sys.executable).parent

# Real worker processes against a real broker.
pytestmark = [pytest.mark.redis, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ThrowawayRedis:
    """A redis-server of its own, with nothing persisted, that a test may
    kill and start again on the same port."""

    def __init__(self, directory: Path):
        self.port = _free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return
            except redis.exceptions.ConnectionError:
                time.sleep(0.1)
        pytest.fail(f"redis-server did not start on port {self.port}.")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()


@pytest.fixture(scope="module")
def broker(tmp_path_factory):
    if not shutil.which("redis-server"):
        message = "redis-server is not installed; the broker outage is not tried."
        if services_required():
            pytest.fail(message)
        pytest.skip(message)
    server = ThrowawayRedis(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.kill()


@pytest.fixture(scope="module")
def site(broker, tmp_path_factory):
    """A migrated database with the demo data, and the environment every
    process of the site shares: the throwaway broker among it."""
    database = tmp_path_factory.mktemp("outage") / "tracker.sqlite3"
    port = free_port()
    env = site_prepare(database, broker.url, port, CELERY_TASK_ALWAYS_EAGER="0")
    return {"env": env, "database": database, "feed_port": port}


@pytest.fixture
def feed_server(site, settings):
    """The suite's feed server, on the one port the site's processes let
    through: their TRACKER_FETCH_PORTS is fixed when they start."""
    with FeedServer.running(port=site["feed_port"], settings=settings) as server:
        yield server


@pytest.fixture
def web(site, tmp_path):
    port = _free_port()
    log = (tmp_path / "web.log").open("w")
    process = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=site["env"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"

    def answering():
        try:
            return httpx.get(f"{base}/api/v1/summary/", timeout=2).is_success
        except httpx.HTTPError:
            return process.poll() is not None

    wait_for(answering, timeout=60, what="gunicorn")
    assert process.poll() is None, (tmp_path / "web.log").read_text()
    yield base
    process_stop(process)
    log.close()


@pytest.fixture
def worker(site, tmp_path):
    log_path = tmp_path / "worker.log"
    log = log_path.open("w")
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
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=site["env"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    wait_for(lambda: "ready." in log_path.read_text(), what="the worker to start")
    yield process
    process_stop(process)
    log.close()
    if os.environ.get("TRACKER_SHOW_WORKER_LOG"):
        print(log_path.read_text())


def due_feeds_refresh(site) -> tuple[str, float]:
    """The scheduled job's body, run in a process of its own as beat's
    worker would: claim the due feeds and queue their refreshes. Returns
    its log and how long it took."""
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from tracker.tasks import refresh_due_feeds; "
            "print('claimed', refresh_due_feeds())",
        ],
        cwd=ROOT,
        env=site["env"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout + done.stderr, time.monotonic() - started


def feed_due_now(site, feed_id) -> None:
    """Time passes: the claim lapses and the feed is due again."""
    manage(
        site,
        "shell",
        "-c",
        "import datetime as dt; from django.utils import timezone; "
        "from tracker.models import Feed; "
        f"Feed.objects.filter(pk={feed_id}).update("
        "next_fetch_at=timezone.now() - dt.timedelta(minutes=1))",
    )


def test_the_web_serves_and_refreshes_resume_across_a_broker_outage(
    broker, site, web, worker, feed_server, feed_file
):
    body = feed_file("rss2.xml").replace(b"trade.example", b"outage.example")
    feed_id = feed_added(site, feed_server.route("/outage", body=body))
    manage(
        site,
        "shell",
        "-c",
        "from tracker.models import Feed; "
        f"Feed.objects.exclude(pk={feed_id}).update(active=False)",
    )

    # Given the broker is down
    broker.kill()

    # the web keeps serving the case page and the API
    with httpx.Client(base_url=web, timeout=10) as client:
        for path in ("/", "/api/v1/productions/?ic_status=used"):
            started = time.monotonic()
            answer = client.get(path)
            assert answer.status_code == 200, (path, answer.text[:300])
            assert time.monotonic() - started < 5, f"{path} waited on the broker"

    # and queuing a refresh fails fast, with the reason logged
    log, took = due_feeds_refresh(site)
    assert took < 30, f"queuing hung for {took:.0f} s with the broker down"
    assert "Broker unreachable; refresh not queued for feed(s) " in log, log
    assert str(feed_id) in log.split("Broker unreachable", 1)[1]
    assert articles_of(site, feed_id) == []
    # The feed stays claimed, so the schedule does not retry it in a loop.
    log, _ = due_feeds_refresh(site)
    assert "claimed []" in log, log

    # When the broker returns, on the same port
    broker.start()
    feed_due_now(site, feed_id)
    log, _ = due_feeds_refresh(site)

    # the refresh is queued, and the worker that lived through the outage
    # runs it
    assert f"claimed [{feed_id}]" in log and "Broker unreachable" not in log, log
    wait_for(
        lambda: len(articles_of(site, feed_id)) == 2,
        timeout=90,
        what="the worker to refresh the feed after the outage",
    )
    assert worker.poll() is None
    ((status,),) = query(
        site, "SELECT last_status FROM tracker_feed WHERE id = ?", feed_id
    )
    assert status == "ok"
