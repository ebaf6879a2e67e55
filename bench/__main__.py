"""`make bench`: run the benchmark rows, print one table, write every figure
to bench/results.json.

    python -m bench [--scale 1] [--rows 1,4] [--repeats 7] [--output PATH]
                    [--markdown docs/performance.md]
"""

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# docs/performance.md keeps one table per database; a file with only the
# generic markers gets whichever ran last.
TABLE_START = "<!-- bench:table:{vendor}start -->"
TABLE_END = "<!-- bench:table:{vendor}end -->"


def _row_order(number: str) -> tuple[int, str]:
    """'3b' comes after '3' and before '4'."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return (int(digits or 0), number[len(digits) :])


def _parse(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="data size; 1 = the sizes the performance issue names",
    )
    parser.add_argument("--rows", default="", help="comma-separated row numbers")
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per side")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument(
        "--markdown", default="", help="a Markdown file whose table to replace"
    )
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be positive")
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    return args


def _machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        db_version = cursor.fetchone()[0]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "database": f"{connection.vendor} {db_version}",
        "commit": commit,
    }


def _table(rows: dict) -> str:
    """The Markdown table of {number: row result as in results.json}."""
    header = ("#", "What", "Result", "Goal", "Met")
    ordered = sorted(rows.items(), key=lambda item: _row_order(item[0]))
    lines = [header] + [
        (
            number,
            r["what"],
            r["summary"],
            r["goal"],
            {True: "yes", False: "NO", None: "n/a"}[r["met"]],
        )
        for number, r in ordered
    ]
    table = "\n".join("| " + " | ".join(cells) + " |" for cells in _with_rule(lines))
    # A missed goal says why, right under the table.
    notes = [f"- Row {number}: {r['note']}" for number, r in ordered if r["note"]]
    return table + ("\n\n" + "\n".join(notes) if notes else "")


def _with_rule(lines):
    yield lines[0]
    yield tuple("---" for _ in lines[0])
    yield from lines[1:]


def _replace_table(
    path: Path, table: str, machine: dict, scale: float, vendor: str
) -> None:
    text = path.read_text()
    start_marker, end_marker = (
        TABLE_START.format(vendor=f"{vendor}:"),
        TABLE_END.format(vendor=f"{vendor}:"),
    )
    if start_marker not in text:
        start_marker, end_marker = (
            TABLE_START.format(vendor=""),
            TABLE_END.format(vendor=""),
        )
    start, end = text.index(start_marker), text.index(end_marker)
    stamp = (
        f"Scale {scale:g}, {machine['database']}, {machine['cpus']} CPUs, "
        f"Python {machine['python']}, commit {machine['commit']}, "
        f"{dt.date.today().isoformat()}."
    )
    if scale != 1:
        # "What" names the sizes of scale 1; a reader must not take a small
        # run's figure for the full-size one.
        stamp += (
            f" The sizes under What are scale 1's: this run used {scale:g} of each."
        )
    path.write_text(
        text[: start + len(start_marker)] + f"\n{stamp}\n\n{table}\n" + text[end:]
    )


def _ensure_database() -> None:
    """Create the PostgreSQL benchmark database on first use, so
    `DATABASE_URL=.../tracker_bench make bench` needs no manual step."""
    from django.db import OperationalError, connection

    try:
        connection.ensure_connection()
    except OperationalError:
        if connection.vendor != "postgresql":
            raise
        import psycopg
        from psycopg import sql

        params = connection.get_connection_params()
        name = params.pop("dbname")
        params["dbname"] = "postgres"
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"Created database {name}.")


def main(argv=None) -> int:
    args = _parse(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    import bench.rows  # noqa: F401  (registers the rows)
    from bench.registry import ROWS, Context

    _ensure_database()
    call_command("migrate", verbosity=0, interactive=False)
    # Every run starts from an empty database (settings refuse any database
    # not named for the benchmarks), so figures never depend on leftovers.
    call_command("flush", verbosity=0, interactive=False)
    wanted = [n.strip() for n in args.rows.split(",") if n.strip()] or sorted(
        ROWS, key=_row_order
    )
    unknown = [n for n in wanted if n not in ROWS]
    if unknown:
        print(f"Unknown row(s): {', '.join(unknown)}; known: {', '.join(ROWS)}")
        return 2
    context = Context(scale=args.scale, repeats=args.repeats)
    selected = [ROWS[n] for n in wanted]
    for row in selected:
        started = time.perf_counter()
        print(f"-- row {row.number}: {row.what}", flush=True)
        row.outcome = row.measure(context)
        print(
            f"   {row.outcome.summary} ({time.perf_counter() - started:.1f} s)",
            flush=True,
        )
    from django.db import connection

    machine = _machine()
    rows = {
        r.number: {
            "what": r.what,
            "against": r.against,
            "goal": r.goal,
            "met": r.outcome.met,
            "summary": r.outcome.summary,
            "note": r.outcome.note,
            "figures": r.outcome.figures,
        }
        for r in selected
    }
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    # One file, the latest run on each database side by side.
    try:
        every = json.loads(output.read_text())
    except (OSError, ValueError):
        every = {}
    if not isinstance(every, dict) or not isinstance(every.get("runs"), dict):
        every = {"runs": {}}
    previous = every["runs"].get(connection.vendor) or {}
    if args.rows and previous.get("scale") == args.scale:
        # Some rows re-run at the same scale: the others keep their last
        # figures, so the table stays whole.
        rows = {**previous.get("rows", {}), **rows}
    results = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "scale": args.scale,
        "repeats": args.repeats,
        "machine": machine,
        "rows": rows,
    }
    table = _table(rows)
    print()
    print(table)
    every["runs"][connection.vendor] = results
    output.write_text(json.dumps(every, indent=2) + "\n")
    print(f"\nEvery figure: {output}")
    if args.markdown:
        _replace_table(
            Path(args.markdown), table, machine, args.scale, connection.vendor
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
