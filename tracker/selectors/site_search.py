"""The site-wide search: every kind of record and the approved news,
through the same `tracker.search.search_filter` the API's `?search=` uses
(full text on PostgreSQL, folded text on SQLite), so a group's "all N"
link opens an index page with exactly those N records."""

from tracker.search import search_filter, search_words
from tracker.selectors.news import news_article_list

SEARCH_LIMIT = 5


def _group(queryset, limit: int) -> tuple[list, int]:
    # One query for a group that fits; a count only when there are more.
    results = list(queryset[: limit + 1])
    if len(results) <= limit:
        return results, len(results)
    return results[:limit], queryset.count()


def site_search(query: str, kinds, *, limit: int = SEARCH_LIMIT) -> list[dict]:
    """Groups of matches, one per kind of record that has any (each kind
    gives its `list_selector`), in the order given, then the news."""
    if not search_words(query):
        return []
    groups = []
    for kind in kinds:
        results, count = _group(search_filter(kind.list_selector(), query), limit)
        if count:
            groups.append({"kind": kind, "results": results, "count": count})
    news, count = _group(search_filter(news_article_list(), query), limit)
    if count:
        groups.append({"kind": None, "results": news, "count": count})
    return groups
