"""Fetching entities from Wikidata's API through the feeds' guarded fetcher
(tracker.news.fetch): the same SSRF guard, timeouts and size cap as any
address the tracker reads. Called only when an import is given QIDs to
fetch; tests run on recorded responses instead."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from tracker.news.fetch import DEFAULT_PORTS, FetchLimits, feed_fetch

from .parse import Bundle, WikidataShapeError, entities_parse

BATCH = 50  # wbgetentities takes at most 50 ids a call
MAX_BYTES = 20 * 1024 * 1024
# The items asked for, then their awards and works, then who confers them.
ROUNDS = 3


def entities_url(base_url: str, qids: list[str]) -> str:
    query = urlencode(
        {
            "action": "wbgetentities",
            "ids": "|".join(qids),
            "props": "info|labels|aliases|descriptions|claims",
            "languages": "en",
            "format": "json",
        }
    )
    return f"{base_url.rstrip('/')}/w/api.php?{query}"


def entities_fetch(
    qids: list[str], *, base_url: str, ports: tuple[int, ...] = DEFAULT_PORTS
) -> Bundle:
    """The items and, for labels, what their awards refer to."""
    bundle = Bundle()
    wanted = list(dict.fromkeys(qids))
    for _ in range(ROUNDS):
        for start in range(0, len(wanted), BATCH):
            url = entities_url(base_url, wanted[start : start + BATCH])
            result = feed_fetch(
                url, limits=FetchLimits(max_bytes=MAX_BYTES, ports=ports)
            )
            try:
                document = json.loads(result.content)
            except ValueError as exc:
                raise WikidataShapeError("(top)", f"{url} answered no JSON") from exc
            entities_parse(document, bundle)
        wanted = sorted(bundle.referenced())
        if not wanted:
            break
    return bundle
