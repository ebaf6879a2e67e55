"""The news admin: feed health and "refresh now", and the review queue."""

import pytest
from django.urls import reverse

from tracker.choices import FeedStatus, ReviewStatus
from tracker.models import ArticleMatch, Feed
from tracker.news.services import feed_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def refreshed_feed(feed_server, feed_file, feed_make, known_entities, settings):
    settings.TRACKER_ALLOW_PRIVATE_FEEDS = True
    feed = feed_make(feed_server.route("/rss", body=feed_file("rss2.xml")))
    feed_refresh(feed_id=feed.pk)
    return feed


def test_the_review_queue_filters_by_status_and_flags(admin_client, refreshed_feed):
    url = reverse("admin:tracker_articlematch_changelist")

    pending = admin_client.get(url, {"review_status__exact": "pending"})
    flagged = admin_client.get(url, {"award_mention__exact": "1", "q": "O'Brien"})

    assert pending.status_code == 200
    assert pending.context["cl"].result_count == ArticleMatch.objects.count() == 4
    assert [m.entity.name for m in flagged.context["cl"].result_list] == ["Ita O'Brien"]


def test_the_review_queue_lists_in_a_fixed_number_of_queries(
    admin_client, refreshed_feed, django_assert_max_num_queries
):
    url = reverse("admin:tracker_articlematch_changelist")
    admin_client.get(url)

    with django_assert_max_num_queries(12):
        response = admin_client.get(url)

    assert response.status_code == 200


def test_bulk_approve_and_reject_record_the_reviewer(
    admin_client, superuser, refreshed_feed
):
    url = reverse("admin:tracker_articlematch_changelist")
    matches = list(ArticleMatch.objects.order_by("pk"))

    admin_client.post(
        url,
        {"action": "approve", "_selected_action": [m.pk for m in matches[:3]]},
    )
    admin_client.post(url, {"action": "reject", "_selected_action": [matches[3].pk]})

    statuses = list(
        ArticleMatch.objects.order_by("pk").values_list("review_status", flat=True)
    )
    assert statuses == [ReviewStatus.APPROVED] * 3 + [ReviewStatus.REJECTED]
    assert set(ArticleMatch.objects.values_list("reviewed_by", flat=True)) == {
        superuser.pk
    }


def test_refresh_now_queues_a_task_per_feed_and_says_so(admin_client, refreshed_feed):
    """The request only queues; the task (run eagerly by the test settings,
    as a worker would) fetches."""
    Feed.objects.filter(pk=refreshed_feed.pk).update(last_status=FeedStatus.NEVER)

    response = admin_client.post(
        reverse("admin:tracker_feed_changelist"),
        {"action": "refresh_now", "_selected_action": [refreshed_feed.pk]},
        follow=True,
    )

    text = [str(m) for m in response.context["messages"]]
    assert text == [
        "Refresh queued for 1 feed(s); each feed's status shows the result "
        "once the worker has fetched it."
    ]
    refreshed_feed.refresh_from_db()
    assert refreshed_feed.last_status in (FeedStatus.OK, FeedStatus.NOT_MODIFIED)


def test_refresh_now_does_not_fetch_inside_the_request(
    admin_client, refreshed_feed, monkeypatch
):
    """With tasks sent to a broker (kombu's in-memory one) instead of run
    eagerly, the request returns before anything is fetched."""
    from config.celery_app import app

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    Feed.objects.filter(pk=refreshed_feed.pk).update(last_status=FeedStatus.NEVER)

    response = admin_client.post(
        reverse("admin:tracker_feed_changelist"),
        {"action": "refresh_now", "_selected_action": [refreshed_feed.pk]},
        follow=True,
    )

    assert "Refresh queued for 1 feed(s)" in str(list(response.context["messages"])[0])
    refreshed_feed.refresh_from_db()
    assert refreshed_feed.last_status == FeedStatus.NEVER


def test_the_feed_list_shows_health(admin_client, refreshed_feed):
    Feed.objects.filter(pk=refreshed_feed.pk).update(
        last_error="HTTP 500 from somewhere", consecutive_failures=3
    )

    response = admin_client.get(reverse("admin:tracker_feed_changelist"))

    assert b"HTTP 500 from somewhere" in response.content
    assert response.context["cl"].result_list[0].article_total == 2


def test_the_feed_form_refuses_a_private_address(admin_client, settings):
    settings.TRACKER_ALLOW_PRIVATE_FEEDS = False

    response = admin_client.post(
        reverse("admin:tracker_feed_add"),
        {
            "url": "http://169.254.169.254/latest/",
            "name": "Metadata",
            "active": "on",
            "interval_minutes": "30",
        },
    )

    assert response.status_code == 200
    assert "link-local" in str(response.context["adminform"].form.errors["url"])
    assert not Feed.objects.exists()
