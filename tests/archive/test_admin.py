"""The archive in the admin: each source's copies and link history, the
quotes not found, actions that check permissions, the WARC export."""

import io

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from django.utils import timezone
from warcio.archiveiterator import ArchiveIterator

from tracker.models import LinkCheck, SourceSnapshot
from tracker.services.archive import link_check, snapshot_ship

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(client):
    """Staff who may only look at sources."""
    user = User.objects.create_user("viewer", password="pw-viewer-only", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_source", "view_sourcesnapshot", "view_quotenotfound"]
        )
    )
    client.force_login(user)
    return client


def test_the_source_page_shows_link_health_copies_and_history(
    admin_client, private_feeds_allowed, feed_server, source_make
):
    source = source_make(feed_server.url("/gone"))
    link_check(source_id=source.pk)

    page = admin_client.get(
        reverse("admin:tracker_source_change", args=[source.pk])
    ).content.decode()

    assert "Link health" in page and "Failing" in page
    assert "link checks (history)" in page.lower()
    assert "HTTP 404" in page


def test_the_sources_list_filters_by_link_status(admin_client, source_make):
    source_make("https://news.example.org/a")

    response = admin_client.get(
        reverse("admin:tracker_source_changelist"), {"link_health__status": "dead"}
    )

    assert response.status_code == 200


def test_quotes_not_found_are_listed_for_staff(admin_client, source_make, cite):
    source = source_make("")
    snapshot_ship(source=source, text="The page says this.", shipped_at=timezone.now())
    cite(source, "The page says this.", title="Found show")
    cite(source, "The page never said that.", title="Missing show")

    page = admin_client.get(
        reverse("admin:tracker_quotenotfound_changelist")
    ).content.decode()

    assert "The page never said that." in page
    assert "The page says this." not in page
    assert "Missing show" in page


def test_archive_now_archives_for_staff_who_may_change_sources(
    admin_client, private_feeds_allowed, article_url, source_make
):
    source = source_make(article_url)

    response = admin_client.post(
        reverse("admin:tracker_source_changelist"),
        {"action": "snapshot_now", "_selected_action": [source.pk]},
        follow=True,
    )

    assert f"{source}: archived." in response.content.decode()
    assert SourceSnapshot.objects.filter(source=source, latest=True).exists()


def test_view_only_staff_can_neither_archive_nor_recheck(
    viewer, private_feeds_allowed, feed_server, article_url, source_make
):
    source = source_make(article_url)

    for action in ("snapshot_now", "recheck_link_now"):
        viewer.post(
            reverse("admin:tracker_source_changelist"),
            {"action": action, "_selected_action": [source.pk]},
        )

    assert not SourceSnapshot.objects.exists()
    assert not LinkCheck.objects.exists()
    assert feed_server.seen == []


def test_a_refusal_shows_as_not_archived(
    admin_client, settings, article_url, source_make
):
    settings.TRACKER_ALLOW_PRIVATE_FEEDS = False
    source = source_make(article_url)

    response = admin_client.post(
        reverse("admin:tracker_source_changelist"),
        {"action": "snapshot_now", "_selected_action": [source.pk]},
        follow=True,
    )

    assert "not archived: Refused" in response.content.decode()


def test_snapshots_download_as_a_warc_file(viewer, source_make):
    source = source_make("")
    snapshot_ship(source=source, text="Shipped words.", shipped_at=timezone.now())
    snapshot = SourceSnapshot.objects.get()

    response = viewer.post(
        reverse("admin:tracker_sourcesnapshot_changelist"),
        {"action": "warc_download", "_selected_action": [snapshot.pk]},
    )

    assert response["Content-Type"] == "application/warc"
    bodies = [
        record.content_stream().read()
        for record in ArchiveIterator(io.BytesIO(response.content))
    ]
    assert bodies == [b"Shipped words."]
