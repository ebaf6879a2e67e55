"""Save Page Now, against a local fake of the Wayback Machine: never the
real one."""

import pytest

from tracker.models import SourceLink
from tracker.tasks import snapshot_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def wayback(settings, feed_server):
    """A fake Save Page Now that answers /save/<url> with a redirect to
    /web/<timestamp>/<url>, as the real one does."""
    from tests.news.conftest import Route

    def save(handler):
        target = handler.path.removeprefix("/save/")
        copy = f"/web/20261201093000/{target}"
        feed_server.routes[copy] = Route(body=b"<html>the copy</html>")
        return Route(status=302, headers={"Location": copy})

    settings.TRACKER_WAYBACK_SAVE_URL = feed_server.url("/save/")
    return save


def test_with_wayback_on_a_new_source_is_submitted_and_its_copy_stored(
    archiving, settings, feed_server, wayback, article_url, source_make
):
    settings.TRACKER_WAYBACK = True
    source = source_make(article_url)
    feed_server.route(f"/save/{article_url}", handler=wayback)

    result = snapshot_source.delay(source.pk).get()

    expected = feed_server.url(f"/web/20261201093000/{article_url}")
    assert result["wayback_url"] == expected
    assert SourceLink.objects.get(source=source).wayback_url == expected


def test_wayback_is_off_by_default(archiving, feed_server, article_url, source_make):
    source = source_make(article_url)

    result = snapshot_source.delay(source.pk).get()

    assert result["wayback_url"] == ""
    assert [path for path, _ in feed_server.seen] == ["/story.html"]


def test_a_failed_submission_is_recorded_not_raised(
    archiving, settings, feed_server, article_url, source_make
):
    settings.TRACKER_WAYBACK = True
    settings.TRACKER_WAYBACK_SAVE_URL = feed_server.url("/save/")
    source = source_make(article_url)

    result = snapshot_source.delay(source.pk).get()

    link = SourceLink.objects.get(source=source)
    assert result["wayback_url"] == "" and link.wayback_url == ""
    assert "HTTP 404" in link.wayback_error
