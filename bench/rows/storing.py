"""Row 7: storing articles, against a bare bulk_create."""

from __future__ import annotations

import time

from django.db import transaction

from bench.news_data import STORE_CHUNK, entries_generate, news_clear
from bench.news_data import chunks as _chunks
from bench.news_data import entries_store_chunked as _store
from bench.registry import Context, Outcome, row
from bench.timing import Timings
from tracker.models import ArticleSighting, Feed, NewsArticle
from tracker.news.article_store import content_hash
from tracker.news.canonical import url_canonicalize


def _bulk_create(feed: Feed, rows: list[dict]) -> None:
    """The limit: the same article and sighting rows, already computed,
    inserted with nothing looked up first."""
    for chunk in _chunks(rows):
        with transaction.atomic():
            articles = NewsArticle.objects.bulk_create(
                NewsArticle(feed=feed, **{k: v for k, v in r.items() if k != "guid"})
                for r in chunk
            )
            ArticleSighting.objects.bulk_create(
                ArticleSighting(feed=feed, article_id=a.pk, guid=r["guid"])
                for a, r in zip(articles, chunk, strict=True)
            )


@row(
    "7",
    what="storing 100k new articles, then the same 100k again",
    against="a bare bulk_create of the same rows",
    goal="<= 2x bulk_create; the second pass adds 0 rows",
)
def articles_storing(ctx: Context) -> Outcome:
    count = max(200, int(100_000 * ctx.scale))
    entries = entries_generate(count)
    rows = []
    for entry in entries:
        canonical = url_canonicalize(entry.url)
        rows.append(
            {
                "guid": entry.guid,
                "canonical_url": canonical,
                "url": entry.url,
                "title": entry.title,
                "summary": entry.summary,
                "published_at": entry.published_at,
                "content_hash": content_hash(entry, canonical),
            }
        )
    repeats = min(ctx.repeats, 3)
    timings = {"store": Timings(), "again": Timings(), "bulk": Timings()}
    added_again = None
    for _ in range(repeats):
        news_clear()
        feed = Feed.objects.create(url="https://trade.example/rss", name="trade")
        start = time.perf_counter()
        new, _ = _store(feed, entries)
        timings["store"].samples.append(time.perf_counter() - start)
        stored = NewsArticle.objects.count(), ArticleSighting.objects.count()
        if new != count or stored != (count, count):
            raise RuntimeError(f"stored {stored} of {count}")
        start = time.perf_counter()
        new_again, unchanged = _store(feed, entries)
        timings["again"].samples.append(time.perf_counter() - start)
        after = NewsArticle.objects.count(), ArticleSighting.objects.count()
        added_again = (after[0] - stored[0]) + (after[1] - stored[1]) + new_again
        if unchanged != count:
            raise RuntimeError(f"second pass: {unchanged} of {count} unchanged")
        news_clear()
        feed = Feed.objects.create(url="https://trade.example/rss", name="trade")
        start = time.perf_counter()
        _bulk_create(feed, rows)
        timings["bulk"].samples.append(time.perf_counter() - start)
    news_clear()
    store, again, bulk = (timings[k].p50 for k in ("store", "again", "bulk"))
    ratio = store / bulk
    return Outcome(
        summary=(
            f"{count:,} articles in {store:.2f} s = {ratio:.2f}x bulk_create "
            f"({bulk:.2f} s); again in {again:.2f} s adding {added_again} rows"
        ),
        figures={
            "articles": count,
            "chunk": STORE_CHUNK,
            "store_p50_s": round(store, 3),
            "store_again_p50_s": round(again, 3),
            "bulk_create_p50_s": round(bulk, 3),
            "store_over_bulk_create": round(ratio, 3),
            "rows_added_second_pass": added_again,
            "runs": repeats,
        },
        met=ratio <= 2 and added_again == 0,
    )
