"""What the news rows share: generated feeds and articles, a server for
them on 127.0.0.1, and emptying the news tables between runs."""

from __future__ import annotations

import datetime as dt
import email.utils
import random
import threading
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from xml.sax.saxutils import escape

from django.db import transaction

from tracker.models import ArticleMatch, ArticleSighting, Feed, NewsArticle
from tracker.news.article_store import entries_store
from tracker.news.parse import ParsedEntry

SEED = 2026
# Ordinary words: none of them is a generated name, so an article hits
# exactly the names it was written to mention.
FILLER = (
    "the a of and to in on for with at by from about after before over under "
    "between into during without again further then once here there when "
    "where why how all any both each few more most other some such only own "
    "same so than too very can will just should now said says told week year "
    "studio crew actor scene set day night story report new first last long "
    "great little right big high different small large next early young "
    "important public bad able"
).split()


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def rss_generate(
    name: str, items: int, summary_words: int = 80, seed: int = SEED
) -> bytes:
    """An RSS 2.0 feed of `items` stories with HTML summaries."""
    rng = random.Random(f"{seed}:{name}")
    published = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{name}</title><link>https://trade.example/{name}</link>"
    ]
    for i in range(items):
        words = " ".join(rng.choice(FILLER) for _ in range(summary_words))
        summary = escape(f"<p>{words} <a href='https://trade.example/x'>more</a></p>")
        when = email.utils.format_datetime(published - dt.timedelta(minutes=i))
        parts.append(
            f"<item><title>{name} story {i}: {rng.choice(FILLER)}</title>"
            f"<link>https://trade.example/{name}/{i}?utm_source=rss</link>"
            f'<guid isPermaLink="false">{name}-{i}</guid>'
            f"<pubDate>{when}</pubDate><description>{summary}</description></item>"
        )
    parts.append("</channel></rss>\n")
    return "".join(parts).encode()


@contextmanager
def served(server: ThreadingHTTPServer):
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def news_clear() -> None:
    with transaction.atomic():
        ArticleMatch.history.model.objects.all()._raw_delete("default")
        ArticleMatch.objects.all()._raw_delete("default")
        ArticleSighting.objects.all()._raw_delete("default")
        NewsArticle.objects.all()._raw_delete("default")
        Feed.history.model.objects.all()._raw_delete("default")
        Feed.objects.all()._raw_delete("default")


STORE_CHUNK = 1000


def entries_generate(count: int) -> list[ParsedEntry]:
    published = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    rng = random.Random(SEED)
    return [
        ParsedEntry(
            guid=f"story-{n}",
            url=f"https://trade.example/news/{n}?utm_source=rss",
            title=f"Story {n}: {rng.choice(FILLER)} {rng.choice(FILLER)}",
            summary=f"<p>{' '.join(rng.choice(FILLER) for _ in range(30))}</p>",
            published_at=published - dt.timedelta(seconds=n),
        )
        for n in range(count)
    ]


def chunks(items: list, size: int = STORE_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def entries_store_chunked(feed: Feed, entries: list[ParsedEntry]) -> tuple[int, int]:
    new = unchanged = 0
    for chunk in chunks(entries):
        result = entries_store(feed, chunk)
        new += len(result.new)
        unchanged += result.unchanged
    return new, unchanged
