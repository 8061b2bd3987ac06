"""The leaders' dashboard (领导驾驶舱): its figures, computed by aggregate SQL.

Every figure is counted over the same base queryset as the ledger
(rectification.selectors.visible_measures) with the same conditions
(rectification.deadlines.overdue_q / due_soon_q, the status values), and carries the
ledger link (rectification.filters.MeasureFilter parameters) that lists exactly the
measures it counts. The number of queries is fixed: one grouped values().annotate() with
conditional counts (Count(filter=...)) for the headline, the source × status bars, the
departments and the leaders; one each for the months, this month's progress and the
overdue list; never a query per row.

The scope-wide figures are cached briefly (settings.DASHBOARD_CACHE_SECONDS) under a key
per scope and day; campaign.signals bumps a version key on every write that changes a
figure, so a new progress entry or a sign-off shows at once.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext

from cadres.roles import LEADER, OFFICE, has_role
from cadres.scoping import sees_everything, visible_department_ids
from cadres.selectors import cadre_for
from core import dates
from core.db import stroke_compare
from rectification import deadlines
from rectification.models import InspectionRound, Measure, Progress
from rectification.selectors import AREA, visible_measures
from rectification.statuses import STATUS_COLOURS

from .selectors import current_campaign, is_main_leader

VERSION_KEY = "dashboard:version"
S = Measure.Status

# Days-overdue buckets: (label, overdue_min, overdue_max); None = open-ended.
OVERDUE_BUCKETS = [("1–7", 1, 7), ("8–30", 8, 30), ("31–90", 31, 90), (">90", 91, None)]
OVERDUE_LIST_LENGTH = 15
# Completion bars are coloured by their overdue count: 0, up to this, above it.
OVERDUE_FEW = 3


def cache_seconds() -> int:
    return int(getattr(settings, "DASHBOARD_CACHE_SECONDS", 60))


# --- Scope -----------------------------------------------------------------------------


@dataclass
class DashboardScope:
    """Whose measures the dashboard counts for this request."""

    whole_bureau: bool
    can_switch: bool = False  # a leader may switch between own departments and the bureau
    is_main_leader: bool = False
    department_ids: frozenset[int] | None = None  # None: every department
    key: str = "all"
    labels: list[str] = field(default_factory=list)

    def base(self, user):
        return visible_measures(user, whole_bureau=self.whole_bureau)


def resolve_scope(user, requested: str | None = None) -> DashboardScope:
    """Office and admins: the whole bureau. The 组长 (main leader): the whole bureau by
    default, ?scope=own narrows to the departments they oversee. Other leaders: the
    departments they oversee by default, ?scope=all for the whole bureau. Everyone else:
    their own department."""
    if sees_everything(user, AREA):
        return DashboardScope(whole_bureau=True)
    if has_role(user, LEADER):
        main = is_main_leader(user)
        whole = requested == "all" or (main and requested != "own")
        if whole:
            return DashboardScope(whole_bureau=True, can_switch=True, is_main_leader=main)
        ids = frozenset(visible_department_ids(user, AREA) or ())
        return DashboardScope(
            whole_bureau=False, can_switch=True, is_main_leader=main, department_ids=ids, key=f"u{user.pk}"
        )
    ids = frozenset(visible_department_ids(user, AREA) or ())
    # A scoped view is per person: besides departments it holds the measures the user is
    # the responsible person (or responsible leader) of.
    return DashboardScope(whole_bureau=False, department_ids=ids, key=f"u{user.pk}")


# --- Links to the ledger ------------------------------------------------------------------


def ledger_base_url() -> str:
    try:
        return reverse("rectification:ledger")
    except NoReverseMatch:
        return "/rectification/"


def ledger_link(scope: DashboardScope | None, **params) -> str:
    """The ledger URL listing exactly the measures a figure counts."""
    query = [(k, v) for k, v in params.items() if v not in (None, "")]
    if scope is not None and scope.whole_bureau:
        query.append(("scope", "all"))
    return ledger_base_url() + ("?" + urlencode(query) if query else "")


# --- Cache ---------------------------------------------------------------------------------


def current_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY) or version
    return version


def invalidate() -> None:
    """Every cached dashboard becomes stale: a new, never used version number."""
    cache.set(VERSION_KEY, time.time_ns(), None)


def cached_figures(scope: DashboardScope, user, on: dt.date | None = None) -> dict:
    on = on or dates.today()
    seconds = cache_seconds()
    if seconds <= 0:
        return compute_figures(scope.base(user), on, whole_bureau=scope.whole_bureau)
    key = f"dashboard:{current_version()}:{on.isoformat()}:{scope.key}"
    figures = cache.get(key)
    if figures is None:
        figures = compute_figures(scope.base(user), on, whole_bureau=scope.whole_bureau)
        cache.set(key, figures, seconds)
    return figures


# --- The figures -----------------------------------------------------------------------------


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def campaign_months(on: dt.date) -> tuple[dict | None, list[dt.date]]:
    """The current campaign (as a plain dict) and the first days of its months up to `on`."""
    campaign = current_campaign(on)
    if campaign is not None:
        start, end = campaign.start, campaign.end
        info = {"name": campaign.name, "year": campaign.year, "start": start, "end": end}
        phase = campaign.phase_on(on)
        info["phase"] = phase.get_kind_display() if phase else None
        info["phase_kind"] = phase.kind if phase else None
    else:
        start, end, info = dt.date(on.year, 1, 1), dt.date(on.year, 12, 31), None
    last = min(end, on) if on >= start else end
    months, month = [], _month_start(start)
    while month <= last:
        months.append(month)
        month = _next_month(month)
    return info, months


def compute_figures(visible, on: dt.date, whole_bureau: bool = False) -> dict:
    """All scope-wide figures of the dashboard, in a fixed number of queries.

    `visible` is visible_measures(user, whole_bureau). Should it ever need DISTINCT (a join
    that repeats a measure), the grouped queries run over `pk IN (visible)` instead, which
    counts each measure once, like the ledger's count.
    """
    if whole_bureau:
        base = Measure.objects.all()
    elif visible.query.distinct:
        base = Measure.objects.filter(pk__in=visible.values("pk"))
    else:
        base = visible.select_related(None)
    overdue = deadlines.overdue_q(on)
    buckets = {}
    for index, (_label, low, high) in enumerate(OVERDUE_BUCKETS):
        condition = overdue & Q(deadline__lte=on - dt.timedelta(days=low))
        if high is not None:
            condition &= Q(deadline__gte=on - dt.timedelta(days=high))
        buckets[f"bucket{index}"] = Count("id", filter=condition)

    # One grouped query gives the headline, the source × status bars, the departments and
    # the leaders: a row per (source, status, lead department, responsible leader) with
    # conditional counts, summed up here (a few hundred rows at most).
    rows = (
        base.values(
            "problem__round__source",
            "status",
            "lead_department",
            "lead_department__name",
            "lead_department__order",
            "responsible_leader",
            "responsible_leader__name",
            "responsible_leader__post_level",
        )
        .annotate(
            n=Count("id"),
            overdue=Count("id", filter=overdue),
            due_soon=Count("id", filter=deadlines.due_soon_q(on)),
            **buckets,
        )
        .order_by()
    )
    headline = dict.fromkeys(
        ["total", "closed", "stage_complete", "done", "overdue", "due_soon", "submitted", "leader_approved", *buckets],
        0,
    )
    source_status: dict[tuple, int] = {}
    departments_by_id: dict[int, dict] = {}
    leaders_by_id: dict[int, dict] = {}
    for row in rows:
        n, status = row["n"], row["status"]
        is_done = status in Measure.DONE_STATUSES
        headline["total"] += n
        headline["closed"] += n if status == S.CLOSED else 0
        headline["stage_complete"] += n if status == S.STAGE_COMPLETE else 0
        headline["done"] += n if is_done else 0
        headline["submitted"] += n if status == S.SUBMITTED else 0
        headline["leader_approved"] += n if status == S.LEADER_APPROVED else 0
        headline["overdue"] += row["overdue"]
        headline["due_soon"] += row["due_soon"]
        for key in buckets:
            headline[key] += row[key]
        pair = (row["problem__round__source"], status)
        source_status[pair] = source_status.get(pair, 0) + n
        dept = departments_by_id.setdefault(
            row["lead_department"],
            {
                "id": row["lead_department"],
                "name": row["lead_department__name"],
                "order": row["lead_department__order"],
                "total": 0,
                "done": 0,
                "overdue": 0,
            },
        )
        leader = leaders_by_id.setdefault(
            row["responsible_leader"],
            {
                "id": row["responsible_leader"],
                "name": row["responsible_leader__name"],
                "post_level": row["responsible_leader__post_level"],
                "total": 0,
                "done": 0,
                "overdue": 0,
                "submitted": 0,
            },
        )
        for bucket in (dept, leader):
            bucket["total"] += n
            bucket["done"] += n if is_done else 0
            bucket["overdue"] += row["overdue"]
        leader["submitted"] += n if status == S.SUBMITTED else 0

    by_source_status = [{"source": source, "status": status, "n": n} for (source, status), n in source_status.items()]
    departments = list(departments_by_id.values())
    departments.sort(key=lambda d: (-(d["done"] / d["total"] if d["total"] else 0), -d["total"], d["order"], d["id"]))
    leaders = list(leaders_by_id.values())
    by_name = functools.cmp_to_key(stroke_compare)
    leaders.sort(key=lambda row: (row["post_level"], by_name(row["name"] or ""), row["id"]))

    campaign, months = campaign_months(on)
    closed_counts = {}
    if months:
        rows = (
            base.filter(status=S.CLOSED, completed_on__gte=months[0], completed_on__lt=_next_month(months[-1]))
            .annotate(month=TruncMonth("completed_on"))
            .values("month")
            .annotate(n=Count("id"))
            .order_by()
        )
        closed_counts = {_as_date(row["month"]).strftime("%Y-%m"): row["n"] for row in rows}
    closed_per_month = [{"month": m.strftime("%Y-%m"), "n": closed_counts.get(m.strftime("%Y-%m"), 0)} for m in months]

    first, following = _month_start(on), _next_month(on)
    progress = Progress.objects.filter(date__gte=first, date__lt=following)
    if not whole_bureau:
        progress = progress.filter(measure__in=visible.values("pk"))
    progress_month = progress.aggregate(entries=Count("id"), measures=Count("measure", distinct=True))

    overdue_rows = (
        base.filter(overdue)
        .select_related("lead_department", "responsible_leader", "problem__round")
        .order_by("deadline", "id")[:OVERDUE_LIST_LENGTH]
    )
    overdue_list = [
        {
            "id": m.pk,
            "description": m.description,
            "problem": m.problem.description,
            "source": m.problem.round.source,
            "department": m.lead_department.name,
            "leader": m.responsible_leader.name,
            "deadline": m.deadline,
            "days": (on - m.deadline).days,
            "status": m.status,
        }
        for m in overdue_rows
    ]

    return {
        "on": on,
        "headline": headline,
        "by_source_status": by_source_status,
        "departments": departments,
        "leaders": leaders,
        "campaign": campaign,
        "closed_per_month": closed_per_month,
        "progress_month": {"month": first.strftime("%Y-%m"), **progress_month},
        "overdue_list": overdue_list,
    }


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def waiting_for(user, scope: DashboardScope) -> dict | None:
    """Sign-offs waiting for this user (not cached: one small count).

    The office confirms what leaders approved (status=leader_approved, whole bureau);
    a leader reviews the requests (status=submitted) where they are the responsible leader
    or oversee the lead department, whatever the dashboard's switch shows (ledger link:
    status=submitted&reviewer=<their cadre id>). None for other roles.
    """
    if has_role(user, OFFICE):
        status, own_scope = S.LEADER_APPROVED, DashboardScope(whole_bureau=True)
        count = visible_measures(user, whole_bureau=True).filter(status=status).count()
    elif has_role(user, LEADER) and (cadre := cadre_for(user)) is not None:
        # Like rectification.permissions.can_leader_review: the responsible leader, or the
        # leader who oversees the lead department.
        status = S.SUBMITTED
        reviews = Q(responsible_leader=cadre) | Q(lead_department__overseen_by=cadre)
        count = visible_measures(user).filter(reviews, status=status).count()
        return {
            "count": count,
            "status": status,
            "url": ledger_link(DashboardScope(whole_bureau=False), status=status, reviewer=cadre.pk),
        }
    else:
        return None
    return {"count": count, "status": status, "url": ledger_link(own_scope, status=status)}


# --- From figures to what the page shows ----------------------------------------------------


SOURCE_ORDER = [value for value, _label in InspectionRound.Source.choices]
STATUS_ORDER = [S.NOT_STARTED, S.IN_PROGRESS, S.SUBMITTED, S.LEADER_APPROVED, S.STAGE_COMPLETE, S.CLOSED]


def overdue_colour(count: int) -> str:
    if count == 0:
        return "#2e7d32"
    if count <= OVERDUE_FEW:
        return "#f0a830"
    return "#c62828"


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
