"""Row 3b: searching news on PostgreSQL, against ILIKE."""

from __future__ import annotations

from bench.news_data import entries_generate, news_clear
from bench.news_data import entries_store_chunked as _store
from bench.news_data import ms as _ms
from bench.registry import Context, Outcome, row
from bench.timing import interleaved
from tracker.models import Feed, NewsArticle


@row(
    "3b",
    what="?search= on news (PostgreSQL), 100k news items",
    against="ILIKE over the same folded text",
    goal="uses an index; p95 <= 50 ms; >= 20x faster than ILIKE",
)
def news_search(ctx: Context) -> Outcome:
    # The query under /api/v1/news/?search= (its public list adds a filter
    # on approved matches, which generated articles do not have).
    from django.db import connection

    from bench.rows.api import _ilike, _page
    from tracker.search import search_filter

    if connection.vendor != "postgresql":
        return Outcome(
            summary="PostgreSQL only (run with DATABASE_URL)",
            figures={"skipped": "not PostgreSQL"},
            met=None,
        )
    count = max(1000, int(100_000 * ctx.scale))
    news_clear()
    feed = Feed.objects.create(url="https://trade.example/search", name="search")
    _store(feed, entries_generate(count))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tracker_newsarticle")
    articles = NewsArticle.objects.order_by("-published_at", "-id")
    # One story, by title words: its number is a prefix of no other.
    query = f"story {count // 2 + 7}"
    ours = search_filter(articles, query)
    theirs = _ilike(articles, query)
    plan = ours.explain()
    uses_index = "tracker_newsarticle_search" in plan
    timings = interleaved(
        {"ours": lambda: _page(ours.all()), "ilike": lambda: _page(theirs.all())},
        repeats=max(ctx.repeats, 20),
    )
    found = ours.count()
    factor = timings["ilike"].p50 / timings["ours"].p50
    p95 = timings["ours"].p95
    met = uses_index and p95 <= 0.050 and factor >= 20
    return Outcome(
        summary=(
            f"{count:,} articles, {found} found; p50 {_ms(timings['ours'].p50)} ms, "
            f"p95 {_ms(p95)} ms, {factor:.0f}x faster than ILIKE; "
            f"index {'used' if uses_index else 'NOT used'}"
        ),
        figures={
            "articles": count,
            "found": found,
            "query_p50_ms": _ms(timings["ours"].p50),
            "query_p95_ms": _ms(p95),
            "ilike_p50_ms": _ms(timings["ilike"].p50),
            "ilike_over_ours": round(factor, 1),
            "uses_index": uses_index,
            "plan": plan,
        },
        met=met,
    )
