"""Cohort figures: every share the tracker quotes is a share of a named
cohort, with its unknowns beside it and a 95% Wilson score interval."""

import math

from django.db.models import Count, Prefetch, Q, QuerySet

from tracker.choices import ICStatus
from tracker.models import Cohort, Production

# The normal quantile of a two-sided 95% interval.
Z_95 = 1.959963984540054


def wilson_interval(successes: int, trials: int, z: float = Z_95):
    """The Wilson score interval of a proportion, as [low, high] rounded to
    four places; None without trials. It stays inside [0, 1] and is honest
    at the small counts a cohort of a few productions gives, where the
    textbook p +/- z*se interval is not."""
    if trials == 0:
        return None
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    half /= denominator
    return [round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)]


def _counted(status: str) -> Count:
    # A deprecated IC claim leaves the figures: its production counts as
    # unknown until the claim is made again.
    return Count(
        "members",
        filter=Q(members__ic_status=status, members__deprecated_on__isnull=True),
        distinct=True,
    )


def cohort_figures_row(cohort) -> dict:
    used, not_used = cohort.used_total, cohort.not_used_total
    known = used + not_used
    return {
        "cohort": cohort.slug,
        "name": cohort.name,
        "self_selected": cohort.self_selected,
        "members": cohort.member_total,
        "known": known,
        "used": used,
        "not_used": not_used,
        "unknown": cohort.member_total - known,
        "share": round(used / known, 4) if known else None,
        "ci95": wilson_interval(used, known),
    }


def _with_figures(queryset: QuerySet[Cohort]) -> QuerySet[Cohort]:
    """The counts cohort_figures_row reads, in the cohorts' own query."""
    return queryset.annotate(
        member_total=Count("members", distinct=True),
        used_total=_counted(ICStatus.USED),
        not_used_total=_counted(ICStatus.NOT_USED),
    )


def cohort_list() -> QuerySet[Cohort]:
    """Cohorts with their counts and source (one query) and members (one
    more), in the summary's order."""
    return (
        _with_figures(Cohort.objects.select_related("list_source"))
        .prefetch_related(
            Prefetch(
                "members",
                queryset=Production.objects.only(
                    "id", "slug", "title", "start_year", "ic_status", "deprecated_on"
                ).order_by("title", "id"),
                to_attr="member_list",
            )
        )
        .order_by("self_selected", "-year", "name")
    )


def cohort_figures() -> list[dict]:
    """One row per cohort, rule-based cohorts first: the headline is the
    first row."""
    cohorts = _with_figures(Cohort.objects).order_by("self_selected", "-year", "name")
    return [cohort_figures_row(cohort) for cohort in cohorts]
