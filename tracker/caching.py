"""One version token for everything cached from tracker data: the case
page, list counts. Any write to a tracker model changes it, so caches keyed
on it never serve old data. Bulk writes (`QuerySet.update`, `bulk_create`)
send no signals: code that uses them for data people read calls
`data_changed()` itself, and each cache's TTL is a backstop. Reviewing news
matches saves them one by one (`tracker.news.services.matches_review`), so
approvals change the version."""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "tracker:data:version"


def data_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        # add() so two first requests agree on one version.
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY, version)
    return version


def data_changed() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _tracker_data_changed(sender, using=None, **kwargs):
    if sender._meta.app_label != "tracker":
        return
    data_changed()
    # Again once the write is visible: a request between the first change
    # and the commit would otherwise cache the old data under the new
    # version (the admin saves inside a transaction).
    if transaction.get_connection(using).in_atomic_block:
        transaction.on_commit(data_changed, using=using)


def connect_signals() -> None:
    for name, signal in (
        ("save", post_save),
        ("delete", post_delete),
        ("m2m", m2m_changed),
    ):
        signal.connect(_tracker_data_changed, dispatch_uid=f"tracker-data-{name}")
