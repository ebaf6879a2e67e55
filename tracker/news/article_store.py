"""Storing parsed entries: each article once, in bulk.

An entry is found again first through its feed's guid (ArticleSighting),
then through its canonical URL, so a re-run updates instead of duplicating
and a second feed carrying the same story adds a sighting, not an article.
Running the same entries twice writes nothing the second time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from tracker.models import ArticleSighting, Feed, NewsArticle

from .canonical import url_canonicalize
from .parse import ParsedEntry

ARTICLE_FIELDS = ("url", "title", "summary", "published_at", "content_hash")


@dataclass
class StoreResult:
    new: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: int = 0
    over_cap: int = 0
    """New articles beyond `max_new`, left for a later refresh."""

    @property
    def touched(self) -> list[int]:
        return [*self.new, *self.updated]


def content_hash(entry: ParsedEntry, canonical_url: str) -> str:
    """What makes a change worth writing; tracking parameters are not."""
    published = entry.published_at.isoformat() if entry.published_at else ""
    payload = "\x00".join((canonical_url, entry.title, entry.summary, published))
    return hashlib.sha256(payload.encode()).hexdigest()


@transaction.atomic
def entries_store(
    feed: Feed, entries: Iterable[ParsedEntry], *, max_new: int | None = None
) -> StoreResult:
    """Stores the entries of one document; at most `max_new` new articles,
    in document order (feeds list the newest first), the rest counted."""
    by_guid: dict[str, tuple[ParsedEntry, str, str]] = {}
    for entry in entries:
        canonical = url_canonicalize(entry.url)
        by_guid[entry.guid] = (entry, canonical, content_hash(entry, canonical))
    # Within one document the same story under two guids is still one.
    by_canonical = {item[1]: item for item in by_guid.values()}
    wanted = {item[0].guid: item for item in by_canonical.values()}
    result = StoreResult()
    if not wanted:
        return result

    sighted = dict(
        ArticleSighting.objects.filter(feed=feed, guid__in=wanted).values_list(
            "guid", "article_id"
        )
    )
    canonicals = [canonical for _, canonical, _ in wanted.values()]
    articles = {
        a.pk: a
        for a in NewsArticle.objects.filter(pk__in=sighted.values())
        | NewsArticle.objects.filter(canonical_url__in=canonicals)
    }
    by_url = {a.canonical_url: a for a in articles.values()}

    to_create, to_update, new_sightings = [], [], []
    for guid, (entry, canonical, digest) in wanted.items():
        article = articles.get(sighted.get(guid)) or by_url.get(canonical)
        if article is None:
            to_create.append(
                NewsArticle(
                    feed=feed,
                    canonical_url=canonical,
                    url=entry.url,
                    title=entry.title,
                    summary=entry.summary,
                    published_at=entry.published_at,
                    content_hash=digest,
                )
            )
            continue
        if guid not in sighted:
            new_sightings.append(ArticleSighting(feed=feed, article=article, guid=guid))
        if article.content_hash == digest:
            result.unchanged += 1
            continue
        article.url = entry.url
        article.title = entry.title
        article.summary = entry.summary
        article.published_at = entry.published_at or article.published_at
        article.content_hash = digest
        article.updated_at = timezone.now()
        to_update.append(article)

    if max_new is not None and len(to_create) > max_new:
        # A refresh that would queue thousands of matches for review at
        # once takes the first `max_new`; the others are still new next
        # time.
        result.over_cap = len(to_create) - max_new
        to_create = to_create[:max_new]
    if to_update:
        NewsArticle.objects.bulk_update(to_update, [*ARTICLE_FIELDS, "updated_at"])
        result.updated = [a.pk for a in to_update]
    if to_create:
        # A concurrent refresh of another feed may store the same story
        # first; the conflict is skipped and the row read back below.
        NewsArticle.objects.bulk_create(to_create, ignore_conflicts=True)
        created = dict(
            NewsArticle.objects.filter(
                canonical_url__in=[a.canonical_url for a in to_create]
            ).values_list("canonical_url", "pk")
        )
        canonical_guid = {canonical: guid for guid, (_, canonical, _) in wanted.items()}
        for article in to_create:
            pk = created[article.canonical_url]
            result.new.append(pk)
            new_sightings.append(
                ArticleSighting(
                    feed=feed, article_id=pk, guid=canonical_guid[article.canonical_url]
                )
            )
    if new_sightings:
        ArticleSighting.objects.bulk_create(new_sightings, ignore_conflicts=True)
    return result
