"""Row 5: parsing a feed, against feedparser on the same bytes."""

from __future__ import annotations

import feedparser

from bench.news_data import ms as _ms
from bench.news_data import rss_generate
from bench.registry import Context, Outcome, row
from bench.timing import interleaved
from tracker.news.parse import feed_parse


@row(
    "5",
    what="parsing a 100-item feed",
    against="feedparser alone on the same bytes (its own sanitizing on)",
    goal="p95 <= 50 ms",
)
def feed_parsing(ctx: Context) -> Outcome:
    body = rss_generate("parse", 100)
    items = len(feed_parse(body, "application/rss+xml").entries)
    timings = interleaved(
        {
            "ours": lambda: feed_parse(body, "application/rss+xml"),
            "feedparser": lambda: feedparser.parse(body),
        },
        repeats=max(ctx.repeats, 10 if ctx.scale < 0.1 else 30),
    )
    ours, peer = timings["ours"], timings["feedparser"]
    return Outcome(
        summary=(
            f"p95 {_ms(ours.p95)} ms, p50 {_ms(ours.p50)} ms for {items} items "
            f"({len(body) // 1024} KiB) = {ours.p50 / peer.p50:.2f}x feedparser "
            f"alone ({_ms(peer.p50)} ms)"
        ),
        figures={
            "items": items,
            "bytes": len(body),
            "parse_p50_ms": _ms(ours.p50),
            "parse_p95_ms": _ms(ours.p95),
            "feedparser_p50_ms": _ms(peer.p50),
            "feedparser_p95_ms": _ms(peer.p95),
            "over_feedparser": round(ours.p50 / peer.p50, 3),
        },
        met=ours.p95 <= 0.050,
        note=""
        if ours.p95 <= 0.050
        else (
            "feedparser is the parser (the streaming fast path is gone: it "
            "reproduced feedparser on its private functions and was "
            "quadratic on wide documents), so the figure is feedparser's "
            "own cost, plus one pass of expat for the declaration check and "
            "nh3 on each summary; on a machine shared with other work the "
            "p95 moves with the load, and the ratio to feedparser is the "
            "stable figure."
        ),
    )
