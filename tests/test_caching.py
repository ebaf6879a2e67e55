"""One module holds every cache key and its TTL (tracker/caching.py)."""

from pathlib import Path

import pytest
from django.core.cache import cache

from tracker import caching

TRACKER = Path(caching.__file__).resolve().parent


def test_no_other_module_reads_or_writes_the_cache():
    """The API's whole-response cache or any later one adds an entry in
    tracker/caching.py instead of keys of its own elsewhere."""
    callers = sorted(
        str(path.relative_to(TRACKER))
        for path in TRACKER.rglob("*.py")
        if "from django.core.cache import" in path.read_text()
    )

    assert callers == ["caching.py"]


@pytest.mark.parametrize(
    ("entry", "prefix", "ttl"),
    [
        (caching.CASE_PAGE, "tracker:case:page", 15 * 60),
        (caching.SUMMARY, "tracker:api:summary", 5 * 60),
        (caching.LIST_COUNT, "tracker:count", 60),
    ],
    ids=["case-page", "summary", "list-count"],
)
def test_each_entry_is_keyed_on_the_data_version_and_lives_its_ttl(entry, prefix, ttl):
    key = entry.key("part")

    assert key == f"{prefix}:{caching.data_version()}:part"
    assert entry.ttl == ttl


def test_an_entry_is_computed_once_until_the_data_changes():
    computed = []

    def compute():
        computed.append(len(computed))
        return f"figure {len(computed)}"

    first = caching.SUMMARY.get_or_compute(compute)
    again = caching.SUMMARY.get_or_compute(compute)
    caching.data_changed()
    after_a_write = caching.SUMMARY.get_or_compute(compute)

    assert (first, again, after_a_write) == ("figure 1", "figure 1", "figure 2")
    assert cache.get(caching.SUMMARY.key()) == "figure 2"
