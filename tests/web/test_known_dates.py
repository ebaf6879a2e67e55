"""A date is shown as precisely as it is known, to readers and machines: a
source dated only to its year is stored as 1 January, and must not read as
published that day on a page, in a <time> attribute or in the API."""

import datetime as dt

import pytest

from tests import factories
from tracker.choices import DatePrecision
from tracker.demo import demo_data_load
from tracker.models.base import date_machine

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("precision", "machine"),
    [
        (DatePrecision.YEAR, "2024"),
        (DatePrecision.MONTH, "2024-01"),
        (DatePrecision.DAY, "2024-01-01"),
    ],
)
def test_the_machine_date_says_no_more_than_is_known(precision, machine):
    assert date_machine(dt.date(2024, 1, 1), precision) == machine
    assert date_machine(None, precision) == ""


@pytest.fixture
def year_source():
    return factories.SourceFactory(
        slug="a-feature",
        title="A feature",
        published_on=dt.date(2024, 1, 1),
        published_precision=DatePrecision.YEAR,
    )


def test_a_citation_of_a_year_dated_source_shows_the_year_alone(client, year_source):
    statement = factories.StatementFactory(slug="said", cite=year_source)

    html = client.get(f"/statements/{statement.slug}/").content.decode()

    assert '<time datetime="2024">2024</time>' in html
    assert "1 January 2024" not in html
    assert "2024-01-01" not in html


@pytest.mark.parametrize("path", ["/sources/a-feature/", "/sources/"])
def test_the_source_page_and_index_show_the_year_alone(client, year_source, path):
    html = client.get(path).content.decode()

    assert '<time datetime="2024">2024</time>' in html
    assert "1 January 2024" not in html


def test_the_api_gives_each_source_date_its_precision(client, year_source):
    statement = factories.StatementFactory(slug="said", cite=year_source)

    (citation,) = client.get(f"/api/v1/statements/{statement.slug}/").json()[
        "citations"
    ]
    source = client.get("/api/v1/sources/a-feature/").json()

    assert (citation["date"], citation["date_precision"]) == ("2024-01-01", "year")
    assert (source["published_on"], source["published_precision"]) == (
        "2024-01-01",
        "year",
    )


def test_year_and_month_dates_tell_machines_no_more_than_is_known(client):
    demo_data_load()

    case = client.get("/").content.decode()
    policy = client.get(
        "/policies/hbo-intimacy-coordinators-for-intimate-scenes/"
    ).content.decode()

    # The call for nominations is dated to its year, HBO's policy to its
    # month; the Academy's announcement to its day.
    assert '<time datetime="2024">2024</time>' in case
    assert '<time datetime="2024-02-08">8 February 2024</time>' in case
    assert '<time datetime="2018-10">October 2018</time>' in policy
    assert "2024-01-01" not in case and "2018-10-01" not in policy


def test_the_api_gives_a_policys_and_a_milestones_precision(client):
    demo_data_load()

    policy = client.get(
        "/api/v1/policies/hbo-intimacy-coordinators-for-intimate-scenes/"
    ).json()
    summary = client.get("/api/v1/summary/").json()
    milestones = [
        m
        for group in summary["campaigns_by_body"]
        for campaign in group["campaigns"]
        for m in campaign["milestones"]
    ]

    assert (policy["effective_on"], policy["effective_precision"]) == (
        "2018-10-01",
        "month",
    )
    call = next(m for m in milestones if "call for IC nominations" in m["title"])
    assert (call["date"], call["date_precision"], call["date_display"]) == (
        "2024-01-01",
        "year",
        "2024",
    )
