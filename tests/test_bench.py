import subprocess
import sys

from bench import generate
from tracker.models import Citation, Credit, Production


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
