"""load/run.py's count of what a mix rendered: the whole responses kept
under the current data version, not those an earlier version left."""

import json
import os
import subprocess
import sys

import pytest

from load.run import ROOT, _responses_kept
from tests import factories as f
from tracker.caching import data_changed

pytestmark = pytest.mark.django_db


def test_responses_kept_counts_only_the_current_versions_renders(client, shared_cache):
    production = f.ProductionFactory()
    assert _responses_kept() == 0
    client.get(f"/api/v1/productions/{production.slug}/")
    client.get("/api/v1/productions/")
    assert _responses_kept() == 2

    data_changed()
    assert _responses_kept() == 0
    client.get("/api/v1/productions/")
    client.get("/api/v1/productions/")  # answered from the cache
    assert _responses_kept() == 1


# Run apart: importing locust monkey-patches the process for gevent, which
# the test process's database connections do not survive.
URLS_ASKED = """
import json, sys
from locust.env import Environment
from load import locustfile

class Recorder:
    def __init__(self):
        self.urls = set()

    def get(self, url, name=None):
        self.urls.add(url)

asked = {}
for mix in ("CachedReader", "PublicReader"):
    urls = set()
    reader = getattr(locustfile, mix)
    reader.host = "http://127.0.0.1:1"
    for _ in range(8):
        user = reader(Environment())
        user.on_start()
        user.client = Recorder()
        for task in user.tasks * 50:
            task(user)
        urls |= user.client.urls
    asked[mix] = sorted(urls)
json.dump(asked, sys.stdout)
"""


def test_the_cached_mix_asks_few_enough_urls_for_its_warm_up_to_render_all():
    """Its figure is read as the cache's own speed, so after a warm-up of a
    few hundred requests nothing in it may still need rendering."""
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", URLS_ASKED],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "TRACKER_LOAD_PRODUCTIONS": "50000"},
        check=True,
        timeout=60,
    )
    asked = json.loads(done.stdout)
    cached, uniform = asked["CachedReader"], asked["PublicReader"]

    assert any(url.startswith("/api/") for url in cached)
    assert any(url.startswith("/productions/") for url in cached)
    # 10 of each record kind, network and filter combination, the searches
    # and the fixed URLs: well under the requests of one warm-up.
    assert len(cached) <= 120, cached
    # The uniform mix, over the same 400 draws a client, asks far more.
    assert len(uniform) > 5 * len(cached)


def test_a_missed_ratio_says_whether_the_cache_or_the_renders_hold_it_back():
    from load.run import _why

    mix = {"rendered": 350, "requests": 1000, "rendered_share": 0.35}
    at_limit = _why("PublicReader", mix, {"ratio": 1.11})
    assert "350 of its 1000 requests (35%)" in at_limit
    assert "ran at 1.11 of /healthz in this run, so the gap is the renders." in (
        at_limit
    )
    slow_cache = _why("PopularPublicReader", mix, {"ratio": 0.6})
    assert "ran at 0.60 of /healthz" in slow_cache
    assert "the cache's own answers are part of the gap" in slow_cache
    assert "Zipf law" in slow_cache
