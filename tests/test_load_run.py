"""load/run.py's count of what a mix rendered: the whole responses kept
under the current data version, not those an earlier version left."""

import pytest

from load.run import _responses_kept
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
