"""The canonical form of an article's address."""

import pytest

from tracker.news.canonical import url_canonicalize


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "https://Trade.Example/story?utm_source=rss&utm_medium=x&id=7#comments",
            "https://trade.example/story?id=7",
        ),
        (
            "https://trade.example:443/story?fbclid=1&gclid=2&b=2&a=1",
            "https://trade.example/story?a=1&b=2",
        ),
        ("HTTP://TRADE.EXAMPLE", "http://trade.example/"),
        ("http://trade.example:8080/x?mc_cid=1", "http://trade.example:8080/x"),
    ],
)
def test_canonical_urls_drop_tracking_and_fragments(url, canonical):
    assert url_canonicalize(url) == canonical
