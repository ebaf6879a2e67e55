from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string

from tracker.caching import CASE_PAGE
from tracker.choices import ICStatus
from tracker.models import (
    AwardCategory,
    AwardMention,
    Campaign,
    CampaignMilestone,
    Citation,
    Credit,
    Person,
    Production,
    Statement,
)
from tracker.selectors.archive import latest_snapshot_prefetch
from tracker.selectors.case_news import (
    CASE_NEWS_LIMIT,
    ENTITY_NEWS_LIMIT,
    approved_news_list,
)
from tracker.selectors.summary import case_summary

from . import charts

RECENT_PRODUCTIONS = 6


def _cited(queryset):
    """Claims with their citations and sources in two queries."""
    return queryset.prefetch_related(
        Prefetch(
            "citations",
            queryset=Citation.objects.select_related("source", "source__link_health")
            .prefetch_related(latest_snapshot_prefetch("source__"))
            .order_by("-source__published_on", "id"),
        )
    )


def recent_productions_with_ic() -> list[Production]:
    """The productions most recently recorded as using an IC, so a new
    record shows on the case page by name, one click from its sources."""
    return list(
        Production.objects.filter(ic_status=ICStatus.USED)
        .select_related("network", "studio")
        .prefetch_related(
            Prefetch("credits", queryset=Credit.objects.select_related("person"))
        )
        .order_by("-created_at", "-id")[:RECENT_PRODUCTIONS]
    )


def _milestone_dates() -> dict:
    """How precisely each milestone is dated ("February 2024", not
    "1 February 2024"); the summary gives bare dates."""
    milestones = CampaignMilestone.objects.filter(date__isnull=False).values_list(
        "campaign__slug", "title", "date", "date_precision"
    )
    return {
        (slug, title, date.isoformat()): CampaignMilestone(
            date=date, date_precision=precision
        ).date_display
        for slug, title, date, precision in milestones
    }


def _network_slugs() -> set[str]:
    return set(
        Production.objects.filter(network__isnull=False)
        .values_list("network__slug", flat=True)
        .distinct()
    )


def case_context() -> dict:
    summary = case_summary()
    milestone_dates = _milestone_dates()
    totals = summary["totals"]
    known = totals["with_ic"] + totals["without_ic"]
    figures = {
        "ic_by_year": charts.ic_by_year(summary),
        "ic_by_organization": charts.ic_by_organization(
            summary, network_slugs=_network_slugs()
        ),
        "award_mentions": charts.award_mentions(summary),
        "statements": charts.statements_by_stance(summary),
    }
    titles = {
        "ic_by_year": "Productions by year and IC status",
        "ic_by_organization": "Productions by network or studio and IC status",
        "award_mentions": "Award mentions of ICs by year and award body",
        "statements": "Statements about ICs by stance",
    }
    for key, figure in figures.items():
        figure["title"] = titles[key]
        figure["aria_label"] = charts.chart_aria_label(titles[key], figure["chart"])
    campaigns_by_body = [
        {
            **group,
            "campaigns": [
                {
                    **campaign,
                    "milestones": [
                        charts.milestone_display(
                            {
                                "date_display": milestone_dates.get(
                                    (campaign["slug"], m["title"], m["date"])
                                ),
                                **m,
                            }
                        )
                        for m in campaign["milestones"]
                    ],
                }
                for campaign in group["campaigns"]
            ],
        }
        for group in summary["campaigns_by_body"]
    ]
    return {
        "totals": totals,
        "known_ic": known,
        "ic_share": round(100 * totals["with_ic"] / known) if known else None,
        "figures": figures,
        "campaigns_by_body": campaigns_by_body,
        "precedents": summary["precedents"],
        "recent_productions": recent_productions_with_ic(),
        "news": approved_news_list(limit=CASE_NEWS_LIMIT),
        "api": {
            "productions": charts.api_list_url("productions"),
            "with_ic": charts.api_list_url("productions", ic_status="used"),
            "without_ic": charts.api_list_url("productions", ic_status="not_used"),
            "award_mentions": charts.api_list_url("award-mentions"),
            "statements": charts.api_list_url("statements"),
            "policies": charts.api_list_url("policies"),
        },
    }


def case(request):
    """The case page is the same for everyone, so it is cached whole and
    rebuilt after any change to the tracker's data (tracker/caching.py)."""
    html = CASE_PAGE.get_or_compute(
        lambda: render_to_string("tracker/case.html", case_context())
    )
    return HttpResponse(html)


def production_detail(request, slug):
    production = get_object_or_404(
        _cited(Production.objects.select_related("studio", "network")).prefetch_related(
            Prefetch(
                "credits",
                queryset=_cited(Credit.objects.select_related("person")),
            ),
            Prefetch(
                "award_mentions",
                queryset=_cited(
                    AwardMention.objects.select_related(
                        "speaker", "coordinator", "award_body", "production"
                    )
                ),
            ),
            Prefetch(
                "statements",
                queryset=_cited(
                    Statement.objects.select_related("speaker", "production")
                ),
            ),
        ),
        slug=slug,
    )
    news = approved_news_list(limit=ENTITY_NEWS_LIMIT, production=production)
    return render(
        request,
        "tracker/production_detail.html",
        {"production": production, "news": news},
    )


def person_detail(request, slug):
    mentions = _cited(
        AwardMention.objects.select_related(
            "speaker", "coordinator", "award_body", "production"
        )
    )
    statements = _cited(Statement.objects.select_related("speaker", "production"))
    person = get_object_or_404(
        Person.objects.prefetch_related(
            Prefetch(
                "credits",
                queryset=_cited(Credit.objects.select_related("production")),
            ),
            Prefetch("statements", queryset=statements),
            Prefetch("statements_about", queryset=statements),
            Prefetch("award_mentions_made", queryset=mentions),
            Prefetch("award_mentions_received", queryset=mentions),
        ),
        slug=slug,
    )
    news = approved_news_list(limit=ENTITY_NEWS_LIMIT, person=person)
    return render(
        request, "tracker/person_detail.html", {"person": person, "news": news}
    )


def campaign_detail(request, slug):
    categories = _cited(AwardCategory.objects.select_related("award_body"))
    campaign = get_object_or_404(
        Campaign.objects.select_related(
            "target_body", "proposed_category__award_body"
        ).prefetch_related(
            Prefetch("precedents", queryset=categories),
            Prefetch("milestones", queryset=_cited(CampaignMilestone.objects.all())),
        ),
        slug=slug,
    )
    proposed = None
    if campaign.proposed_category_id:
        proposed = categories.get(pk=campaign.proposed_category_id)
    return render(
        request,
        "tracker/campaign_detail.html",
        {"campaign": campaign, "proposed_category": proposed},
    )
