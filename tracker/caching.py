"""Every cache key the tracker writes, with its time to live, and the one
data version they share.

| entry | key | TTL |
|---|---|---|
| `DATA_VERSION` | `tracker:data:version` | none: changed by any write |
| `CASE_PAGE` | `tracker:case:page:<version>:<host digest>` | 15 min |
| `LAST_CHANGED` | `tracker:site:last-changed:<version>` | 15 min |
| `SUMMARY` | `tracker:api:summary:<version>` | 5 min |
| `LIST_COUNT` | `tracker:count:<version>:<sha256 of the query>` | 1 min |
| `RESPONSE` | `tracker:response:<sha256 of URL and Accept>` (+ version) | 5 min |
| readiness probe | `tracker:readyz:probe` | 10 s |

The API throttle's counters are DRF's own (`throttle_<scope>_<client>`,
each living as long as its rate's period, see tracker/api/throttling.py).

Any write to a tracker model changes the data version, so entries keyed on
it never serve old data. A whole response is the exception in form, not in
effect: it is stored beside the version it was rendered under and served
only while that is still the current one, so a cached answer costs one
round trip to the cache (both read at once) instead of two. An anonymous
GET reads the version once, at its start: every entry the request reads or
writes after that is keyed on the same one (`data_version_pinned`).

Bulk writes (`QuerySet.update`, `bulk_create`) send no signals: code that
uses them for data people read calls `data_changed()` itself, and each
entry's TTL is a backstop. Reviewing news matches saves them one by one
(`tracker.news.services.matches_review`), so approvals change the
version."""

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

DATA_VERSION_KEY = "tracker:data:version"
# /readyz writes and reads this to show the cache answers.
PROBE_KEY = "tracker:readyz:probe"
PROBE_TTL = 10


@dataclass(frozen=True)
class CacheEntry:
    """One kind of cached value: where its keys start and how long (in
    seconds) it lives."""

    prefix: str
    ttl: int

    def key(self, *parts: str, version: str | None = None) -> str:
        """This entry's key under the current data version (or `version`,
        when the caller has read it already)."""
        return ":".join((self.prefix, version or data_version(), *parts))

    def get(self, key: str) -> Any:
        return cache.get(key)

    def set(self, key: str, value: Any) -> None:
        cache.set(key, value, self.ttl)

    def get_or_compute(self, compute: Callable[[], Any], *parts: str) -> Any:
        key = self.key(*parts)
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, self.ttl)
        return value


# Rendered whole: the same for every visitor.
CASE_PAGE = CacheEntry("tracker:case:page", ttl=60 * 15)
# When the data last changed, in every public page's footer.
LAST_CHANGED = CacheEntry("tracker:site:last-changed", ttl=60 * 15)
# The figures behind the case page and /api/v1/summary/.
SUMMARY = CacheEntry("tracker:api:summary", ttl=60 * 5)
# COUNT(*) of a filtered list reads the whole table; short, since bulk
# writes that send no signal are covered only by the TTL.
LIST_COUNT = CacheEntry("tracker:count", ttl=60)
# Whole responses to anonymous GETs (tracker.middleware.PublicCacheMiddleware),
# read and written through response_get and response_set.
RESPONSE = CacheEntry("tracker:response", ttl=60 * 5)

# The version the current anonymous GET started with, while it runs.
_pinned_version: ContextVar[str | None] = ContextVar(
    "tracker_pinned_data_version", default=None
)


def data_version() -> str:
    pinned = _pinned_version.get()
    if pinned is not None:
        return pinned
    version = cache.get(DATA_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        # add() so two first requests agree on one version.
        if not cache.add(DATA_VERSION_KEY, version, timeout=None):
            version = cache.get(DATA_VERSION_KEY, version)
    return version


def data_changed() -> None:
    cache.set(DATA_VERSION_KEY, uuid.uuid4().hex, timeout=None)


@contextmanager
def data_version_pinned(version: str) -> Iterator[None]:
    """Within the block, data_version() is `version` without asking the
    cache: the entries a page reads (its list counts, the footer's last
    change) are keyed on the version its whole response is stored under,
    and each costs one round trip to the cache, not two. Only for reads: a
    write changes the version the block would go on answering."""
    token = _pinned_version.set(version)
    try:
        yield
    finally:
        _pinned_version.reset(token)


def response_key(digest: str) -> str:
    return f"{RESPONSE.prefix}:{digest}"


def response_get(digest: str) -> tuple[str, Any]:
    """The current data version and the response stored for `digest` if it
    was rendered under that version (else None), in one round trip."""
    key = response_key(digest)
    found = cache.get_many([DATA_VERSION_KEY, key])
    version = found.get(DATA_VERSION_KEY) or data_version()
    stored = found.get(key)
    if stored is not None and stored[0] == version:
        return version, stored[1]
    return version, None


def response_set(digest: str, version: str, response: Any) -> None:
    """Keep `response` as rendered under `version`; it replaces whatever the
    URL held under an older one."""
    cache.set(response_key(digest), (version, response), RESPONSE.ttl)


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


def cache_answers() -> bool:
    """Whether the cache stores and returns a value (for /readyz); raises
    whatever the cache's client raises when it cannot reach it."""
    token = uuid.uuid4().hex
    cache.set(PROBE_KEY, token, PROBE_TTL)
    return cache.get(PROBE_KEY) == token
