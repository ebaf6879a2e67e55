"""/api/v1/summary/ on a small known case: unknowns counted apart, never in
the denominator; the figure follows a write."""

import datetime as dt

import pytest

from tests import factories as f
from tracker import choices as c


@pytest.fixture
def known_case(db):
    """HBO 2020: 1 used, 1 not used, 2 unknown; BAFTA 2021: 2 mentions;
    statements: 1 opposes, 1 supports; one campaign at the Emmys."""
    hbo = f.OrganizationFactory(name="HBO", slug="hbo", kind=c.OrganizationKind.NETWORK)
    for status in (c.ICStatus.USED, c.ICStatus.NOT_USED):
        f.ProductionFactory(network=hbo, start_year=2020, ic_status=status)
    for _ in range(2):
        f.ProductionFactory(
            network=hbo, start_year=2020, ic_status=c.ICStatus.UNKNOWN, ic_evidence=""
        )
    bafta = f.AwardBodyFactory(name="BAFTA", slug="bafta")
    f.AwardMentionFactory(award_bodies=[bafta], date=dt.date(2021, 4, 11))
    f.AwardMentionFactory(award_bodies=[bafta], date=dt.date(2021, 5, 1))
    f.StatementFactory(stance=c.Stance.OPPOSES)
    f.StatementFactory(stance=c.Stance.SUPPORTS)
    emmys = f.AwardBodyFactory(name="Television Academy", slug="television-academy")
    f.CampaignFactory(name="An Emmy for ICs", slug="emmys-ic", target_body=emmys)


def test_the_share_leaves_unknowns_out_of_the_denominator(api, known_case):
    body = api.get("/api/v1/summary/").json()
    assert body["totals"] == {
        "productions": 4,
        "with_ic": 1,
        "without_ic": 1,
        "unknown_ic": 2,
        "award_mentions": 2,
        "statements": 2,
        "policies": 0,
    }
    (year,) = body["ic_share_by_year"]
    assert year == {
        "year": 2020,
        "used": 1,
        "not_used": 1,
        "unknown": 2,
        "known": 2,
        "share": 0.5,
    }
    (network,) = body["ic_share_by_organization"]
    assert network["organization"] == {"slug": "hbo", "name": "HBO"}
    assert (network["share"], network["unknown"]) == (0.5, 2)


def test_mentions_statements_and_campaigns_are_counted(api, known_case):
    body = api.get("/api/v1/summary/").json()
    assert body["award_mentions_by_body_year"] == [
        {"award_body": {"slug": "bafta", "name": "BAFTA"}, "year": 2021, "count": 2}
    ]
    stances = {row["stance"]: row["count"] for row in body["statements_by_stance"]}
    assert stances == {"supports": 1, "opposes": 1, "wishes_had": 0, "neutral": 0}
    (group,) = body["campaigns_by_body"]
    assert group["award_body"]["slug"] == "television-academy"
    assert [c["slug"] for c in group["campaigns"]] == ["emmys-ic"]


def test_the_summary_follows_a_write(api, known_case):
    before = api.get("/api/v1/summary/").json()["totals"]["with_ic"]
    f.ProductionFactory(ic_status=c.ICStatus.USED, start_year=2020)
    after = api.get("/api/v1/summary/").json()["totals"]["with_ic"]
    assert (before, after) == (1, 2)


def test_an_empty_tracker_has_no_share_rather_than_a_division_error(api, db):
    body = api.get("/api/v1/summary/").json()
    assert body["totals"]["productions"] == 0
    assert body["ic_share_by_year"] == []


@pytest.mark.django_db
def test_the_summary_is_recomputed_after_a_write(client):
    """Cached on the shared data version: a new record shows at once."""
    before = client.get("/api/v1/summary/").json()["totals"]
    f.ProductionFactory()
    after = client.get("/api/v1/summary/").json()["totals"]
    assert after != before


def test_disputed_claims_are_counted_per_kind(api, db):
    """Disputed while a current citation disputes it; a deprecated claim
    or citation leaves the count."""
    from tracker.models import Citation

    def dispute(claim, **kwargs):
        Citation.objects.create(
            claim=claim,
            source=f.SourceFactory(),
            stance=c.CitationStance.DISPUTES,
            **kwargs,
        )

    dispute(f.PolicyFactory())
    dispute(f.PolicyFactory())
    dispute(f.AwardMentionFactory())
    dispute(
        f.StatementFactory(),
        deprecated_on=dt.date(2026, 1, 1),
        deprecation_reason="Misread.",
    )
    withdrawn = f.IndustryStatisticFactory()
    dispute(withdrawn)
    type(withdrawn).objects.filter(pk=withdrawn.pk).update(
        deprecated_on=dt.date(2026, 1, 1), deprecation_reason="Wrong year."
    )
    f.PolicyFactory()

    disputed = api.get("/api/v1/summary/").json()["disputed"]

    assert disputed == {
        "productions": 0,
        "award_categories": 0,
        "award_outcomes": 0,
        "award_mentions": 1,
        "statements": 0,
        "policies": 2,
        "industry_statistics": 0,
        "campaign_milestones": 0,
    }
    listed = api.get("/api/v1/policies/?disputed=true&deprecated=false").json()
    assert listed["count"] == disputed["policies"]
