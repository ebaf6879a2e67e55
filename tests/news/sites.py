"""A tracker site run as separate processes, for the tests that need real
workers and brokers: its database file, its environment, and the helpers
that talk to it from outside (manage.py, SQL, waiting)."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def site_prepare(
    database: Path, broker_url: str, feed_port: int, **extra_env: str
) -> dict:
    """Migrate `database`, load the demo data, and return the environment
    every process of the site (web, worker, manage.py) runs with; its
    fetcher lets `feed_port` through, for a local feed server there."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{database}",
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": "django-db",
        "TRACKER_ALLOW_PRIVATE_FEEDS": "1",
        "TRACKER_FETCH_PORTS": f"80,443,8080,8443,{feed_port}",
        "PYTHONUNBUFFERED": "1",
        **extra_env,
    }
    for command in (["migrate", "--noinput"], ["load_demo_data"]):
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=180,
        )
    return env


def process_stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def manage(site, *args) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=site["env"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.stdout


def query(site, sql, *params):
    with sqlite3.connect(site["database"], timeout=20) as db:
        return db.execute(sql, params).fetchall()


def wait_for(condition, timeout=60, what="the worker"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"Timed out after {timeout} s waiting for {what}.")


def feed_added(site, url) -> int:
    output = manage(site, "add_feed", url, "--name", f"Local {uuid.uuid4().hex[:6]}")
    return int(output.split("Added feed ", 1)[1].split(":", 1)[0])


def articles_of(site, feed_id):
    return query(
        site,
        "SELECT a.canonical_url FROM tracker_newsarticle a JOIN "
        "tracker_articlesighting s ON s.article_id = a.id WHERE s.feed_id = ?",
        feed_id,
    )
