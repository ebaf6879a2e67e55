"""/api/v1/cohorts/: each cohort with the summary's figures (one
definition), its rule, its source and its members; read-only; the same
queries for one cohort of one member as for many of many."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tracker import choices as c
from tracker.models import Cohort
from tracker.selectors.cohorts import wilson_interval

pytestmark = pytest.mark.django_db


def _cohort(name="BAFTA TV 2021 Mini-Series nominees", members=(), **kwargs):
    cohort = Cohort.objects.create(
        name=name,
        description="The four nominees.",
        inclusion_rule="Nominated for the Mini-Series award in 2021.",
        year=2021,
        **kwargs,
    )
    cohort.members.add(*members)
    return cohort


@pytest.fixture
def nominees():
    """Four members: one used an IC, one did not, one unknown and one whose
    IC claim was deprecated (so it counts as unknown)."""
    source = f.SourceFactory(url="https://www.bafta.org/tv-2021", publisher="BAFTA")
    used = f.ProductionFactory(title="I May Destroy You", ic_status=c.ICStatus.USED)
    not_used = f.ProductionFactory(title="Adult Material", ic_status="not_used")
    unknown = f.ProductionFactory(
        title="Small Axe", ic_status=c.ICStatus.UNKNOWN, ic_evidence=""
    )
    withdrawn = f.ProductionFactory(title="Unorthodox", ic_status=c.ICStatus.USED)
    type(withdrawn).objects.filter(pk=withdrawn.pk).update(
        deprecated_on="2026-01-01", deprecation_reason="Wrong production."
    )
    f.ProductionFactory(title="Not a nominee")
    return _cohort(
        members=(used, not_used, unknown, withdrawn), list_source=source
    ), source


def test_a_cohort_gives_its_figures_rule_source_and_members(api, nominees):
    cohort, source = nominees

    body = api.get(f"/api/v1/cohorts/{cohort.slug}/").json()

    assert {k: body[k] for k in ("members", "known", "used", "not_used")} == {
        "members": 4,
        "known": 2,
        "used": 1,
        "not_used": 1,
    }
    assert (body["unknown"], body["share"]) == (2, 0.5)
    assert body["ci95"] == wilson_interval(1, 2)
    assert body["ci95"][0] < 0.5 < body["ci95"][1]
    assert body["inclusion_rule"].startswith("Nominated")
    assert (body["year"], body["self_selected"]) == (2021, False)
    assert body["source"] == {
        "slug": source.slug,
        "url": "https://www.bafta.org/tv-2021",
        "title": source.title,
        "publisher": "BAFTA",
    }
    members = {p["title"]: p for p in body["productions"]}
    assert list(members) == [
        "Adult Material",
        "I May Destroy You",
        "Small Axe",
        "Unorthodox",
    ]
    assert members["Unorthodox"]["deprecated"] is True
    first = body["productions"][0]
    assert api.get(first["url"]).json()["title"] == first["title"]


def test_the_figures_are_the_summarys_and_the_link_opens_the_members(api, nominees):
    cohort, _ = nominees
    _cohort(name="The seed's productions", self_selected=True)

    listed = api.get("/api/v1/cohorts/").json()["results"]
    summary = api.get("/api/v1/summary/").json()["cohorts"]

    assert [row["cohort"] for row in listed] == [row["cohort"] for row in summary]
    for row, figures in zip(listed, summary, strict=True):
        assert {key: row[key] for key in figures} == figures
    opened = api.get(listed[0]["productions_url"]).json()
    assert opened["count"] == listed[0]["members"] == 4


def test_an_empty_cohort_has_no_share_rather_than_a_division_error(api):
    cohort = _cohort()
    body = api.get(f"/api/v1/cohorts/{cohort.slug}/").json()
    assert (body["members"], body["share"], body["ci95"]) == (0, None, None)
    assert body["source"] is None and body["productions"] == []


def test_the_root_lists_cohorts(api):
    resources = api.get("/api/v1/").json()["resources"]
    assert resources["cohorts"].endswith("/api/v1/cohorts/")


def test_search_finds_a_cohort_by_its_name(api):
    match = _cohort()
    _cohort(name="The seed's productions", self_selected=True)
    listed = api.get("/api/v1/cohorts/?search=mini-series").json()["results"]
    assert [row["cohort"] for row in listed] == [match.slug]


@pytest.mark.parametrize(
    ("query", "parameter"), (("disputed=true", "disputed"), ("cohort=x", "cohort"))
)
def test_an_unknown_parameter_is_a_400_naming_it(api, query, parameter):
    response = api.get(f"/api/v1/cohorts/?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_cohorts_are_read_only(api, token_client):
    cohort = _cohort()
    assert api.post("/api/v1/cohorts/", {}, format="json").status_code == 405
    staff = token_client(f.StaffFactory(is_superuser=True))
    assert staff.post("/api/v1/cohorts/", {}, format="json").status_code == 405
    response = staff.delete(f"/api/v1/cohorts/{cohort.slug}/")
    assert response.status_code == 405
    assert Cohort.objects.filter(pk=cohort.pk).exists()


def test_an_unknown_cohort_is_a_json_404(api):
    response = api.get("/api/v1/cohorts/no-such-cohort/")
    assert response.status_code == 404
    assert "detail" in response.json()


def _queries(api, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


def _cohort_of(n: int, name: str):
    members = [
        f.ProductionFactory(ic_status=status)
        for status, _ in zip(
            [c.ICStatus.USED, c.ICStatus.NOT_USED] * n, range(n), strict=False
        )
    ]
    return _cohort(name=name, members=members, list_source=f.SourceFactory())


def test_a_list_of_many_cohorts_of_many_members_costs_the_queries_of_one(api):
    _cohort_of(1, "One")
    one = _queries(api, "/api/v1/cohorts/")
    for i in range(12):
        _cohort_of(12, f"Cohort {i}")
    many = _queries(api, "/api/v1/cohorts/")
    assert len(api.get("/api/v1/cohorts/").json()["results"]) == 13
    assert one == many


def test_a_cohort_of_many_members_costs_the_queries_of_one_member(api):
    small = _cohort_of(1, "Small")
    large = _cohort_of(30, "Large")
    assert _queries(api, f"/api/v1/cohorts/{small.slug}/") == _queries(
        api, f"/api/v1/cohorts/{large.slug}/"
    )
