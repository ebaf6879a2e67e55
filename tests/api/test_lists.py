"""Every list endpoint costs the same number of queries for a page of 1 as
for a page of 100, and claims carry their sources inline."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.api.resources import CLAIM_RESOURCES, RESOURCES
from tracker import choices as c
from tracker.models import Citation, CitedClaim

FULL_PAGE = 100


def _with_relations(resource, obj):
    """Fill the relations a serializer reads, so a missing prefetch shows
    up as one more query per row."""
    path = resource.path
    if issubclass(resource.model, CitedClaim):
        # A disputing source, so `disputed` is read from rows that are.
        Citation.objects.create(
            claim=obj, source=f.SourceFactory(), stance=c.CitationStance.DISPUTES
        )
    if path == "productions":
        f.CreditFactory(production=obj)
    elif path == "people":
        f.CreditFactory(person=obj)
    elif path == "organizations":
        obj.parent = f.OrganizationFactory()
        obj.save(update_fields=["parent"])
    elif path == "award-outcomes":
        obj.people.add(f.PersonFactory())
    elif path == "stats":
        obj.publishers.add(f.OrganizationFactory())
    elif path == "campaigns":
        obj.precedents.add(
            f.AwardCategoryFactory(
                status=c.AwardCategoryStatus.INTRODUCED, year_introduced=2026
            )
        )
        milestone = f.CampaignMilestoneFactory(campaign=obj)
        Citation.objects.create(
            claim=milestone,
            source=f.SourceFactory(),
            stance=c.CitationStance.DISPUTES,
        )
        obj.proposed_category = f.AwardCategoryFactory()
        obj.save(update_fields=["proposed_category"])


def _queries(api, path, page_size):
    # The page count is cached per data version; start cold each time so
    # both page sizes pay for the same COUNT.
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = api.get(f"/api/v1/{path}/", {"page_size": page_size})
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == page_size
    return len(captured.captured_queries)


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_a_page_of_100_costs_the_queries_of_a_page_of_1(api, resource):
    for _ in range(FULL_PAGE + 1):
        _with_relations(resource, resource.make())
    assert _queries(api, resource.path, 1) == _queries(api, resource.path, FULL_PAGE)


@pytest.mark.parametrize("resource", CLAIM_RESOURCES, ids=str)
def test_claims_carry_their_sources_inline(api, resource):
    obj = resource.make()
    source = obj.citations.get().source
    source.publisher = "The Guardian"
    source.published_on = "2021-04-12"
    source.save()

    listed = api.get(f"/api/v1/{resource.path}/").json()["results"]
    detail = api.get(f"/api/v1/{resource.path}/{obj.slug}/").json()

    expected = {
        "source": source.slug,
        "url": source.url,
        "title": source.title,
        "publisher": "The Guardian",
        "date": "2021-04-12",
    }
    for record in (listed[0], detail):
        (citation,) = record["citations"]
        assert {key: citation[key] for key in expected} == expected


def test_campaign_milestones_carry_their_sources_inline(api):
    milestone = f.CampaignMilestoneFactory()
    source = milestone.citations.get().source
    (campaign,) = api.get("/api/v1/campaigns/").json()["results"]
    (listed,) = campaign["milestones"]
    assert listed["citations"][0]["url"] == source.url
    assert listed["citations"][0]["title"] == source.title


@pytest.mark.parametrize("resource", CLAIM_RESOURCES, ids=str)
def test_claims_say_whether_they_are_disputed_and_deprecated(api, resource):
    disputed, withdrawn, plain = (resource.make() for _ in range(3))
    disputing = Citation.objects.create(
        claim=disputed,
        source=f.SourceFactory(url="https://example.org/other-account"),
        stance=c.CitationStance.DISPUTES,
        source_says="another award",
    )
    resource.model.objects.filter(pk=withdrawn.pk).update(
        deprecated_on="2026-01-02", deprecation_reason="Found wrong."
    )

    listed = {
        r["slug"]: r for r in api.get(f"/api/v1/{resource.path}/").json()["results"]
    }

    for obj, expected in (
        (disputed, (True, False)),
        (withdrawn, (False, True)),
        (plain, (False, False)),
    ):
        detail = api.get(f"/api/v1/{resource.path}/{obj.slug}/").json()
        for record in (listed[obj.slug], detail):
            assert (record["disputed"], record["deprecated"]) == expected
    assert listed[withdrawn.slug]["deprecated_on"] == "2026-01-02"
    assert listed[withdrawn.slug]["deprecation_reason"] == "Found wrong."
    (against,) = [
        x for x in listed[disputed.slug]["citations"] if x["stance"] == "disputes"
    ]
    assert against["url"] == "https://example.org/other-account"
    assert (against["source_says"], against["deprecated"]) == ("another award", False)
    # A deprecated disputing citation no longer disputes.
    disputing.deprecated_on, disputing.deprecation_reason = "2026-01-03", "Misread."
    disputing.save()
    record = api.get(f"/api/v1/{resource.path}/{disputed.slug}/").json()
    assert record["disputed"] is False


def test_campaign_milestones_say_whether_they_are_disputed(api):
    milestone = f.CampaignMilestoneFactory()
    Citation.objects.create(
        claim=milestone, source=f.SourceFactory(), stance=c.CitationStance.DISPUTES
    )
    f.CampaignMilestoneFactory(campaign=milestone.campaign)
    (campaign,) = api.get("/api/v1/campaigns/").json()["results"]
    assert sorted(m["disputed"] for m in campaign["milestones"]) == [False, True]
    assert {m["deprecated"] for m in campaign["milestones"]} == {False}
