"""The figures the campaign quotes, computed in SQL in a fixed number of
queries however many records the tracker holds."""

from django.db.models import Count, F, Max, Prefetch, Q
from django.db.models.functions import Coalesce, ExtractYear

from tracker.choices import AwardCategoryStatus, ICStatus, ProductionKind, Stance
from tracker.models import (
    CLAIM_MODELS,
    AwardCategory,
    AwardMention,
    Campaign,
    CampaignMilestone,
    Citation,
    Cohort,
    Policy,
    Production,
    Source,
    Statement,
)
from tracker.models.base import date_display
from tracker.querysets import current, disputed_q

from .cohorts import cohort_figures

_IC_COUNTS = {
    "used": Count("id", filter=Q(ic_status=ICStatus.USED)),
    "not_used": Count("id", filter=Q(ic_status=ICStatus.NOT_USED)),
    "unknown": Count("id", filter=Q(ic_status=ICStatus.UNKNOWN)),
}


def _share_row(row: dict) -> dict:
    # Unknowns are reported beside the share, never inside its denominator:
    # a production nobody has checked is not evidence either way.
    known = row["used"] + row["not_used"]
    return {
        "used": row["used"],
        "not_used": row["not_used"],
        "unknown": row["unknown"],
        "known": known,
        "share": row["used"] / known if known else None,
    }


def _body(slug: str | None, name: str | None) -> dict | None:
    return {"slug": slug, "name": name} if slug is not None else None


def _totals() -> dict:
    # Deprecated claims leave every figure; they stay on their pages.
    ic = current(Production.objects).aggregate(productions=Count("id"), **_IC_COUNTS)
    return {
        "productions": ic["productions"],
        "with_ic": ic["used"],
        "without_ic": ic["not_used"],
        "unknown_ic": ic["unknown"],
        "award_mentions": current(AwardMention.objects).count(),
        "statements": current(Statement.objects).count(),
        "policies": current(Policy.objects).count(),
    }


def disputed_by_type() -> dict:
    """Current claims that a current citation disputes, per kind of claim,
    keyed as JSON keys are (award_mentions, industry_statistics...)."""
    return {
        str(model._meta.verbose_name_plural).replace(" ", "_"): current(model.objects)
        .filter(disputed_q(model))
        .count()
        for model in CLAIM_MODELS
    }


def _on_screen_years(start, end, kind, last_year) -> range:
    """The years a production was on screen, as the API's year_min and
    year_max read them: a film's start year; a series from its start to
    its end, or to the latest year the tracker knows while it runs."""
    if end is not None:
        return range(start, end + 1)
    if kind == ProductionKind.SERIES:
        return range(start, max(start, last_year) + 1)
    return range(start, start + 1)


def ic_share_by_year() -> list[dict]:
    """Productions on screen in each year (one definition of year, the
    API's), so a running series counts in every year it ran; productions
    with no year are counted once, as undated (year None), last."""
    rows = list(
        current(Production.objects)
        .order_by()
        .values_list("start_year", "end_year", "kind", "ic_status")
    )
    years = [y for start, end, _, _ in rows for y in (start, end) if y is not None]
    last_year = max(years, default=0)
    counts: dict = {}
    for start, end, kind, status in rows:
        span = (
            [None] if start is None else _on_screen_years(start, end, kind, last_year)
        )
        for year in span:
            row = counts.setdefault(year, {"used": 0, "not_used": 0, "unknown": 0})
            row[status] += 1
    ordered = sorted(counts, key=lambda y: (y is None, y or 0))
    return [{"year": year, **_share_row(counts[year])} for year in ordered]


def ic_share_by_organization() -> list[dict]:
    """Per network, or per studio when no network carried the production."""
    rows = (
        current(Production.objects)
        .order_by()
        .annotate(
            org_slug=Coalesce(F("network__slug"), F("studio__slug")),
            org_name=Coalesce(F("network__name"), F("studio__name")),
        )
        .values("org_slug", "org_name")
        .annotate(**_IC_COUNTS)
    )
    result = [
        {"organization": _body(row["org_slug"], row["org_name"]), **_share_row(row)}
        for row in rows
    ]
    result.sort(
        key=lambda r: (
            -r["used"],
            r["organization"] is None,
            (r["organization"] or {}).get("name", "").casefold(),
        )
    )
    return result


def award_mentions_by_body_year() -> list[dict]:
    """Per award body and year; a mention addressing three bodies appears
    under each, so the totals come from award_mentions_by_year."""
    rows = (
        current(AwardMention.objects)
        .order_by()
        .annotate(year=ExtractYear("date"))
        .values("award_bodies__slug", "award_bodies__name", "year")
        .annotate(count=Count("id", distinct=True))
        .order_by("award_bodies__name", F("year").asc(nulls_last=True))
    )
    return [
        {
            "award_body": _body(row["award_bodies__slug"], row["award_bodies__name"]),
            "year": row["year"],
            "count": row["count"],
        }
        for row in rows
    ]


def award_mentions_by_year() -> list[dict]:
    """Mentions, not rows: one speech is one mention however many award
    bodies it addresses. Undated mentions last (year None)."""
    rows = (
        current(AwardMention.objects)
        .order_by()
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(count=Count("id"))
        .order_by(F("year").asc(nulls_last=True))
    )
    return [{"year": row["year"], "count": row["count"]} for row in rows]


def statements_by_stance() -> list[dict]:
    counts = dict(
        current(Statement.objects)
        .order_by()
        .values("stance")
        .annotate(count=Count("id"))
        .values_list("stance", "count")
    )
    return [
        {"stance": stance.value, "label": stance.label, "count": counts.get(stance, 0)}
        for stance in Stance
    ]


def campaigns_by_body() -> list[dict]:
    campaigns = (
        Campaign.objects.select_related("target_body", "proposed_category")
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=CampaignMilestone.objects.order_by(
                    F("date").asc(nulls_last=True), "id"
                ).only("id", "campaign_id", "date", "date_precision", "title"),
                to_attr="dated_milestones",
            )
        )
        .order_by("target_body__name", "name")
    )
    groups: dict[int, dict] = {}
    for campaign in campaigns:
        body = campaign.target_body
        group = groups.setdefault(
            body.pk,
            {"award_body": _body(body.slug, body.name), "campaigns": []},
        )
        group["campaigns"].append(
            {
                "slug": campaign.slug,
                "name": campaign.name,
                "status": campaign.status,
                "status_label": campaign.get_status_display(),
                "proposed_category": (
                    campaign.proposed_category.name
                    if campaign.proposed_category
                    else None
                ),
                "milestones": [
                    {
                        "date": m.date.isoformat() if m.date else None,
                        "date_precision": m.date_precision,
                        "date_display": date_display(m.date, m.date_precision),
                        "title": m.title,
                    }
                    for m in campaign.dated_milestones
                ],
            }
        )
    return list(groups.values())


def precedents() -> list[dict]:
    """Categories won by similar campaigns (linked to a campaign as its
    precedent) and newly introduced ones such as the Academy's Best Casting."""
    categories = (
        AwardCategory.objects.filter(
            Q(pk__in=Campaign.precedents.through.objects.values("awardcategory_id"))
            | Q(status=AwardCategoryStatus.INTRODUCED)
        )
        .select_related("award_body")
        .order_by("year_introduced", "award_body__name", "name")
    )
    return [
        {
            "slug": category.slug,
            "name": category.name,
            "award_body": _body(category.award_body.slug, category.award_body.name),
            "year_introduced": category.year_introduced,
            "status": category.status,
        }
        for category in categories
    ]


def case_summary() -> dict:
    """Every figure of the case for an IC award, as plain data."""
    return {
        "totals": _totals(),
        "disputed": disputed_by_type(),
        "cohorts": cohort_figures(),
        "award_mentions_by_year": award_mentions_by_year(),
        "ic_share_by_year": ic_share_by_year(),
        "ic_share_by_organization": ic_share_by_organization(),
        "award_mentions_by_body_year": award_mentions_by_body_year(),
        "statements_by_stance": statements_by_stance(),
        "campaigns_by_body": campaigns_by_body(),
        "precedents": precedents(),
    }


def last_data_change():
    """When the evidence last changed: the latest history entry of any
    claim, citation, source or cohort, deletions included."""
    dates = [
        model.history.model.objects.aggregate(last=Max("history_date"))["last"]
        for model in (*CLAIM_MODELS, Citation, Source, Cohort)
    ]
    return max((d for d in dates if d is not None), default=None)
