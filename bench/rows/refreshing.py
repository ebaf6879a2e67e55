"""Row 6: refreshing many feeds as production does, Celery worker processes
on a real broker, against `refresh_news` taking them one after another."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from celery import Celery
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from bench.news_data import news_clear, rss_generate, served
from bench.registry import Context, Outcome, row
from bench.timing import Timings
from tracker.models import ArticleMatch, ArticleSighting, Feed, NewsArticle
from tracker.news.match_store import matcher_get

ROOT = Path(__file__).resolve().parent.parent.parent
# Worker processes of the one Celery worker: refreshes wait on the network
# most of the time, so a feed worker runs many more than it has cores
# (docs/performance.md says how production should run it).
WORKER_CONCURRENCY = 16
SQLITE_CONCURRENCY = 4
QUEUE = f"bench-refresh-{os.getpid()}"
# The local feed server's port, let through the fetcher's port list.
SERVER_PORT = [0]

LATENCY = 0.1
LAST_MODIFIED = "Mon, 02 Mar 2026 10:00:00 GMT"


class _FeedHandler(BaseHTTPRequestHandler):
    server: SlowFeedServer

    def log_message(self, *args):
        pass

    def do_GET(self):
        time.sleep(self.server.latency)
        body = self.server.body(self.path)
        etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
        if (
            self.headers.get("If-None-Match") == etag
            or self.headers.get("If-Modified-Since") == LAST_MODIFIED
        ):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", LAST_MODIFIED)
        self.end_headers()
        self.wfile.write(body)


class SlowFeedServer(ThreadingHTTPServer):
    """Every feed answers after `latency` seconds, honouring ETag and
    Last-Modified, like a distant news site."""

    daemon_threads = True
    # Dozens of connections arrive at once; the default backlog of 5 would
    # drop some and add TCP retransmission waits to the figures.
    request_queue_size = 256

    def __init__(self, items: int, latency: float = LATENCY):
        super().__init__(("127.0.0.1", 0), _FeedHandler)
        self.items, self.latency = items, latency
        self.bodies: dict[str, bytes] = {}
        self.lock = threading.Lock()

    def body(self, path: str) -> bytes:
        with self.lock:
            if path not in self.bodies:
                name = path.strip("/").replace("/", "-") or "feed"
                self.bodies[path] = rss_generate(name, self.items, summary_words=40)
            return self.bodies[path]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


def _rows_written(since: dt.datetime, counts_before: tuple) -> int:
    """Article, sighting and match rows added, removed or changed since."""
    changed = (
        NewsArticle.objects.filter(updated_at__gte=since).count()
        + ArticleMatch.objects.filter(updated_at__gte=since).count()
    )
    return changed + sum(
        abs(a - b) for a, b in zip(_news_counts(), counts_before, strict=True)
    )


def _news_counts() -> tuple:
    return (
        NewsArticle.objects.count(),
        ArticleSighting.objects.count(),
        ArticleMatch.objects.count(),
        ArticleMatch.history.model.objects.count(),
    )


def _feeds_make(server: SlowFeedServer, count: int, run: int) -> list[int]:
    Feed.objects.bulk_create(
        Feed(url=server.url(f"/run{run}/feed{n}"), name=f"feed {n}")
        for n in range(count)
    )
    return list(
        Feed.objects.filter(url__contains=f"/run{run}/")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _broker() -> tuple[str, dict, str, str]:
    """Redis where CELERY_BROKER_URL names one that answers, otherwise the
    filesystem broker in a directory of this run's own."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    if url.startswith(("redis://", "rediss://")):
        import redis

        try:
            client = redis.Redis.from_url(url, socket_connect_timeout=2)
            client.ping()
            return url, {}, "redis", ""
        except redis.exceptions.RedisError:
            pass
    folder = Path(tempfile.mkdtemp(prefix="bench-broker-", dir=ROOT / "var"))
    options = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "control_folder": str(folder / "control"),
        "processed_folder": str(folder / "processed"),
        "store_processed": False,
        # The transport polls its folder; at its default of 1 s the
        # polling, not the refresh, would be what row 6 measures.
        "polling_interval": 0.05,
    }
    for name in ("data_folder_in", "control_folder", "processed_folder"):
        Path(options[name]).mkdir(parents=True, exist_ok=True)
    return "filesystem://", options, "filesystem", str(folder)


@contextmanager
def celery_workers(broker_url: str, broker_folder: str, concurrency: int):
    """One `celery worker` (prefork, `concurrency` processes) on the bench
    database and the given broker, as `make run` starts one; stopped on
    exit."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "CELERY_BROKER_URL": broker_url,
        "BENCH_BROKER_FOLDER": broker_folder,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        # The run's own queue, so a shared Redis database mixes nothing.
        "BENCH_QUEUE": QUEUE,
        "TRACKER_ALLOW_PRIVATE_FEEDS": "1",
        "TRACKER_FETCH_PORTS": ",".join(str(port) for port in _ports()),
        "DATABASE_URL": _database_url(),
    }
    log_path = ROOT / "var" / "bench-worker.log"
    log = log_path.open("w")
    # Our own interpreter's celery, no shell.
    process = subprocess.Popen(  # noqa: S603  # nosec B603
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"bench-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings["USER"] or ""
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return (
        f"postgres://{user}{password}@{settings['HOST'] or '127.0.0.1'}{port}/"
        f"{settings['NAME']}"
    )


def _due_refresh_through_celery(producer: Celery, ids: list[int]) -> float:
    """What beat does every five minutes: queue refresh_due_feeds, which
    claims the due feeds and fans out one refresh_feed each; seconds until
    every feed in `ids` has been checked."""
    since = timezone.now()
    start = time.perf_counter()
    producer.send_task("tracker.tasks.refresh_due_feeds", queue=QUEUE)
    deadline = start + 600
    while time.perf_counter() < deadline:
        done = Feed.objects.filter(pk__in=ids, last_checked_at__gte=since).count()
        if done == len(ids):
            return time.perf_counter() - start
        time.sleep(0.05)
    raise RuntimeError(
        f"the Celery refresh did not finish in 600 s ({done}/{len(ids)} feeds; "
        "see var/bench-worker.log)"
    )


def _workers_ready(producer: Celery, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if producer.control.ping(timeout=1.0):
            return
    raise RuntimeError("the Celery worker did not answer (see var/bench-worker.log)")


def _ports() -> list[int]:
    """The fetcher's ports and the local feed server's."""
    return [*settings.TRACKER_FETCH_PORTS, SERVER_PORT[0]]


def _refresh_news() -> dict:
    """`manage.py refresh_news`, the command users run, in this process."""
    out = io.StringIO()
    with override_settings(
        TRACKER_ALLOW_PRIVATE_FEEDS=True, TRACKER_FETCH_PORTS=_ports()
    ):
        call_command("refresh_news", "--json", stdout=out)
    return json.loads(out.getvalue())["totals"]


@row(
    "6",
    what="refreshing 200 feeds served on 127.0.0.1, 100 ms latency each, "
    "through Celery workers",
    against="`refresh_news` in one process, one feed after another",
    goal="wall time <= 1/10 of sequential; a second refresh (all 304) writes 0 rows",
)
def feeds_refreshing(ctx: Context) -> Outcome:
    # Its cost is waiting, not data: the full 200 feeds from scale 0.1 on.
    count = max(20, min(200, int(2000 * ctx.scale)))
    items = 10
    repeats = 1 if ctx.scale < 0.01 else min(ctx.repeats, 2)
    timings = {"celery": Timings(), "sequential": Timings()}
    server = SlowFeedServer(items)
    SERVER_PORT[0] = server.server_address[1]
    broker_url, options, broker, folder = _broker()
    # Enough processes that the 100 ms waits overlap, no more than the
    # feeds can use (starting one costs a second of CPU here).
    concurrency = max(2, min(WORKER_CONCURRENCY, count // 10))
    if connection.vendor == "sqlite":
        # SQLite takes one writer at a time: more processes only queue on
        # its lock and, on a loaded machine, outwait its 20 s timeout.
        concurrency = min(concurrency, SQLITE_CONCURRENCY)
    failed = {"celery": 0, "sequential": 0}
    producer = Celery("bench", broker=broker_url)
    producer.conf.broker_transport_options = options
    run = 0
    try:
        with (
            served(server),
            celery_workers(broker_url, folder, concurrency),
        ):
            _workers_ready(producer)
            # Both sides start with the automaton of names built: the worker
            # built it before forking its processes (tracker.tasks
            # matcher_preload), and this process builds it here, outside
            # the timings, as refresh_news would on its first feed.
            matcher_get()
            for _ in range(repeats):
                for side in ("sequential", "celery"):
                    news_clear()
                    run += 1
                    ids = _feeds_make(server, count, run)
                    if side == "celery":
                        took = _due_refresh_through_celery(producer, ids)
                    else:
                        start = time.perf_counter()
                        _refresh_news()
                        took = time.perf_counter() - start
                    timings[side].samples.append(took)
                    ok = Feed.objects.filter(pk__in=ids, last_status="ok").count()
                    stored = NewsArticle.objects.count()
                    # A failed feed is recorded on it, as in production;
                    # the row reports it rather than stopping the run.
                    failed[side] += count - ok
                    if ok == count and stored != count * items:
                        raise RuntimeError(
                            f"the {side} refresh stored {stored} of "
                            f"{count * items} articles"
                        )
                    if side == "celery":
                        celery_ids = ids
            # The last run went through Celery: its feeds again, all due,
            # all answering 304.
            Feed.objects.filter(pk__in=celery_ids).update(next_fetch_at=None)
            counts = _news_counts()
            since = timezone.now()
            second_s = _due_refresh_through_celery(producer, celery_ids)
            written = _rows_written(since, counts)
            not_modified = Feed.objects.filter(
                pk__in=celery_ids, last_status="not_modified"
            ).count()
    finally:
        producer.close()
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
    news_clear()
    celery, sequential = timings["celery"].p50, timings["sequential"].p50
    ratio = celery / sequential
    floors = RefreshFloors(
        feeds=count,
        sequential=sequential,
        cores=os.cpu_count() or 1,
        processes=concurrency,
        sqlite=connection.vendor == "sqlite",
    )
    met = (
        ratio <= 0.1
        and written == 0
        and not_modified == count
        and not any(failed.values())
    )
    failures = (
        f"; feeds failed: {failed['celery']} through Celery, "
        f"{failed['sequential']} in refresh_news (recorded on each feed)"
        if any(failed.values())
        else ""
    )
    return Outcome(
        summary=(
            f"{count} feeds in {celery:.2f} s through a Celery worker "
            f"({concurrency} processes, {broker} broker) vs {sequential:.2f} s "
            f"for refresh_news ({ratio:.3f} of it); second refresh "
            f"{not_modified}/{count} not modified, {written} rows written "
            f"({second_s:.2f} s){failures}"
        ),
        figures={
            "feeds": count,
            "items_per_feed": items,
            "latency_ms": LATENCY * 1000,
            "broker": broker,
            "worker_concurrency": concurrency,
            "celery_p50_s": round(celery, 3),
            "sequential_p50_s": round(sequential, 3),
            "celery_over_sequential": round(ratio, 4),
            "second_refresh_s": round(second_s, 3),
            "second_refresh_not_modified": not_modified,
            "second_refresh_rows_written": written,
            "runs_per_side": repeats,
            "work_beyond_waits_s": round(floors.work, 3),
            "cpu_floor_s": round(floors.cores_floor, 3),
            "process_floor_s": round(floors.processes_floor, 3),
            "feeds_failed": failed,
        },
        met=met,
        note="" if met else floors.why(celery),
    )


@dataclass(frozen=True)
class RefreshFloors:
    """The least time any refresh of these feeds can take through a worker
    with this many processes on this many cores, from what refresh_news
    spent on them one after another."""

    feeds: int
    sequential: float
    cores: int
    processes: int
    # Whether the worker's processes were capped for SQLite's one writer.
    sqlite: bool = False

    @property
    def waits(self) -> float:
        return self.feeds * LATENCY

    @property
    def work(self) -> float:
        """What refresh_news spent beyond the feeds' waits: the work itself
        (parsing, storing and matching, all CPU)."""
        return max(0.0, self.sequential - self.waits)

    @property
    def cores_floor(self) -> float:
        """The work spread over every core."""
        return self.work / self.cores

    @property
    def processes_floor(self) -> float:
        """A prefork process takes one feed at a time, its wait then its
        work: every feed's wait and work spread over the processes."""
        return (self.waits + self.work) / self.processes

    def why(self, celery: float) -> str:
        floor = max(self.cores_floor, self.processes_floor)
        tenth = self.sequential / 10
        by_cores = self.cores_floor >= self.processes_floor
        binding = (
            f"the work spread over the {self.cores} cores ({self.cores_floor:.1f} "
            f"s), more than every feed's wait and work spread over the "
            f"{self.processes} processes ({self.processes_floor:.1f} s)"
            if by_cores
            else f"every feed's wait and work spread over the {self.processes} "
            f"processes, each taking one feed at a time ({self.processes_floor:.1f} "
            f"s), more than the work spread over the {self.cores} cores "
            f"({self.cores_floor:.1f} s)"
        )
        if by_cores:
            needs = (
                f"1/10 needs at most {tenth * self.cores / self.feeds * 1000:.0f} "
                f"ms of work per feed on {self.cores} cores, and each took "
                f"{self.work / self.feeds * 1000:.0f} ms"
            )
        else:
            needs = (
                f"1/10 needs at least {math.ceil((self.waits + self.work) / tenth)} "
                f"processes, and the worker ran {self.processes}"
            )
        sqlite = (
            f" On SQLite the worker runs at most {SQLITE_CONCURRENCY} processes, "
            "since every refresh ends in a write and SQLite takes one writer at "
            "a time."
            if self.sqlite
            else ""
        )
        return (
            "The network waits overlap across the worker's processes, but the "
            "work on each feed (parsing with feedparser, storing and matching "
            "through the ORM, the task round trip through the broker) is CPU "
            f"time. Here refresh_news spent {self.work:.1f} s beyond the "
            f"{self.waits:.0f} s of waits, so the floor is {binding}: "
            f"{floor:.1f} s ({floor / self.sequential:.2f} of sequential) "
            f"against {celery:.1f} s through Celery; {needs}.{sqlite}"
        )
