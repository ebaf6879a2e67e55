"""add_feed and refresh_news, and the demo feeds."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tracker.models import Feed, NewsArticle, Organization
from tracker.news.demo import DEMO_FEEDS, demo_feeds_load


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_add_feed_adds_a_public_feed(settings):
    settings.TRACKER_ALLOW_PRIVATE_FEEDS = True

    output = run("add_feed", "https://127.0.0.1/rss", "--name", "Local paper")

    feed = Feed.objects.get()
    assert (feed.url, feed.name) == ("https://127.0.0.1/rss", "Local paper")
    assert f"Added feed {feed.pk}" in output


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/rss", "loopback"),
        ("http://[::1]/rss", "loopback"),
        ("gopher://example.org/", "Only http and https"),
    ],
)
def test_add_feed_refuses_what_the_fetcher_refuses(url, reason):
    with pytest.raises(CommandError, match=reason):
        run("add_feed", url)
    assert not Feed.objects.exists()


@pytest.mark.django_db
def test_refresh_news_stores_once_and_reports_not_modified_the_second_time(
    feed_server, feed_file, feed_make, private_feeds_allowed
):
    from tests.news.test_services import serve_with_etag

    good = feed_make(serve_with_etag(feed_server, "/rss", feed_file("rss2.xml")))
    bad = feed_make(feed_server.route("/broken", status=500))
    feed_make(feed_server.route("/off", body=feed_file("atom.xml")), active=False)

    first = json.loads(run("refresh_news", "--json"))
    second = json.loads(run("refresh_news", "--json"))

    assert first["feeds"] == [
        {
            "url": good.url,
            "status": "ok",
            "new": 2,
            "updated": 0,
            "unchanged": 0,
            "error": "",
        },
        {
            "url": bad.url,
            "status": "error",
            "new": 0,
            "updated": 0,
            "unchanged": 0,
            "error": f"HTTP 500 from {bad.url}",
        },
    ]
    assert first["totals"] == {
        "feeds": 2,
        "ok": 1,
        "not_modified": 0,
        "error": 1,
        "new": 2,
        "updated": 0,
        "unchanged": 0,
    }
    assert [f["status"] for f in second["feeds"]] == ["not_modified", "error"]
    assert NewsArticle.objects.count() == 2


@pytest.mark.django_db
def test_refresh_news_takes_one_feed_by_id_or_url_and_prints_a_summary(
    feed_server, feed_file, feed_make, private_feeds_allowed
):
    one = feed_make(feed_server.route("/one", body=feed_file("feed.json")))
    feed_make(feed_server.route("/two", body=feed_file("atom.xml")))

    by_id = run("refresh_news", "--feed", str(one.pk))
    by_url = run("refresh_news", "--feed", one.url)

    assert f"{one.url}: ok, 1 new, 0 updated, 0 unchanged" in by_id
    assert "1 feed(s): 0 new, 0 updated, 1 unchanged, 0 failed." in by_url
    with pytest.raises(CommandError, match="No feed with id or URL '999'"):
        run("refresh_news", "--feed", "999")


@pytest.mark.django_db
def test_the_demo_feeds_load_once_with_their_publisher():
    thr = Organization.objects.create(
        name="The Hollywood Reporter", slug="the-hollywood-reporter", kind="publisher"
    )

    assert demo_feeds_load() == len(DEMO_FEEDS)
    assert demo_feeds_load() == 0
    assert Feed.objects.get(name="The Hollywood Reporter").publisher == thr
    assert all(f.url.startswith("https://") for f in Feed.objects.all())
