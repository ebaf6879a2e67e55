"""The case page is cached whole; any write to a tracker model bumps a
version key, so the next request renders it afresh. Bulk writes
(`QuerySet.update`, `bulk_create`) send no signals: code that uses them for
data the page shows calls `case_page_invalidate()` itself, and the TTL is a
backstop. Reviewing news matches saves them one by one
(`tracker.news.services.matches_review`), so approvals bump the version."""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "tracker:case:version"
PAGE_KEY = "tracker:case:page:{version}"
PAGE_TTL = 60 * 15


def data_version() -> str:
    """A token that changes whenever tracker data changes; caches of
    derived values (the case page, list counts) key on it."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        # add() so two first requests agree on one version.
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY, version)
    return version


def case_page_key() -> str:
    return PAGE_KEY.format(version=data_version())


def case_page_invalidate() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _tracker_data_changed(sender, using=None, **kwargs):
    if sender._meta.app_label != "tracker":
        return
    case_page_invalidate()
    # Again once the write is visible: a request between the first bump and
    # the commit would otherwise cache the old data under the new version
    # (the admin saves inside a transaction).
    if transaction.get_connection(using).in_atomic_block:
        transaction.on_commit(case_page_invalidate, using=using)


def connect_signals() -> None:
    for name, signal in (
        ("save", post_save),
        ("delete", post_delete),
        ("m2m", m2m_changed),
    ):
        signal.connect(_tracker_data_changed, dispatch_uid=f"tracker-case-cache-{name}")
