import zipfile
from datetime import timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tracker.services.releases import release_create

pytestmark = pytest.mark.django_db


def test_data_lists_every_release_newest_first_with_its_zip(client, releases_dir):
    factories.ProductionFactory(slug="first")
    release_create()
    factories.ProductionFactory(slug="second")
    release_create(version="1.1.0")

    html = client.get("/data/").content.decode()

    assert html.index('id="release-1.1.0"') < html.index('id="release-1.0.0"')
    assert "/data/1.0.0/ic-awards-tracker.zip" in html
    assert "(Version 1.1.0) [Data set]" in html
    assert "CC BY 4.0" in html


def test_a_release_downloads_as_a_zip_of_its_files(client, releases_dir):
    factories.ProductionFactory(slug="in-the-zip")
    release_create()

    response = client.get("/data/1.0.0/ic-awards-tracker.zip")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "ic-awards-tracker-1.0.0.zip" in response["Content-Disposition"]
    archive = zipfile.ZipFile(BytesIO(b"".join(response.streaming_content)))
    data = archive.read("ic-awards-tracker-1.0.0/productions.csv").decode()
    assert "in-the-zip" in data


@pytest.mark.parametrize("version", ["9.9.9", "..", "1.0"])
def test_an_unknown_release_is_a_404(client, releases_dir, version):
    factories.ProductionFactory()
    release_create()

    assert client.get(f"/data/{version}/ic-awards-tracker.zip").status_code == 404


def test_data_without_a_release_says_so(client, releases_dir):
    html = client.get("/data/").content.decode()

    assert "No release has been published yet" in html


def test_the_data_page_costs_no_queries_whatever_the_number_of_releases(
    client, releases_dir
):
    factories.ProductionFactory()
    release_create()
    # Each release changes the data version, so both pages below are
    # rendered afresh (the footer reads the date of the last change once
    # per version): only the number of releases differs.
    with CaptureQueriesContext(connection) as one:
        assert client.get("/data/").status_code == 200
    for _ in range(3):
        release_create()
    with CaptureQueriesContext(connection) as four:
        html = client.get("/data/").content.decode()

    assert html.count('class="release"') == 4
    assert len(four) == len(one)


def test_a_record_page_cites_the_release_that_holds_it(client, releases_dir):
    production = factories.ProductionFactory(title="Cited Show", slug="cited-show")
    release_create()
    newer = factories.ProductionFactory(title="Newer Show", slug="newer-show")

    cited = client.get(f"/productions/{production.slug}/").content.decode()
    later = client.get(f"/productions/{newer.slug}/").content.decode()

    assert "(Version 1.0.0) [Data set]" in cited
    assert "record productions/cited-show" in cited
    assert "record productions/newer-show" not in later
    assert "Newer Show is newer than release 1.0.0" in later


def test_person_and_campaign_pages_carry_the_cite_block(client, releases_dir):
    person = factories.PersonFactory(slug="someone")
    campaign = factories.CampaignFactory(slug="a-campaign")
    release_create()

    for url in (f"/people/{person.slug}/", f"/campaigns/{campaign.slug}/"):
        html = client.get(url).content.decode()
        assert 'data-release="1.0.0"' in html, url


def test_a_milestone_page_cites_the_campaign_release_that_holds_it(
    client, releases_dir
):
    # A milestone has no slug: the release shows it inside its campaign.
    milestone = factories.CampaignMilestoneFactory(
        title="Open letter", campaign__slug="the-campaign"
    )
    release_create()
    later = factories.CampaignMilestoneFactory(
        title="Second letter", campaign=milestone.campaign
    )
    # Added after it: the release names its time to the second, and the
    # whole of that second counts as before it.
    type(later).objects.filter(pk=later.pk).update(
        created_at=timezone.now() + timedelta(seconds=2)
    )

    cited = client.get(f"/milestones/{milestone.pk}/").content.decode()
    newer = client.get(f"/milestones/{later.pk}/").content.decode()

    assert "is newer than release" not in cited
    assert "record campaigns/the-campaign." in cited
    assert "Second letter is newer than release 1.0.0" in newer
    assert "it will be in the next release" in newer
    assert "record campaigns/the-campaign" not in newer


def test_a_milestone_edited_since_the_release_is_still_in_it(client, releases_dir):
    milestone = factories.CampaignMilestoneFactory(title="Open letter")
    # Made well before the release (the release names its time to the
    # second), then edited: its row in the release no longer matches it.
    type(milestone).objects.filter(pk=milestone.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    release_create()
    milestone.refresh_from_db()
    milestone.title = "Open letter, signed"
    milestone.save()

    html = client.get(f"/milestones/{milestone.pk}/").content.decode()

    assert "is newer than release" not in html
    assert f"record campaigns/{milestone.campaign.slug}." in html
