"""Turns the case summary into what the page draws: a chart spec per chart
(read by static/tracker/case.js through json_script) and the rows of the
table that stands in for it, each row linking to the records behind it.
Plain Python over the summary dict, so the tables and the charts can never
disagree."""

import datetime as dt
from urllib.parse import urlencode

API_ROOT = "/api/v1/"


def api_list_url(resource: str, **filters) -> str:
    """The public API list behind a figure, filtered to exactly its records."""
    query = urlencode({k: v for k, v in filters.items() if v is not None})
    return f"{API_ROOT}{resource}/" + (f"?{query}" if query else "")


def _percent(share) -> str:
    return "-" if share is None else f"{round(share * 100)}%"


def _ic_rows(groups, label, filters):
    rows = []
    for group in groups:
        base = filters(group)
        # A group without a value to filter on (no organization recorded)
        # has no API list that returns exactly its records.
        linkable = all(value is not None for value in base.values())
        rows.append(
            {
                "label": label(group),
                "used": group["used"],
                "not_used": group["not_used"],
                "unknown": group["unknown"],
                "share": _percent(group["share"]),
                **{
                    f"{status}_url": (
                        api_list_url("productions", ic_status=status, **base)
                        if linkable
                        else None
                    )
                    for status in ("used", "not_used", "unknown")
                },
            }
        )
    return rows


def _ic_chart(rows, index_axis="x"):
    return {
        "type": "bar",
        "indexAxis": index_axis,
        "stacked": True,
        "labels": [row["label"] for row in rows],
        "datasets": [
            {"key": "used", "label": "Used an IC", "data": [r["used"] for r in rows]},
            {
                "key": "not_used",
                "label": "Did not use an IC",
                "data": [r["not_used"] for r in rows],
            },
            {
                "key": "unknown",
                "label": "Unknown",
                "data": [r["unknown"] for r in rows],
            },
        ],
    }


def ic_by_year(summary) -> dict:
    rows = _ic_rows(
        summary["ic_share_by_year"],
        label=lambda g: str(g["year"]) if g["year"] is not None else "Undated",
        filters=lambda g: {"year_min": g["year"], "year_max": g["year"]},
    )
    return {"rows": rows, "chart": _ic_chart(rows)}


def ic_by_organization(summary, network_slugs: set[str]) -> dict:
    """`network_slugs`: organizations that carry some production as its
    network; the summary groups by network, else by studio, and the API
    filters by one or the other."""

    def label(group):
        org = group["organization"]
        return org["name"] if org else "Not recorded"

    def filters(group):
        org = group["organization"]
        if org is None:
            return {"network": None}
        field = "network" if org["slug"] in network_slugs else "studio"
        return {field: org["slug"]}

    rows = _ic_rows(summary["ic_share_by_organization"], label=label, filters=filters)
    return {"rows": rows, "chart": _ic_chart(rows, index_axis="y")}


def award_mentions(summary) -> dict:
    entries = summary["award_mentions_by_body_year"]
    years = sorted({e["year"] for e in entries if e["year"] is not None})
    has_undated = any(e["year"] is None for e in entries)
    labels = [str(y) for y in years] + (["Undated"] if has_undated else [])
    columns = [*years, None] if has_undated else years
    bodies = {}
    rows = []
    for entry in entries:
        body = entry["award_body"]
        key = body["slug"] if body else ""
        name = body["name"] if body else "No award body recorded"
        bodies.setdefault(key, {"label": name, "counts": dict.fromkeys(columns, 0)})
        bodies[key]["counts"][entry["year"]] += entry["count"]
        rows.append(
            {
                "award_body": name,
                "year": entry["year"] if entry["year"] is not None else "Undated",
                "count": entry["count"],
                "url": (
                    api_list_url(
                        "award-mentions", body=body["slug"], year=entry["year"]
                    )
                    if body and entry["year"] is not None
                    else None
                ),
            }
        )
    chart = {
        "type": "bar",
        "indexAxis": "x",
        "stacked": True,
        "labels": labels,
        "datasets": [
            {
                "key": f"body-{index}",
                "label": body["label"],
                "data": [body["counts"][c] for c in columns],
            }
            for index, body in enumerate(bodies.values())
        ],
    }
    return {"rows": rows, "chart": chart}


def statements_by_stance(summary) -> dict:
    rows = [
        {
            "stance": entry["stance"],
            "label": entry["label"],
            "count": entry["count"],
            "url": api_list_url("statements", stance=entry["stance"]),
        }
        for entry in summary["statements_by_stance"]
    ]
    chart = {
        "type": "bar",
        "indexAxis": "y",
        "stacked": False,
        "labels": [row["label"] for row in rows],
        "datasets": [
            {
                "key": "stances",
                "label": "Statements",
                "data": [row["count"] for row in rows],
                "colorKeys": [row["stance"] for row in rows],
            }
        ],
    }
    return {"rows": rows, "chart": chart}


def as_date(value):
    """Milestone dates arrive as dates or ISO strings, depending on whether
    the summary came straight from the selector or through a JSON cache."""
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def milestone_display(milestone: dict) -> dict:
    date = as_date(milestone.get("date"))
    display = milestone.get("date_display") or (
        f"{date:%-d %B %Y}" if date else "Undated"
    )
    return {**milestone, "date": date, "date_display": display}


def chart_aria_label(title: str, chart: dict) -> str:
    """A short spoken summary; the full figures are in the table after it."""
    if len(chart["datasets"]) == 1:
        dataset = chart["datasets"][0]
        pairs = zip(chart["labels"], dataset["data"], strict=True)
        return f"{title}: " + "; ".join(f"{k} {v}" for k, v in pairs) + "."
    parts = []
    for dataset in chart["datasets"]:
        total = sum(dataset["data"])
        parts.append(f"{dataset['label']}: {total}")
    return f"{title}. Totals - " + "; ".join(parts) + ". Table follows."
