"""Turns the case summary into what the page draws: a chart spec per chart
(read by static/tracker/case.js through json_script) and the rows of the
table that stands in for it, each row linking to the index page of exactly
the records it counts. Plain Python over the summary dict, so the tables
and the charts can never disagree.

Each chart names its palette (`ic_status`, `stance`, `award_body`);
case.js keeps the palettes apart, so a colour means one thing only."""

import datetime as dt
from urllib.parse import urlencode

UNDATED = "Undated"


def records_url(path: str, **filters) -> str:
    """The index page behind a figure, filtered to exactly its records
    (the same parameters as the API list of the same records)."""
    query = urlencode({k: v for k, v in filters.items() if v is not None})
    return f"/{path}/" + (f"?{query}" if query else "")


def body_name(body: dict | None, names: dict[str, str]) -> str:
    """An award body by the name readers know it by."""
    if not body:
        return "No award body recorded"
    return names.get(body["slug"]) or body["name"]


def _ic_row(label, group, base: dict | None) -> dict:
    """`base`: the filters selecting the group's records, or None when no
    filter does (no organization recorded). Counts only, no share: these
    rows hold whatever the tracker happens to have recorded, not a defined
    set, and a share of that would describe the tracker, not the industry
    (shares are a cohort's, with their interval)."""
    return {
        "label": label,
        "used": group["used"],
        "not_used": group["not_used"],
        "unknown": group["unknown"],
        **{
            f"{status}_url": (
                records_url("productions", ic_status=status, **base)
                if base is not None
                else None
            )
            for status in ("used", "not_used", "unknown")
        },
    }


IC_DATASETS = (
    ("used", "Used an IC"),
    ("not_used", "Did not use an IC"),
    ("unknown", "Unknown"),
)


def _ic_chart(rows, index_axis="x") -> dict:
    return {
        "type": "bar",
        "palette": "ic_status",
        "indexAxis": index_axis,
        "stacked": True,
        "labels": [row["label"] for row in rows],
        "datasets": [
            {"key": key, "label": label, "data": [r[key] for r in rows]}
            for key, label in IC_DATASETS
        ],
    }


def ic_by_year(summary) -> dict:
    """Per year on screen, on a linear year axis (a production counts in
    every year it was on screen, as the index's year filters do);
    productions with no year are an "Undated" row of the table and a note
    under the chart, never left out."""
    groups = [g for g in summary["ic_share_by_year"] if g["year"] is not None]
    rows = [
        _ic_row(str(g["year"]), g, {"year_min": g["year"], "year_max": g["year"]})
        for g in groups
    ]
    undated = next(
        (g for g in summary["ic_share_by_year"] if g["year"] is None),
        {"used": 0, "not_used": 0, "unknown": 0, "share": None},
    )
    undated_count = sum(undated[k] for k in ("used", "not_used", "unknown"))
    if undated_count:
        rows.append(_ic_row(UNDATED, undated, {"undated": "true"}))
    chart = {
        "type": "bar",
        "palette": "ic_status",
        "indexAxis": "x",
        "stacked": True,
        "yearAxis": True,
        "undated": undated_count,
        "datasets": [
            {
                "key": key,
                "label": label,
                "data": [{"x": g["year"], "y": g[key]} for g in groups],
            }
            for key, label in IC_DATASETS
        ],
    }
    return {"rows": rows, "chart": chart, "undated": undated_count}


def ic_by_organization(summary, network_slugs: set[str]) -> dict:
    """`network_slugs`: organizations that carry some production as its
    network; the summary groups by network, else by studio, and the index
    filters by one or the other."""
    rows = []
    for group in summary["ic_share_by_organization"]:
        org = group["organization"]
        if org is None:
            rows.append(_ic_row("Not recorded", group, None))
            continue
        field = "network" if org["slug"] in network_slugs else "studio"
        rows.append(_ic_row(org["name"], group, {field: org["slug"]}))
    return {"rows": rows, "chart": _ic_chart(rows, index_axis="y")}


def award_mentions(summary, names: dict[str, str]) -> dict:
    """Mentions per award body on a linear year axis, one dataset per body;
    undated mentions are counted in the table and noted under the chart."""
    entries = summary["award_mentions_by_body_year"]
    years = sorted({e["year"] for e in entries if e["year"] is not None})
    bodies: dict[str, dict] = {}
    rows = []
    undated = 0
    for entry in entries:
        body = entry["award_body"]
        name = body_name(body, names)
        counts = bodies.setdefault(body["slug"] if body else "", {"label": name})
        if entry["year"] is None:
            undated += entry["count"]
        else:
            counts[entry["year"]] = counts.get(entry["year"], 0) + entry["count"]
        rows.append(
            {
                "award_body": name,
                "year": entry["year"] if entry["year"] is not None else UNDATED,
                "count": entry["count"],
                "url": (
                    records_url("award-mentions", body=body["slug"], year=entry["year"])
                    if body and entry["year"] is not None
                    else None
                ),
            }
        )
    chart = {
        "type": "bar",
        "palette": "award_body",
        "indexAxis": "x",
        "stacked": True,
        "yearAxis": True,
        "undated": undated,
        "datasets": [
            {
                "key": f"body-{index}",
                "label": body["label"],
                "data": [{"x": year, "y": body.get(year, 0)} for year in years],
            }
            for index, body in enumerate(bodies.values())
        ],
    }
    return {"rows": rows, "chart": chart, "undated": undated}


def statements_by_stance(summary) -> dict:
    rows = [
        {
            "stance": entry["stance"],
            "label": entry["label"],
            "count": entry["count"],
            "url": records_url("statements", stance=entry["stance"]),
        }
        for entry in summary["statements_by_stance"]
    ]
    chart = {
        "type": "bar",
        "palette": "stance",
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
        f"{date:%-d %B %Y}" if date else UNDATED
    )
    return {**milestone, "date": date, "date_display": display}


def _point_value(point):
    return point["y"] if isinstance(point, dict) else point


def chart_aria_label(title: str, chart: dict, totals: str = "Totals") -> str:
    """A short spoken summary; the full figures are in the table after it.
    `totals` names what a stacked chart's sums count, where a record can
    count more than once (a series in each year it ran)."""
    undated = chart.get("undated")
    tail = f"; {undated} undated" if undated else ""
    if len(chart["datasets"]) == 1 and "labels" in chart:
        dataset = chart["datasets"][0]
        pairs = zip(chart["labels"], dataset["data"], strict=True)
        return f"{title}: " + "; ".join(f"{k} {v}" for k, v in pairs) + tail + "."
    parts = []
    for dataset in chart["datasets"]:
        total = sum(_point_value(p) for p in dataset["data"])
        parts.append(f"{dataset['label']}: {total}")
    return f"{title}. {totals} - " + "; ".join(parts) + tail + ". Table follows."
