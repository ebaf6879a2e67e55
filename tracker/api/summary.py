"""The summary is cached whole; any write to a tracker model moves a
version key so the next request recomputes it. Bulk writes send no
signals, hence the TTL as a backstop."""

import uuid

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from tracker.selectors.summary import case_summary

VERSION_KEY = "tracker:api:summary:version"
DATA_KEY = "tracker:api:summary:{version}"
TTL = 60 * 5


def summary_data() -> dict:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY, version)
    key = DATA_KEY.format(version=version)
    data = cache.get(key)
    if data is None:
        data = case_summary()
        cache.set(key, data, timeout=TTL)
    return data


def summary_invalidate() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _tracker_data_changed(sender, **kwargs):
    if sender._meta.app_label == "tracker":
        summary_invalidate()


def connect_signals() -> None:
    for name, signal in (
        ("save", post_save),
        ("delete", post_delete),
        ("m2m", m2m_changed),
    ):
        signal.connect(
            _tracker_data_changed, dispatch_uid=f"tracker-api-summary-{name}"
        )
