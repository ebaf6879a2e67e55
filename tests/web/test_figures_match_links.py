"""Every count on the case page equals the number of records its link
opens, under one definition of year; the headline names its cohort."""

import re

import pytest

from tracker.demo import demo_data_load
from tracker.web.views import case_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    demo_data_load()


def _linked_counts(context):
    for figure in context["figures"].values():
        for row in figure["rows"]:
            for key in ("used", "not_used", "unknown", "count"):
                url = row.get(f"{key}_url") if key != "count" else row.get("url")
                if url:
                    yield row[key], url


def test_every_linked_count_equals_the_records_its_link_opens(client, demo):
    checked = 0
    for count, url in _linked_counts(case_context()):
        response = client.get(url)
        assert response.status_code == 200, url
        shown = re.search(r'data-count="(\d+)"', response.content.decode())
        assert shown and int(shown.group(1)) == count, url
        # The same filter in the API counts the same records.
        path, _, query = url.partition("?")
        api = client.get(f"/api/v1{path}" + (f"?{query}" if query else ""))
        assert api.json()["count"] == count, url
        checked += 1
    assert checked > 10


def test_every_cohort_count_opens_a_list_of_that_many(client, demo):
    html = client.get("/").content.decode()
    section = re.search(r'<section id="cohorts".*?</section>', html, re.S).group(0)
    links = re.findall(r'<a href="([^"]+)">(\d+)</a>', section)

    # used, members and unknown of each cohort (its "known" has no filter).
    assert len(links) == 3 * section.count('class="cohort"')
    for url, shown in links:
        response = client.get(url.replace("&amp;", "&"))
        count = re.search(r'data-count="(\d+)"', response.content.decode())
        assert count and int(count.group(1)) == int(shown), url


def test_a_running_series_counts_in_every_year_it_was_on_screen(demo):
    rows = {r["label"]: r for r in case_context()["figures"]["ic_by_year"]["rows"]}

    # Bridgerton (2020, running) is on screen in 2024; BITE has no year,
    # and the undated row opens the undated productions.
    assert rows["2024"]["used"] >= 2
    assert rows["Undated"]["used"] == 1
    assert rows["Undated"]["used_url"] == "/productions/?ic_status=used&undated=true"


def test_the_headline_names_its_cohort_size_unknowns_and_interval(client, demo):
    html = client.get("/").content.decode()
    lead = re.search(r'figure--lead">(.*?)</li>', html, re.S).group(1)
    text = " ".join(re.sub(r"<[^>]+>", " ", lead).split())

    assert text == (
        "100% of the BAFTA TV 2021 Mini-Series nominees with a known IC status "
        "used an intimacy coordinator 2 of 2 known; 2 of 4 unknown; 95% "
        "interval 34% to 100%"
    )


def test_the_methodology_page_says_how_and_when(client, demo):
    page = client.get("/methodology/").content.decode()

    for words in ("known", "evidence ladder", "deprecated", "Wilson", "CC BY 4.0"):
        assert words in page
    assert "<time datetime=" in page
