"""Archived sources against the suite's real HTTP server on 127.0.0.1."""

import pytest

from tests import factories
from tests.news.conftest import (  # noqa: F401  (fixtures)
    feed_server,
    hostile_server,
    private_feeds_allowed,
)

ARTICLE_HTML = (
    "<!doctype html><html><head><title>On set</title>"
    '<script src="https://tracker.example/analytics.js"></script></head><body>'
    "<nav>Home | News | Sport</nav><article><h1>The coordinator on set</h1>"
    "<p>Ita O\u2019Brien said an intimacy coordinator \u201cis as essential as a "
    "stunt coordinator\u201d on any production with intimate scenes.</p>"
    "<p>She added that consent is an ongoing conversation, not a form signed "
    "once before filming begins, and that actors need time to prepare.</p>"
    "<p>Productions that hired one reported fewer complaints from cast and "
    "crew over the following two seasons of filming.</p>"
    "</article><footer>Copyright the paper</footer></body></html>"
).encode()


@pytest.fixture
def archiving(settings, private_feeds_allowed):  # noqa: F811
    """Saving a source archives it, as in production, and the local server
    counts as reachable."""
    settings.TRACKER_ARCHIVE_ON_SAVE = True
    return settings


@pytest.fixture
def article_url(feed_server):  # noqa: F811
    return feed_server.route(
        "/story.html",
        body=ARTICLE_HTML,
        headers={"Content-Type": "text/html; charset=utf-8"},
    )


@pytest.fixture
def cite(db):
    """A production claim citing `source` with `quote`, through the
    service every write path uses."""
    from tracker.models import Production
    from tracker.services.records import record_create, record_update

    def make(source, quote, title="Normal People", claim=None):
        citations = [{"source": source, "quote": quote, "stance": "supports"}]
        if claim is not None:
            return record_update(instance=claim, fields={}, citations=citations)
        return record_create(
            model=Production,
            fields={
                "title": title,
                "kind": "series",
                "ic_status": "used",
                "ic_evidence": "press_report",
            },
            citations=citations,
        )

    return make


@pytest.fixture
def source_make(db):
    def make(url="", **kwargs):
        return factories.SourceFactory(url=url, **kwargs)

    return make
