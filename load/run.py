"""`make load`: the public API under production settings, on PostgreSQL
with the cache in Redis (CACHE_URL, default redis://127.0.0.1:6379/1),
behind gunicorn, driven by 64 locust clients for 30 s per mix: the API
and HTML mixes with records drawn uniformly (the worst case for the cache,
the headline figures), /healthz (the limit), then the same two mixes with
records drawn by popularity (a Zipf law, as real readers ask).

    python -m load.run [--clients 64] [--duration 30s] [--productions 50000]
                       [--workers N] [--markdown docs/reliability.md]

It creates the database if missing, migrates, loads the demo data and the
deterministic benchmark dataset (bench/generate.py), collects the static
files, starts gunicorn on a free port of 127.0.0.1, runs locust headless
from a second process, prints requests/s, p50, p99 and the error count and
exits non-zero on any error. gunicorn is stopped however the run ends.

Each mix starts from a cold cache (the data version is changed, as any
write would) and has its own warm-up, whose figures are printed beside the
measured ones, so no mix is helped by what another left in the cache.
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
    parser.add_argument(
        "--duration", default="30s", help="locust's --run-time, per mix"
    )
    parser.add_argument(
        "--warmup",
        default="10s",
        help="an unmeasured run of each mix first (0s for none)",
    )
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
        "--markdown",
        action="append",
        default=[],
        help="a Markdown file whose result block to replace (repeatable)",
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


def _responses_kept() -> int:
    """How many whole responses the shared cache holds rendered under the
    current data version: tracker.middleware.PublicCacheMiddleware keeps one
    per URL and format, with the version it was rendered under. Each mix
    starts by changing the version and nothing else writes during a run, so
    these are the requests the mix had rendered rather than answered from
    the cache (an entry lives RESPONSE.ttl, longer than a warm-up and a mix
    together)."""
    from django.core.cache import cache

    from tracker.caching import data_version, response_key

    version = data_version()
    # Django's Redis backend offers no key listing; its client does.
    backend = cache._cache
    client = backend.get_client()
    keys = list(client.scan_iter(match=cache.make_key(response_key("*")), count=1000))
    kept = 0
    for start in range(0, len(keys), 200):
        for raw in client.mget(keys[start : start + 200]):
            if raw is not None and backend._serializer.loads(raw)[0] == version:
                kept += 1
    return kept


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


# The mixes, in the order they run and are printed: (locust user class,
# label). /healthz runs between the uniform and the popular mixes, so on a
# machine whose load drifts it is measured nearest to both.
MIXES = (
    ("PublicReader", "API mix, uniform"),
    ("PageReader", "HTML pages mix, uniform"),
    ("TrivialView", "trivial view (/healthz)"),
    ("CachedReader", "cached answers only (both mixes, 10 records of each kind)"),
    ("PopularPublicReader", "API mix, popular (Zipf)"),
    ("PopularPageReader", "HTML pages mix, popular (Zipf)"),
)
LIMIT = "TrivialView"
# What the mixes would reach with nothing to render: a reference, with no
# goal of its own, that the written reasons compare against.
CACHED = "CachedReader"
POPULAR = ("PopularPublicReader", "PopularPageReader")
# The goals of issue 18: each mix at least half the trivial view's
# throughput, and a tail no longer than three medians.
RATIO_GOAL = 0.5
TAIL_GOAL = 3.0
# The run-to-run noise of a ratio on a shared 2-core machine is about
# 0.05-0.1: cached answers at 0.9 of /healthz or more run at its speed.
CACHED_AT_LIMIT = 0.9


def _why(name: str, mix: dict, cached: dict) -> str:
    """The written reason a mix misses its ratio, from its own figures and
    the cached-answers mix of the same run."""
    drawn = (
        "draws records and filters by a Zipf law over every generated "
        "record, whose long tail still holds most distinct records asked for "
        "in one run"
        if name in POPULAR
        else "draws record pages uniformly from every generated record, far "
        "more than one run can ask twice"
    )
    # Cached answers near the trivial view's speed leave the renders as
    # the whole gap; well below it, the cache's own path is part of it.
    gap = (
        "so the gap is the renders"
        if cached["ratio"] >= CACHED_AT_LIMIT
        else "so the cache's own answers are part of the gap, the renders the rest"
    )
    return (
        f"{mix['rendered']} of its {mix['requests']} requests "
        f"({mix['rendered_share']:.0%}) asked for a URL the cache did not hold yet, "
        "so the view rendered it; the rest came from the cache. The same "
        f"requests answered from the cache alone ran at {cached['ratio']:.2f} "
        f"of /healthz in this run, {gap}. The mix {drawn}."
    )


def _table(result: dict) -> str:
    rows = [
        "| mix | requests/s | ratio to /healthz | p50 | p99 | p99 / p50 "
        "| requests | rendered afresh | errors | warm-up before it |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, label in MIXES:
        mix = result["mixes"][name]
        warmup = mix.get("warmup")
        warmed = (
            f"{warmup['requests']} requests, {warmup['rendered']} rendered"
            if warmup
            else "none"
        )
        rows.append(
            f"| {label} | {mix['requests_per_s']:.1f} | {mix['ratio']:.2f} "
            f"| {mix['p50_ms']:.0f} ms | {mix['p99_ms']:.0f} ms "
            f"| {mix['tail']:.1f} | {mix['requests']} "
            f"| {mix['rendered']} ({mix['rendered_share']:.0%}) | {mix['errors']} "
            f"| {warmed} |"
        )
    return (
        "\n".join(rows) + f"\n\n{result['when']}: {result['clients']} clients, "
        f"{result['duration']} per mix, each from a cold cache after a "
        f"{result['warmup']} warm-up of its own, "
        f"{result['data']['productions']} productions. {result['machine']}; "
        f"load average {result['load_before']} before the run, "
        f"{result['load_after']} after it.\n"
    )


def _markdown_update(path: Path, result: dict) -> None:
    text = path.read_text()
    if TABLE_START not in text or TABLE_END not in text:
        sys.exit(f"{path} has no {TABLE_START} ... {TABLE_END} block.")
    head, rest = text.split(TABLE_START, 1)
    _, tail = rest.split(TABLE_END, 1)
    path.write_text(f"{head}{TABLE_START}\n{_table(result)}{TABLE_END}{tail}")


def _locust(
    user_class: str, run_time: str, args, base: str, env: dict, prefix: Path
) -> int:
    return subprocess.run(  # noqa: S603
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "load" / "locustfile.py"),
            user_class,
            "--headless",
            "--users",
            str(args.clients),
            "--spawn-rate",
            str(args.clients),
            "--run-time",
            run_time,
            "--host",
            base,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        check=False,
    ).returncode


def main(argv=None) -> int:
    args = _parse(argv)
    load_before = _load_average()
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    _database_ensure(database_url)
    env = _environment(database_url)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    data = _data_prepare(args.productions)
    from tracker.caching import data_changed

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
        locust_env = {
            **env,
            "TRACKER_LOAD_PRODUCTIONS": str(data["productions"]),
            "TRACKER_LOAD_PEOPLE": str(data["people"]),
            "TRACKER_LOAD_NETWORKS": str(data["networks"]),
        }
        mixes, failed = {}, []
        for name, label in MIXES:
            prefix = OUT / f"locust-{name}"
            # Cold, as after a write: what one mix cached (the filter
            # combinations both API mixes share) must not serve the next.
            data_changed()
            warmup = None
            if args.warmup not in ("0", "0s"):
                _locust(name, args.warmup, args, base, locust_env, OUT / "warmup")
                warmup = _aggregate(OUT / "warmup_stats.csv")
                warmup["rendered"] = _responses_kept()
            kept_before = _responses_kept()
            code = _locust(name, args.duration, args, base, locust_env, prefix)
            mixes[name] = _aggregate(Path(f"{prefix}_stats.csv"))
            mixes[name]["rendered"] = _responses_kept() - kept_before
            mixes[name]["warmup"] = warmup
            if code or mixes[name]["errors"]:
                failed.append(
                    f"{label}: {mixes[name]['errors']} errors, locust "
                    f"exit {code}, see {prefix}_failures.csv"
                )
            print(
                f"{label}: {mixes[name]['requests_per_s']:.1f} requests/s, "
                f"p50 {mixes[name]['p50_ms']:.0f} ms, "
                f"p99 {mixes[name]['p99_ms']:.0f} ms, "
                f"{mixes[name]['errors']} errors, "
                f"{mixes[name]['rendered']} rendered afresh"
                + (
                    f" (after a warm-up of {warmup['requests']} requests, "
                    f"{warmup['rendered']} rendered)"
                    if warmup
                    else ""
                )
            )
        if server.poll() is not None:
            sys.exit(f"gunicorn died during the run (exit {server.returncode}).")
    except KeyboardInterrupt:
        print("Interrupted; stopping gunicorn.", file=sys.stderr)
        return 130
    finally:
        _stop(server)

    limit = mixes[LIMIT]["requests_per_s"]
    for mix in mixes.values():
        mix["ratio"] = mix["requests_per_s"] / limit if limit else 0.0
        mix["tail"] = mix["p99_ms"] / mix["p50_ms"] if mix["p50_ms"] else 0.0
        mix["rendered_share"] = (
            mix["rendered"] / mix["requests"] if mix["requests"] else 0.0
        )
    result = {
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "clients": args.clients,
        "duration": args.duration,
        "warmup": args.warmup,
        "workers": args.workers,
        "data": data,
        "mixes": mixes,
        "load_before": load_before,
        "load_after": _load_average(),
        "machine": (
            f"{os.cpu_count()} CPU cores, gunicorn {args.workers} sync workers, "
            f"PostgreSQL, Redis cache, commit {_commit()}"
        ),
    }
    (OUT / "result.json").write_text(json.dumps(result, indent=2))
    print()
    for name, label in MIXES:
        mix = mixes[name]
        goals = ""
        if name not in (LIMIT, CACHED):
            ratio_ok = "meets" if mix["ratio"] >= RATIO_GOAL else "MISSES"
            tail_ok = "meets" if mix["tail"] <= TAIL_GOAL else "MISSES"
            goals = (
                f"; ratio {mix['ratio']:.2f} ({ratio_ok} >= {RATIO_GOAL}), "
                f"p99/p50 {mix['tail']:.1f} ({tail_ok} <= {TAIL_GOAL:.0f})"
            )
        print(f"{label}: {mix['requests_per_s']:.1f} requests/s{goals}")
        if name not in (LIMIT, CACHED) and mix["ratio"] < RATIO_GOAL:
            print(f"  why: {_why(name, mix, mixes[CACHED])}")
        elif name == CACHED:
            print(f"  ratio {mix['ratio']:.2f}: the ceiling, with nothing to render")
    for markdown in args.markdown:
        _markdown_update(ROOT / markdown, result)
    if failed:
        print(
            "FAILED: " + "; ".join(failed) + f"; see {OUT / 'gunicorn.log'}.",
            file=sys.stderr,
        )
        return 1
    return 0


def _load_average() -> str:
    """The 1, 5 and 15 minute load averages: on a shared machine they say
    how much of it the run had."""
    return " / ".join(f"{load:.1f}" for load in os.getloadavg())


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
