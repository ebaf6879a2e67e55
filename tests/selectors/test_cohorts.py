"""Cohort figures: shares of a named set, unknowns beside them, a Wilson
interval, deprecated claims left out."""

import datetime as dt

import pytest

from tests import factories as f
from tracker.models import Cohort
from tracker.selectors.cohorts import cohort_figures, wilson_interval

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("successes", "trials", "interval"),
    [
        (5, 6, [0.4365, 0.9699]),
        (2, 2, [0.3424, 1.0]),
        (0, 3, [0.0, 0.5615]),
        (50, 100, [0.4038, 0.5962]),
    ],
)
def test_the_wilson_interval_matches_published_values(successes, trials, interval):
    assert wilson_interval(successes, trials) == interval


def test_no_trials_give_no_interval():
    assert wilson_interval(0, 0) is None


def _cohort(*statuses, **extra):
    cohort = Cohort.objects.create(
        name=f"Cohort {Cohort.objects.count()}", inclusion_rule="A rule.", **extra
    )
    for status in statuses:
        cited = status != "unknown"
        cohort.members.add(
            f.ProductionFactory(
                ic_status=status,
                ic_evidence="press_report" if cited else "",
                cite=None if cited else False,
            )
        )
    return cohort


def test_a_cohort_counts_its_unknowns_beside_the_share():
    _cohort("used", "used", "unknown", "unknown", year=2021)

    (row,) = cohort_figures()

    assert row == {
        "cohort": row["cohort"],
        "name": "Cohort 0",
        "self_selected": False,
        "members": 4,
        "known": 2,
        "used": 2,
        "not_used": 0,
        "unknown": 2,
        "share": 1.0,
        "ci95": [0.3424, 1.0],
    }


def test_a_deprecated_ic_claim_counts_as_unknown():
    cohort = _cohort("used", "not_used")
    production = cohort.members.get(ic_status="used")
    production.deprecated_on = dt.date(2026, 1, 1)
    production.deprecation_reason = "The report was retracted."
    production.save()

    (row,) = cohort_figures()

    assert (row["known"], row["used"], row["unknown"], row["share"]) == (1, 0, 1, 0.0)


def test_rule_based_cohorts_come_before_self_selected_ones():
    _cohort("used", self_selected=True, year=2024)
    _cohort("unknown", year=2021)

    rows = cohort_figures()

    assert [r["self_selected"] for r in rows] == [False, True]
    assert rows[0]["share"] is None and rows[0]["ci95"] is None


def test_the_figures_take_one_query_whatever_the_cohort_sizes(
    django_assert_num_queries,
):
    _cohort("used")
    with django_assert_num_queries(1):
        cohort_figures()
    _cohort(*(["used", "not_used", "unknown"] * 5))
    with django_assert_num_queries(1):
        cohort_figures()
