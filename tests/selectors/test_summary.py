import datetime as dt

import pytest

from tests import factories as f
from tracker import choices as c
from tracker.selectors.summary import case_summary


@pytest.fixture
def known_case(db):
    """Seven productions: HBO 2020 (2 used, 1 not used, 1 unknown), a studio
    2021 (1 used, 1 unknown) and one with no organization and no year."""
    hbo = f.OrganizationFactory(name="HBO", slug="hbo", kind=c.OrganizationKind.NETWORK)
    a24 = f.OrganizationFactory(name="A24", slug="a24")
    for status in (c.ICStatus.USED, c.ICStatus.USED, c.ICStatus.NOT_USED):
        f.ProductionFactory(network=hbo, studio=a24, start_year=2020, ic_status=status)
    f.ProductionFactory(
        network=hbo, start_year=2020, ic_status=c.ICStatus.UNKNOWN, ic_evidence=""
    )
    f.ProductionFactory(studio=a24, start_year=2021, ic_status=c.ICStatus.USED)
    f.ProductionFactory(
        studio=a24, start_year=2021, ic_status=c.ICStatus.UNKNOWN, ic_evidence=""
    )
    f.ProductionFactory(start_year=None, ic_status=c.ICStatus.NOT_USED)

    bafta = f.AwardBodyFactory(name="BAFTA", slug="bafta")
    emmys = f.AwardBodyFactory(name="Television Academy", slug="television-academy")
    f.AwardMentionFactory(award_bodies=[bafta], date=dt.date(2021, 4, 11))
    f.AwardMentionFactory(award_bodies=[bafta], date=dt.date(2021, 6, 1))
    f.AwardMentionFactory(award_bodies=[emmys], date=dt.date(2019, 9, 22))

    f.StatementFactory(stance=c.Stance.OPPOSES)
    f.StatementFactory(stance=c.Stance.SUPPORTS)
    f.StatementFactory(stance=c.Stance.SUPPORTS)
    f.PolicyFactory(organization=hbo)

    casting = f.AwardCategoryFactory(
        award_body=f.AwardBodyFactory(name="The Academy", slug="academy"),
        name="Best Casting",
        slug="oscars-best-casting",
        status=c.AwardCategoryStatus.INTRODUCED,
        year_introduced=2026,
    )
    proposed = f.AwardCategoryFactory(
        award_body=emmys,
        name="Best Intimacy Coordination",
        status=c.AwardCategoryStatus.PROPOSED,
    )
    campaign = f.CampaignFactory(
        name="An Emmy for intimacy coordination",
        slug="emmys-ic",
        target_body=emmys,
        proposed_category=proposed,
        status=c.CampaignStatus.PROPOSED,
    )
    campaign.precedents.add(casting)
    f.CampaignMilestoneFactory(
        campaign=campaign, title="Second", date=dt.date(2024, 2, 1)
    )
    f.CampaignMilestoneFactory(
        campaign=campaign, title="First", date=dt.date(2024, 1, 1)
    )


def test_totals_count_unknowns_apart(known_case):
    assert case_summary()["totals"] == {
        "productions": 7,
        "with_ic": 3,
        "without_ic": 2,
        "unknown_ic": 2,
        "award_mentions": 3,
        "statements": 3,
        "policies": 1,
    }


def test_share_by_year_leaves_unknowns_out_of_the_denominator(known_case):
    # The undated production is counted, as undated, last.
    assert case_summary()["ic_share_by_year"] == [
        {
            "year": 2020,
            "used": 2,
            "not_used": 1,
            "unknown": 1,
            "known": 3,
            "share": pytest.approx(2 / 3),
        },
        {
            "year": 2021,
            "used": 1,
            "not_used": 0,
            "unknown": 1,
            "known": 1,
            "share": 1.0,
        },
        {
            "year": None,
            "used": 0,
            "not_used": 1,
            "unknown": 0,
            "known": 1,
            "share": 0.0,
        },
    ]


def test_share_by_organization_prefers_the_network(known_case):
    rows = case_summary()["ic_share_by_organization"]
    assert [(r["organization"], r["used"], r["known"]) for r in rows] == [
        ({"slug": "hbo", "name": "HBO"}, 2, 3),
        ({"slug": "a24", "name": "A24"}, 1, 1),
        (None, 0, 1),
    ]
    assert rows[0]["unknown"] == 1
    assert rows[0]["share"] == pytest.approx(2 / 3)
    assert rows[2]["share"] == 0.0


def test_a_group_with_only_unknowns_has_no_share(db):
    f.ProductionFactory(start_year=2022, ic_status=c.ICStatus.UNKNOWN, ic_evidence="")
    (row,) = case_summary()["ic_share_by_year"]
    assert (row["known"], row["unknown"], row["share"]) == (0, 1, None)


def test_award_mentions_by_body_and_year(known_case):
    assert case_summary()["award_mentions_by_body_year"] == [
        {"award_body": {"slug": "bafta", "name": "BAFTA"}, "year": 2021, "count": 2},
        {
            "award_body": {"slug": "television-academy", "name": "Television Academy"},
            "year": 2019,
            "count": 1,
        },
    ]


def test_statements_by_stance_lists_every_stance(known_case):
    assert case_summary()["statements_by_stance"] == [
        {"stance": "supports", "label": "Supports ICs", "count": 2},
        {"stance": "opposes", "label": "Opposes ICs", "count": 1},
        {"stance": "wishes_had", "label": "Wishes they had had an IC", "count": 0},
        {"stance": "neutral", "label": "Neutral", "count": 0},
    ]


def test_campaigns_by_body_with_milestones_in_date_order(known_case):
    assert case_summary()["campaigns_by_body"] == [
        {
            "award_body": {"slug": "television-academy", "name": "Television Academy"},
            "campaigns": [
                {
                    "slug": "emmys-ic",
                    "name": "An Emmy for intimacy coordination",
                    "status": "proposed",
                    "status_label": "Proposed",
                    "proposed_category": "Best Intimacy Coordination",
                    "milestones": [
                        {
                            "date": "2024-01-01",
                            "date_precision": "day",
                            "date_display": "1 January 2024",
                            "title": "First",
                        },
                        {
                            "date": "2024-02-01",
                            "date_precision": "day",
                            "date_display": "1 February 2024",
                            "title": "Second",
                        },
                    ],
                }
            ],
        }
    ]


def test_precedents_include_best_casting(known_case):
    assert case_summary()["precedents"] == [
        {
            "slug": "oscars-best-casting",
            "name": "Best Casting",
            "award_body": {"slug": "academy", "name": "The Academy"},
            "year_introduced": 2026,
            "status": "introduced",
        }
    ]


def test_the_summary_takes_a_fixed_number_of_queries(
    known_case, django_assert_num_queries
):
    with django_assert_num_queries(21):
        case_summary()
    f.ProductionFactory.create_batch(5, start_year=2019)
    f.CampaignMilestoneFactory.create_batch(3)
    with django_assert_num_queries(21):
        case_summary()


def test_the_demo_data_summary_names_the_article_figures(db):
    from tracker.demo import demo_data_load

    demo_data_load()
    summary = case_summary()
    assert summary["totals"]["award_mentions"] >= 1
    bafta = [
        row
        for row in summary["award_mentions_by_body_year"]
        if row["award_body"]["slug"] == "bafta"
    ]
    assert [(row["year"], row["count"]) for row in bafta] == [(2021, 1)]
    assert [p["slug"] for p in summary["precedents"]] == ["oscars-best-casting"]
    assert len(summary["campaigns_by_body"]) == 3
