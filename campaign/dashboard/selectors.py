"""The leaders' dashboard (领导驾驶舱): its figures, computed by aggregate SQL.

Every figure is counted over the same base queryset as the ledger
(rectification.selectors.visible_measures) with the same conditions
(rectification.deadlines.overdue_q / due_soon_q, the status values), and carries the
ledger link (rectification.filters.MeasureFilter parameters) that lists exactly the
measures it counts. The number of queries is fixed: one grouped values().annotate() with
conditional counts (Count(filter=...)) for the headline, the source × status bars, the
departments and the leaders; one each for the months, this month's progress and the
overdue list; never a query per row.

The figures are cached by dashboard.cache; the page turns them into tiles and charts
with dashboard.charts.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from cadres.roles import LEADER, OFFICE, has_role
from cadres.selectors import cadre_for
from core import dates
from core.db import stroke_compare
from rectification import deadlines
from rectification.models import Measure, Progress
from rectification.selectors import visible_measures

from ..group.selectors import current_campaign
from .scope import DashboardScope, ledger_link

S = Measure.Status

# Days-overdue buckets: (label, overdue_min, overdue_max); None = open-ended.
OVERDUE_BUCKETS = [("1–7", 1, 7), ("8–30", 8, 30), ("31–90", 31, 90), (">90", 91, None)]
OVERDUE_LIST_LENGTH = 15


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
    return info, dates.months_between(start, last)


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
            base.filter(status=S.CLOSED, completed_on__gte=months[0], completed_on__lt=dates.next_month(months[-1]))
            .annotate(month=TruncMonth("completed_on"))
            .values("month")
            .annotate(n=Count("id"))
            .order_by()
        )
        closed_counts = {_as_date(row["month"]).strftime("%Y-%m"): row["n"] for row in rows}
    closed_per_month = [{"month": m.strftime("%Y-%m"), "n": closed_counts.get(m.strftime("%Y-%m"), 0)} for m in months]

    first, following = dates.month_start(on), dates.next_month(on)
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
