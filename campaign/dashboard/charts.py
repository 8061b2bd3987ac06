"""From figures to what the page shows: the headline tiles and the chart data that
static/js/dashboard.js draws, each figure with the ledger link listing what it counts."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext

from rectification.models import InspectionRound, Measure
from rectification.statuses import STATUS_COLOURS, WARNING_COLOURS

from .scope import DashboardScope, ledger_link
from .selectors import OVERDUE_BUCKETS

S = Measure.Status
# Completion bars are coloured by their overdue count: 0, up to this, above it.
OVERDUE_FEW = 3


SOURCE_ORDER = [value for value, _label in InspectionRound.Source.choices]
STATUS_ORDER = [S.NOT_STARTED, S.IN_PROGRESS, S.SUBMITTED, S.LEADER_APPROVED, S.STAGE_COMPLETE, S.CLOSED]


def overdue_colour(count: int) -> str:
    if count == 0:
        return WARNING_COLOURS["green"]
    if count <= OVERDUE_FEW:
        return WARNING_COLOURS["yellow"]
    return WARNING_COLOURS["red"]


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def tiles(figures: dict, scope: DashboardScope) -> list[dict]:
    """The headline figures with their ledger links."""
    _ = gettext
    h = figures["headline"]
    pm = figures["progress_month"]
    return [
        {
            "key": "completion",
            "label": _("Completion rate"),
            "value": rate(h["done"], h["total"]),
            "percent": True,
            "note": _("%(done)s of %(total)s signed off or stage complete") % {"done": h["done"], "total": h["total"]},
            "url": ledger_link(scope, flag="done"),
            "count": h["done"],
        },
        {
            "key": "closed",
            "label": _("Signed off"),
            "value": h["closed"],
            "note": _("of %(total)s measures") % {"total": h["total"]},
            "url": ledger_link(scope, status=S.CLOSED),
            "count": h["closed"],
            "extra_url": ledger_link(scope),
            "extra_count": h["total"],
        },
        {
            "key": "stage_complete",
            "label": _("Stage complete"),
            "value": h["stage_complete"],
            "note": _("long-term measures, still reporting"),
            "url": ledger_link(scope, status=S.STAGE_COMPLETE),
            "count": h["stage_complete"],
        },
        {
            "key": "overdue",
            "label": _("Overdue"),
            "value": h["overdue"],
            "tone": "danger" if h["overdue"] else "",
            "note": _("deadline passed, not finished"),
            "url": ledger_link(scope, flag="overdue"),
            "count": h["overdue"],
        },
        {
            "key": "due_soon",
            "label": _("Due soon"),
            "value": h["due_soon"],
            "tone": "warning" if h["due_soon"] else "",
            "note": _("within %(days)s working days") % {"days": settings.DUE_SOON_WORKDAYS},
            "url": ledger_link(scope, flag="due_soon"),
            "count": h["due_soon"],
        },
        {
            "key": "progress_month",
            "label": _("Progress this month"),
            "value": pm["entries"],
            "note": _("entries on %(n)s measures") % {"n": pm["measures"]},
            "url": ledger_link(scope, progress_month=pm["month"]),
            "count": pm["measures"],
        },
    ]


def chart_data(figures: dict, scope: DashboardScope) -> dict:
    """What static/js/dashboard.js draws: labels, values, and a ledger link per bar."""
    source_labels = dict(InspectionRound.Source.choices)
    status_labels = dict(S.choices)
    counts = {(row["source"], row["status"]): row["n"] for row in figures["by_source_status"]}
    sources = [s for s in SOURCE_ORDER if any(counts.get((s, st)) for st in STATUS_ORDER)]
    by_source = {
        "categories": [str(source_labels[s]) for s in sources],
        "series": [
            {
                "name": str(status_labels[st]),
                "color": STATUS_COLOURS[st],
                "data": [
                    {"value": counts.get((s, st), 0), "url": ledger_link(scope, source=s, status=st)} for s in sources
                ],
            }
            for st in STATUS_ORDER
            if any(counts.get((s, st)) for s in sources)
        ],
    }
    departments = {
        "categories": [d["name"] for d in figures["departments"]],
        "data": [
            {
                "value": round(100 * d["done"] / d["total"], 1) if d["total"] else 0,
                "done": d["done"],
                "total": d["total"],
                "overdue": d["overdue"],
                "color": overdue_colour(d["overdue"]),
                "url": ledger_link(scope, lead_department=d["id"]),
            }
            for d in figures["departments"]
        ],
    }
    closed = {
        "categories": [row["month"] for row in figures["closed_per_month"]],
        "labels": [
            date_format(dt.datetime.strptime(row["month"], "%Y-%m").date(), "YEAR_MONTH_FORMAT")
            for row in figures["closed_per_month"]
        ],
        "data": [
            {"value": row["n"], "url": ledger_link(scope, closed_month=row["month"])}
            for row in figures["closed_per_month"]
        ],
    }
    h = figures["headline"]
    overdue = {
        "color": WARNING_COLOURS["red"],
        "categories": [label for label, _low, _high in OVERDUE_BUCKETS],
        "labels": [gettext("%(range)s days") % {"range": label} for label, _low, _high in OVERDUE_BUCKETS],
        "data": [
            {"value": h[f"bucket{i}"], "url": ledger_link(scope, overdue_min=low, overdue_max=high)}
            for i, (_label, low, high) in enumerate(OVERDUE_BUCKETS)
        ],
    }
    return {"by_source": by_source, "departments": departments, "closed": closed, "overdue": overdue}


def figure_links(figures: dict, scope: DashboardScope) -> list[tuple[str, int]]:
    """Every (ledger link, count) pair the page shows: the tests check each against the ledger."""
    pairs = []
    for tile in tiles(figures, scope):
        pairs.append((tile["url"], tile["count"]))
        if tile.get("extra_url"):
            pairs.append((tile["extra_url"], tile["extra_count"]))
    charts = chart_data(figures, scope)
    for series in charts["by_source"]["series"]:
        pairs += [(point["url"], point["value"]) for point in series["data"]]
    pairs += [(point["url"], point["total"]) for point in charts["departments"]["data"]]
    pairs += [(point["url"], point["value"]) for point in charts["closed"]["data"]]
    pairs += [(point["url"], point["value"]) for point in charts["overdue"]["data"]]
    for row in figures["leaders"]:
        pairs += leader_links(row, scope)
    return pairs


def leader_links(row: dict, scope: DashboardScope) -> list[tuple[str, int]]:
    return [
        (ledger_link(scope, leader=row["id"]), row["total"]),
        (ledger_link(scope, leader=row["id"], flag="done"), row["done"]),
        (ledger_link(scope, leader=row["id"], flag="overdue"), row["overdue"]),
        (ledger_link(scope, leader=row["id"], status=S.SUBMITTED), row["submitted"]),
    ]
