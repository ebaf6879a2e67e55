"""The summary is cached whole, keyed on the data version
(`tracker.caching`), so any write to tracker data recomputes it."""

from django.core.cache import cache

from tracker.caching import data_version
from tracker.selectors.summary import case_summary

DATA_KEY = "tracker:api:summary:{version}"
TTL = 60 * 5


def summary_data() -> dict:
    key = DATA_KEY.format(version=data_version())
    data = cache.get(key)
    if data is None:
        data = case_summary()
        cache.set(key, data, timeout=TTL)
    return data
