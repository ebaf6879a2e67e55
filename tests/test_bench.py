import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench import generate
from bench.registry import ROWS, Context
from bench.rows import matching
from bench.rows.api import _rendering_client
from tracker.models import Citation, Credit, NewsArticle, Production

ROOT = Path(__file__).resolve().parent.parent


def _snapshot():
    return list(
        Production.objects.order_by("slug").values_list(
            "slug", "title", "network__slug", "ic_status", "start_year"
        )
    )


def test_the_generator_gives_the_same_rows_every_run(db):
    generate.grow(150, scale=0.001)
    first = _snapshot()
    generate.clear()
    generate.grow(150, scale=0.001)
    assert _snapshot() == first
    assert len(first) == 150
    assert Credit.objects.count() == 450
    assert Citation.objects.count() == 150


def test_growing_adds_only_the_missing_productions(db):
    assert generate.grow(100, scale=0.001) == 100
    assert generate.grow(120, scale=0.001) == 20
    assert generate.grow(120, scale=0.001) == 0
    assert Production.objects.count() == 120


def test_the_benchmarks_refuse_a_database_not_named_for_them():
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/tracker",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "whose name contains 'bench'" in result.stderr


# --- the news rows (4-8) at the CI smoke scale -------------------------------

SMOKE = Context(scale=0.002, repeats=1, progress=lambda _: None)


def test_the_same_seed_gives_the_same_aliases_and_article():
    assert matching.aliases_generate(1500) == matching.aliases_generate(1500)
    assert matching.aliases_generate(3000)[:1000] == matching.aliases_generate(1000)
    assert len(set(matching.aliases_generate(3000))) == 3000
    names = matching.aliases_generate(1000)
    article = matching.article_generate(names)
    assert article == matching.article_generate(names)
    assert len(article.split()) >= matching.ARTICLE_WORDS


def test_row_4_finds_every_name_the_article_was_written_with():
    outcome = ROWS["4"].measure(SMOKE)

    figures = outcome.figures
    assert figures["names_found"] == matching.MENTIONS
    assert figures["match_p50_ms"] > figures["raw_scan_p50_ms"] > 0
    assert figures["regex_estimate_is_extrapolated"]
    assert "extrapolated" in outcome.summary


def test_row_5_parses_all_hundred_items():
    outcome = ROWS["5"].measure(SMOKE)

    assert outcome.figures["items"] == 100
    assert outcome.figures["parse_p95_ms"] >= outcome.figures["parse_p50_ms"] > 0


@pytest.mark.slow
def test_row_6_refreshes_through_a_celery_worker_and_the_second_pass_writes_nothing(
    tmp_path,
):
    # The row starts real worker processes, which need a database they can
    # open: the bench itself, on a file of its own, as `make bench` runs it.
    output = tmp_path / "results.json"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}",
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench", "--scale", "0.002", "--repeats", "1"]
        + ["--rows", "6", "--output", str(output)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]

    figures = json.loads(output.read_text())["runs"]["sqlite"]["rows"]["6"]["figures"]
    assert figures["feeds"] == 20
    assert figures["broker"] in ("redis", "filesystem")
    assert figures["second_refresh_not_modified"] == 20
    assert figures["second_refresh_rows_written"] == 0
    # Twenty 100 ms answers one by one take at least two seconds.
    assert figures["sequential_p50_s"] >= 2.0
    assert figures["celery_p50_s"] > 0


def test_row_7_stores_each_article_once(db):
    outcome = ROWS["7"].measure(SMOKE)

    assert outcome.figures["articles"] == 200
    assert outcome.figures["rows_added_second_pass"] == 0
    assert outcome.figures["bulk_create_p50_s"] > 0
    assert not NewsArticle.objects.exists()


def test_row_8_measures_a_fresh_process_against_the_cap(settings):
    settings.TRACKER_FEED_MAX_BYTES = 1024 * 1024
    outcome = ROWS["8"].measure(Context(scale=1, repeats=1))

    figures = outcome.figures
    assert figures["cap_bytes"] == 1024 * 1024
    assert 0.9 * figures["cap_bytes"] < figures["feed_bytes"] <= figures["cap_bytes"]
    assert figures["entries"] > 100
    assert figures["rss_growth_bytes"] > 0


def test_row_3b_searches_news_with_the_index_or_says_it_needs_postgresql(db):
    from django.db import connection

    outcome = ROWS["3b"].measure(SMOKE)
    if connection.vendor != "postgresql":
        assert outcome.met is None
        assert "PostgreSQL only" in outcome.summary
        return
    assert outcome.figures["articles"] == 1000
    # The query names one generated story by its number.
    assert outcome.figures["found"] == 1
    assert outcome.figures["uses_index"] is True


def test_rows_run_in_number_order():
    from bench.__main__ import _row_order

    assert sorted(["4", "3b", "10", "3", "1"], key=_row_order) == [
        "1",
        "3",
        "3b",
        "4",
        "10",
    ]


def test_the_api_rows_time_the_view_not_the_whole_response_cache(db):
    generate.grow(3, scale=0.001)
    client = _rendering_client()
    client.get("/api/v1/productions/")

    with CaptureQueriesContext(connection) as again:
        client.get("/api/v1/productions/")

    # Rendered again: through the cache a second GET reads no rows at all.
    assert len(again) > 0


def test_row_6_names_the_floor_that_binds():
    from bench.rows.refreshing import RefreshFloors

    # As in the PostgreSQL run: 16 processes, 10 s of work beyond 20 s of
    # waits.
    by_cores = RefreshFloors(feeds=200, sequential=30.0, cores=2, processes=16)
    assert by_cores.cores_floor == pytest.approx(5.0)
    assert by_cores.processes_floor == pytest.approx(1.875)
    why = by_cores.why(9.5)
    assert "the floor is the work spread over the 2 cores (5.0 s)" in why
    assert "the 16 processes (1.9 s)" in why
    assert "0.17 of sequential" in why
    assert "1/10 needs at most 30 ms of work per feed" in why
    assert "SQLite" not in why
    # A small PostgreSQL run starts few processes, and says nothing of SQLite.
    few = RefreshFloors(feeds=20, sequential=3.0, cores=2, processes=2)
    assert "SQLite" not in few.why(1.6)

    # The SQLite run: at most 4 processes, so each one's share of the waits
    # is the floor, not the cores.
    by_processes = RefreshFloors(
        feeds=200, sequential=23.6, cores=2, processes=4, sqlite=True
    )
    assert by_processes.processes_floor == pytest.approx(5.9)
    why = by_processes.why(8.2)
    assert "the floor is every feed's wait and work spread over the 4" in why
    assert "(5.9 s), more than the work spread over the 2 cores (1.8 s)" in why
    assert "0.25 of sequential" in why
    assert "1/10 needs at least 10 processes, and the worker ran 4" in why
    assert "On SQLite the worker runs at most 4 processes" in why
