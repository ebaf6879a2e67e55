import hashlib

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe
from django.views.generic import View

from tracker.api.pagination import CachedCountPaginator
from tracker.caching import CASE_PAGE
from tracker.choices import ICStatus
from tracker.selectors import pages
from tracker.selectors.news import (
    CASE_NEWS_LIMIT,
    ENTITY_NEWS_LIMIT,
    approved_news_exists,
    approved_news_list,
)
from tracker.selectors.site_search import site_search
from tracker.selectors.summary import case_summary, last_data_change

from . import charts, records
from .forms import dress, filter_data

RECENT_PRODUCTIONS = 6
PAGE_SIZE = 25
# The kinds whose pages show the news staff approved about them.
NEWS_FILTER = {"production": "production", "person": "person"}


def _percent(value) -> str:
    return f"{round(100 * value)}%"


def headline(cohort: dict | None) -> dict | None:
    """The lead figure: a share of a named cohort, with its size, its
    unknowns and its 95% Wilson interval, never a share of whatever the
    tracker happens to hold."""
    if cohort is None or cohort["share"] is None:
        return None
    low, high = cohort["ci95"]
    return {
        **cohort,
        "share_display": _percent(cohort["share"]),
        "interval_display": f"{_percent(low)} to {_percent(high)}",
    }


def case_context() -> dict:
    summary = case_summary()
    totals = summary["totals"]
    known = totals["with_ic"] + totals["without_ic"]
    names = pages.award_body_names()
    cohorts = summary["cohorts"]
    figures = {
        "ic_by_year": charts.ic_by_year(summary),
        "ic_by_organization": charts.ic_by_organization(
            summary, network_slugs=pages.network_slugs()
        ),
        "award_mentions": charts.award_mentions(summary, names=names),
        "statements": charts.statements_by_stance(summary),
    }
    titles = {
        "ic_by_year": "Productions on screen each year, by IC status",
        "ic_by_organization": "Productions by network or studio and IC status",
        "award_mentions": "Award mentions of ICs by year and award body",
        "statements": "Statements about ICs by stance",
    }
    # What a stacked chart's sums count where one record counts more than
    # once, so the spoken totals are not read as numbers of records.
    spoken_totals = {
        "ic_by_year": "Summed over the years, a production counted in each "
        "year it was on screen",
        "award_mentions": "Summed over the award bodies, a mention counted "
        "under each body it addresses",
    }
    for key, figure in figures.items():
        figure["title"] = titles[key]
        figure["aria_label"] = charts.chart_aria_label(
            titles[key], figure["chart"], spoken_totals.get(key, "Totals")
        )
    campaigns_by_body = [
        {
            **group,
            "name": charts.body_name(group["award_body"], names),
            "campaigns": [
                {
                    **campaign,
                    "milestones": [
                        charts.milestone_display(m) for m in campaign["milestones"]
                    ],
                }
                for campaign in group["campaigns"]
            ],
        }
        for group in summary["campaigns_by_body"]
    ]
    precedents = [
        {**p, "body_name": charts.body_name(p["award_body"], names)}
        for p in summary["precedents"]
    ]
    return {
        "totals": totals,
        "known_ic": known,
        "ic_share": round(100 * totals["with_ic"] / known) if known else None,
        "headline": headline(cohorts[0] if cohorts else None),
        "cohorts": [headline(c) or c for c in cohorts],
        "disputed": summary["disputed"],
        "figures": figures,
        "featured": pages.featured_quotes(),
        "kinds": records.KINDS,
        "campaigns_by_body": campaigns_by_body,
        "precedents": precedents,
        "recent_productions": pages.recent_productions_with_ic(RECENT_PRODUCTIONS),
        "news": approved_news_list(limit=CASE_NEWS_LIMIT),
        "links": {
            "productions": charts.records_url("productions"),
            "with_ic": charts.records_url("productions", ic_status=ICStatus.USED),
            "without_ic": charts.records_url(
                "productions", ic_status=ICStatus.NOT_USED
            ),
            "unknown_ic": charts.records_url("productions", ic_status=ICStatus.UNKNOWN),
            "award_mentions": charts.records_url("award-mentions"),
            "statements": charts.records_url("statements"),
            "policies": charts.records_url("policies"),
        },
    }


@require_safe
def case(request):
    """The case page is the same for everyone, so it is cached whole and
    rebuilt after any change to the tracker's data (tracker/caching.py).
    The host is part of the key: the page names its own absolute address."""
    html = CASE_PAGE.get_or_compute(
        lambda: render_to_string("tracker/case.html", case_context(), request=request),
        hashlib.sha256(request.get_host().encode()).hexdigest()[:16],
    )
    return HttpResponse(html)


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


class RecordListView(View):
    """An index of one kind of record: the API's filters as a GET form,
    the count, and the records a page at a time."""

    http_method_names = ("get", "head")
    kind: records.RecordKind = None

    def get(self, request):
        kind = self.kind
        data = filter_data(request.GET)
        filterset = kind.filterset(data=data, queryset=kind.list_selector())
        form = dress(filterset.form)
        status = 200
        page = None
        errors = {}
        if filterset.is_valid():
            paginator = CachedCountPaginator(filterset.qs, PAGE_SIZE)
            page = paginator.get_page(request.GET.get("page"))
        else:
            status = 400
            errors = {
                key: " ".join(str(message) for message in messages)
                for key, messages in filterset.errors.items()
            }
        query = data.urlencode()
        context = {
            "kind": kind,
            "form": form,
            "page": page,
            "errors": errors,
            "filtered": bool(data),
            "page_query": _query_without_page(request),
            "alternates": kind.api_list_urls(query),
            "canonical_path": request.path + (f"?{query}" if query else ""),
            "row_template": kind.row_template,
        }
        return render(request, "tracker/record_list.html", context, status=status)


class RecordDetailView(View):
    """One record with its citations, disputes and related records."""

    http_method_names = ("get", "head")
    kind: records.RecordKind = None

    def get(self, request, lookup):
        kind = self.kind
        queryset = kind.detail_selector()
        about = NEWS_FILTER.get(kind.key)
        if about:
            # Most records have no approved news: the news query (the
            # costliest the page builds) runs only for those that do.
            queryset = queryset.annotate(has_news=approved_news_exists(about))
        try:
            record = pages.record_page_get(
                queryset, kind.sections, kind.cited_relations, **{kind.lookup: lookup}
            )
        except kind.model.DoesNotExist:
            raise Http404(f"No {kind.singular} {lookup!r}.") from None
        news = []
        if about and record.has_news:
            news = approved_news_list(limit=ENTITY_NEWS_LIMIT, **{about: record})
        context = {
            "kind": kind,
            "record": record,
            kind.key.replace("-", "_"): record,
            "alternates": kind.api_urls(record),
            "changed_at": pages.record_changed_at(record),
            "news": news,
        }
        return render(request, kind.detail_template, context)


@require_safe
def search_page(request):
    query = request.GET.get("q", "").strip()
    groups = site_search(query, records.KINDS) if query else []
    return render(
        request,
        "tracker/search.html",
        {
            "query": query,
            "groups": groups,
            "total": sum(group["count"] for group in groups),
            "canonical_path": request.get_full_path(),
        },
    )


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri("/sitemap.xml")
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def methodology(request):
    return render(
        request, "tracker/methodology.html", {"last_change": last_data_change()}
    )
