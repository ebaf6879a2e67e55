"""Every list endpoint costs the same number of queries for a page of 1 as
for a page of 100, and claims carry their sources inline."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.api.resources import CLAIM_RESOURCES, RESOURCES
from tracker import choices as c

FULL_PAGE = 100


def _with_relations(resource, obj):
    """Fill the relations a serializer reads, so a missing prefetch shows
    up as one more query per row."""
    path = resource.path
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
        f.CampaignMilestoneFactory(campaign=obj)
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
