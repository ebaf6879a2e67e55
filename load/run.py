"""`make load`: the public API under production settings, on PostgreSQL
with the cache in Redis (CACHE_URL, default redis://127.0.0.1:6379/1),
behind gunicorn, driven by 64 locust clients for 30 s.

    python -m load.run [--clients 64] [--duration 30s] [--productions 50000]
                       [--workers N] [--markdown docs/reliability.md]

It creates the database if missing, migrates, loads the demo data and the
deterministic benchmark dataset (bench/generate.py), collects the static
files, starts gunicorn on a free port of 127.0.0.1, runs locust headless
from a second process, prints requests/s, p50, p99 and the error count and
exits non-zero on any error. gunicorn is stopped however the run ends.
"""

import argparse
import csv
import datetime as dt
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
OUT = ROOT / "var" / "load"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tracker_load"
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/1"
TABLE_START = "<!-- load:result:start -->"
TABLE_END = "<!-- load:result:end -->"


def _parse(argv):
    parser = argparse.ArgumentParser(prog="python -m load.run", description=__doc__)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--duration", default="30s", help="locust's --run-time")
    parser.add_argument(
        "--productions",
        type=int,
        default=50_000,
        help="generated productions (3 credits and a citation each)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * (os.cpu_count() or 1) + 1,
        help="gunicorn workers (default: 2 per core + 1, gunicorn's advice)",
    )
    parser.add_argument(
        "--markdown", default="", help="a Markdown file whose result to replace"
    )
    return parser.parse_args(argv)


def _database_ensure(url: str) -> None:
    """Create the database named in `url` if the server lacks it."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        sys.exit(f"make load runs on PostgreSQL; DATABASE_URL is {url!r}.")
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=10) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}.")


def _environment(database_url: str) -> dict[str, str]:
    """Production settings as a deployment would set them, with the three
    differences a loopback load run needs, each named here."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": database_url,
        # Production refuses a per-process cache; the throttle and counts
        # of all gunicorn workers meet in Redis.
        "CACHE_URL": os.environ.get("CACHE_URL", DEFAULT_CACHE_URL),
        # A fresh key per run: nothing signed outlives it.
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain http on loopback: no TLS terminator to redirect to.
        "SECURE_SSL_REDIRECT": "off",
        # 64 clients from one address would be throttled within a second;
        # the run measures the server, not the throttle.
        "API_ANON_RATE": "1000000/s",
        # Persistent connections, as a real deployment would configure.
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def _data_prepare(productions: int) -> dict[str, int]:
    """Migrate, load the demo data, grow the generated dataset to
    `productions` (idempotent: a second run adds nothing) and collect the
    static files. Runs in this process under the production settings."""
    import django

    django.setup()
    from django.core.management import call_command

    from bench.generate import Plan, grow

    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    # The people, networks and sources are sized for 100k productions at
    # scale 1, so the scale follows the production count.
    scale = productions / 100_000
    started = time.monotonic()
    added = grow(productions, scale=scale)
    if added:
        print(f"Generated {added} productions in {time.monotonic() - started:.0f} s.")
    call_command("collectstatic", "--noinput", verbosity=0)
    plan = Plan.at(scale)
    return {
        "productions": productions,
        "people": plan.people,
        "networks": plan.networks,
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_ready(base: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode} before answering.")
        try:
            with urllib.request.urlopen(f"{base}/api/v1/summary/", timeout=5) as r:  # noqa: S310  # nosec B310
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    sys.exit(f"gunicorn did not answer {base} within {timeout:.0f} s.")


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _aggregate(stats_csv: Path) -> dict:
    with stats_csv.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                return {
                    "requests": int(row["Request Count"]),
                    "errors": int(row["Failure Count"]),
                    "requests_per_s": float(row["Requests/s"]),
                    "p50_ms": float(row["50%"]),
                    "p99_ms": float(row["99%"]),
                }
    sys.exit(f"No aggregated row in {stats_csv}.")


def _markdown_update(path: Path, result: dict) -> None:
    text = path.read_text()
    if TABLE_START not in text or TABLE_END not in text:
        sys.exit(f"{path} has no {TABLE_START} ... {TABLE_END} block.")
    head, rest = text.split(TABLE_START, 1)
    _, tail = rest.split(TABLE_END, 1)
    block = (
        "| when | clients | duration | data | requests/s | p50 | p99 | requests "
        "| errors |\n|---|---|---|---|---|---|---|---|---|\n"
        f"| {result['when']} | {result['clients']} | {result['duration']} "
        f"| {result['data']['productions']} productions "
        f"| {result['requests_per_s']:.1f} | {result['p50_ms']:.0f} ms "
        f"| {result['p99_ms']:.0f} ms | {result['requests']} | {result['errors']} |\n"
        f"\n{result['machine']}\n"
    )
    path.write_text(f"{head}{TABLE_START}\n{block}{TABLE_END}{tail}")


def main(argv=None) -> int:
    args = _parse(argv)
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    _database_ensure(database_url)
    env = _environment(database_url)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    data = _data_prepare(args.productions)

    OUT.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = None

    # SIGTERM (a CI timeout, kill) ends the run through the finally below,
    # like Ctrl-C does, so gunicorn never outlives it.
    def _terminated(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminated)
    try:
        server = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--error-logfile",
                str(OUT / "gunicorn.log"),
            ],
            cwd=ROOT,
            env=env,
        )
        _wait_ready(base, server)
        print(
            f"gunicorn ({args.workers} workers, production settings) on {base}; "
            f"{args.clients} clients for {args.duration}..."
        )
        prefix = OUT / "locust"
        locust = subprocess.run(  # noqa: S603
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "load" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.clients),
                "--spawn-rate",
                str(args.clients),
                "--run-time",
                args.duration,
                "--host",
                base,
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={
                **env,
                "TRACKER_LOAD_PRODUCTIONS": str(data["productions"]),
                "TRACKER_LOAD_PEOPLE": str(data["people"]),
                "TRACKER_LOAD_NETWORKS": str(data["networks"]),
            },
            check=False,
        )
        if server.poll() is not None:
            sys.exit(f"gunicorn died during the run (exit {server.returncode}).")
    except KeyboardInterrupt:
        print("Interrupted; stopping gunicorn.", file=sys.stderr)
        return 130
    finally:
        _stop(server)

    result = _aggregate(Path(f"{prefix}_stats.csv")) | {
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "clients": args.clients,
        "duration": args.duration,
        "workers": args.workers,
        "data": data,
        "machine": (
            f"{os.cpu_count()} CPU cores, gunicorn {args.workers} sync workers, "
            f"PostgreSQL, commit {_commit()}"
        ),
    }
    (OUT / "result.json").write_text(json.dumps(result, indent=2))
    print(
        f"\n{result['requests_per_s']:.1f} requests/s, p50 {result['p50_ms']:.0f} ms, "
        f"p99 {result['p99_ms']:.0f} ms, {result['errors']} errors "
        f"({result['requests']} requests, {args.clients} clients, {args.duration})"
    )
    if args.markdown:
        _markdown_update(ROOT / args.markdown, result)
    if result["errors"] or locust.returncode:
        print(
            f"FAILED: {result['errors']} errors (locust exit {locust.returncode}); "
            f"see {prefix}_failures.csv and {OUT / 'gunicorn.log'}.",
            file=sys.stderr,
        )
        return 1
    return 0


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    return done.stdout.strip() or "unknown"


if __name__ == "__main__":
    sys.exit(main())
