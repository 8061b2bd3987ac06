"""The figures and lists of the monthly progress report, read from the ledger.

Every figure is a count over the ledger's own filter (rectification.filters.MeasureFilter)
and the ledger's own deadline rules (rectification.deadlines), and carries the query
parameters of that filter, so a figure in the report equals what the ledger shows for
the same parameters on the day the report is built (the report's `as_of` day: 逾期 is
"deadline passed on that day and not finished", as on the ledger).

Period-bound lists (closed in the period, progress logged in the period) use the
period; the headline figures are the state of the ledger on `as_of`. The trend chart
reconstructs each month's end from dates kept on the rows (feedback date of the round,
completion date, deadline).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from cadres.models import Department
from core import dates
from rectification import deadlines
from rectification.filters import MeasureFilter
from rectification.models import InspectionRound, Measure, Problem, Progress

from .cadres import cadre_section
from .partybuilding import PartySection
from .partybuilding import section as party_section

# The group of statuses a report counts as 整改中 ("underway"): started and not finished,
# including those waiting for sign-off review (not the one status IN_PROGRESS alone).
UNDERWAY_STATUSES = (
    Measure.Status.IN_PROGRESS,
    Measure.Status.SUBMITTED,
    Measure.Status.LEADER_APPROVED,
)
SUBMITTED_STATUSES = (Measure.Status.SUBMITTED, Measure.Status.LEADER_APPROVED)

PROGRESS_TEXT_LIMIT = 90


@dataclass
class Counts:
    """The headline figures for one slice of the ledger (all, a source, a department)."""

    label: str = ""
    params: dict = field(default_factory=dict)  # the ledger's query parameters for this slice
    problems: int = 0
    problems_done: int = 0
    measures: int = 0
    closed: int = 0
    stage_complete: int = 0
    underway: int = 0
    submitted: int = 0
    not_started: int = 0
    overdue: int = 0

    @property
    def done(self) -> int:
        return self.closed + self.stage_complete

    @property
    def rate(self) -> float | None:
        """完成率: (已销号 + 阶段性完成) / 措施总数, the ledger's flag=done over all."""
        return self.done / self.measures if self.measures else None

    @property
    def rate_text(self) -> str:
        return format_rate(self.rate)

    # The ledger's parameters for each figure (the same filter gives the same number).
    def figure_params(self) -> dict[str, dict]:
        base = self.params
        return {
            "measures": dict(base),
            "closed": {**base, "status": [Measure.Status.CLOSED]},
            "stage_complete": {**base, "status": [Measure.Status.STAGE_COMPLETE]},
            "underway": {**base, "status": list(UNDERWAY_STATUSES)},
            "submitted": {**base, "status": list(SUBMITTED_STATUSES)},
            "not_started": {**base, "status": [Measure.Status.NOT_STARTED]},
            "overdue": {**base, "flag": "overdue"},
            "done": {**base, "flag": "done"},
        }


def format_rate(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


@dataclass
class TrendPoint:
    label: str  # 1月
    day: dt.date  # the day the point describes (month end, or as_of for the current month)
    measures: int
    done: int
    overdue: int

    @property
    def rate(self) -> float | None:
        return self.done / self.measures if self.measures else None


@dataclass
class ProgressLine:
    measure: Measure
    date: dt.date
    text: str
    entries: int  # progress entries logged for this measure in the period


@dataclass
class OverdueLine:
    measure: Measure
    days: int


@dataclass
class ReportData:
    title: str
    bureau: str
    recipient: str
    kind: str
    period_start: dt.date
    period_end: dt.date
    period_label: str
    round: InspectionRound | None
    as_of: dt.date
    ledger_params: dict
    total: Counts
    by_source: list[Counts]
    by_department: list[Counts]
    closed_in_period: list[Measure]
    closed_in_period_count: int
    closed_in_period_params: dict
    stage_complete_in_period_count: int
    overdue: list[OverdueLine]
    overdue_count: int
    progress_lines: list[ProgressLine]
    progress_measure_count: int
    progress_entry_count: int
    trend: list[TrendPoint]
    list_limit: int
    measures_qs: QuerySet = field(repr=False, default=None)
    party: PartySection | None = None  # 六、 party building (reports/partybuilding.py)
    cadres: object = field(repr=False, default=None)  # the cadre-work section (reports/cadres.py)


def ledger_queryset(params: dict) -> QuerySet:
    """The ledger's measures for `params`, through the ledger's own filter (the office sees all)."""
    data = {k: v for k, v in params.items() if v not in (None, "", [])}
    filterset = MeasureFilter(_querydict(data), queryset=Measure.objects.all())
    if not filterset.is_valid():
        raise ValueError(f"invalid ledger parameters: {filterset.errors.as_text()}")
    return filterset.qs


def _querydict(data: dict):
    from django.http import QueryDict

    q = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list | tuple):
            q.setlist(key, [str(v) for v in value])
        else:
            q[key] = str(value)
    return q


def _counts(on: dt.date) -> dict:
    """The measure counts a report shows, as aggregates (one set for totals and groups)."""
    return {
        "measures": Count("id"),
        "closed": Count("id", filter=Q(status=Measure.Status.CLOSED)),
        "stage_complete": Count("id", filter=Q(status=Measure.Status.STAGE_COMPLETE)),
        "underway": Count("id", filter=Q(status__in=UNDERWAY_STATUSES)),
        "submitted": Count("id", filter=Q(status__in=SUBMITTED_STATUSES)),
        "not_started": Count("id", filter=Q(status=Measure.Status.NOT_STARTED)),
        "overdue": Count("id", filter=deadlines.overdue_q(on)),
    }


def _count_measures(qs: QuerySet, on: dt.date) -> dict:
    return qs.aggregate(**_counts(on))


def _grouped_counts(qs: QuerySet, key: str, on: dt.date) -> dict:
    rows = qs.order_by().values(key).annotate(**_counts(on))
    return {row.pop(key): row for row in rows}


def _problem_counts(round: InspectionRound | None, key: str | None = None) -> dict:
    """Problems (of the round, or all), and how many have every measure finished."""
    problems = Problem.objects.all() if round is None else Problem.objects.filter(round=round)
    finished_ids = (
        problems.annotate(
            total=Count("measures"),
            open=Count("measures", filter=~Q(measures__status__in=Measure.DONE_STATUSES)),
        )
        .filter(total__gt=0, open=0)
        .values("pk")
    )
    finished = Problem.objects.filter(pk__in=finished_ids)
    if key is None:
        return {None: (problems.count(), finished.count())}
    counts = {row[key]: row["n"] for row in problems.order_by().values(key).annotate(n=Count("id"))}
    done = {row[key]: row["n"] for row in finished.order_by().values(key).annotate(n=Count("id"))}
    return {k: (v, done.get(k, 0)) for k, v in counts.items()}


def shorten(text: str, limit: int = PROGRESS_TEXT_LIMIT) -> str:
    """One line of at most `limit` characters, cut at a sentence end when one is near."""
    text = re.sub(r"\s+", " ", text or "").strip()
    if len(text) <= limit:
        return text
    head = text[:limit]
    cut = max(head.rfind(p) for p in "。；;！？!?")
    if cut >= limit * 0.6:
        return head[: cut + 1]
    cut = max(head.rfind(p) for p in "，,、 ")
    if cut >= limit * 0.75:
        return head[:cut] + "……"
    return head[: limit - 1] + "……"


def collect(
    period_start: dt.date,
    period_end: dt.date,
    *,
    round: InspectionRound | None = None,
    kind: str = "monthly",
    as_of: dt.date | None = None,
    campaign_start: dt.date | None = None,
    progress=None,
) -> ReportData:
    """Everything the PDF and the Excel ledger show. `progress(fraction)` reports how far it got (0..1)."""
    on = as_of or dates.today()
    report = progress or (lambda percent: None)
    ledger_params = {"round": round.pk} if round is not None else {}
    qs = ledger_queryset(ledger_params)
    limit = settings.REPORT_PDF_LIST_LIMIT  # the Excel ledger has every row

    total = Counts(label=_("Total"), params=dict(ledger_params), **_count_measures(qs, on))
    (total.problems, total.problems_done) = _problem_counts(round)[None]
    report(0.3)

    # By source (问题来源): the ledger's ?source=.
    source_rows = _grouped_counts(qs, "problem__round__source", on)
    source_problems = _problem_counts(round, "round__source")
    by_source = []
    for value, label in InspectionRound.Source.choices:
        if value not in source_rows:
            continue
        counts = Counts(label=str(label), params={**ledger_params, "source": value}, **source_rows[value])
        counts.problems, counts.problems_done = source_problems.get(value, (0, 0))
        by_source.append(counts)

    # By lead department (牵头科室): the ledger's ?lead_department=.
    dept_rows = _grouped_counts(qs, "lead_department", on)
    departments = Department.objects.filter(pk__in=dept_rows).order_by("order", "id")
    by_department = [
        Counts(label=d.name, params={**ledger_params, "lead_department": d.pk}, **dept_rows[d.pk]) for d in departments
    ]
    report(0.5)

    # Closed (已销号) in the period: the ledger's ?closed_month= for a calendar month.
    if kind == "monthly":
        closed_params = {**ledger_params, "closed_month": f"{period_start:%Y-%m}"}
        closed_qs = ledger_queryset(closed_params)
    else:
        closed_params = {**ledger_params, "status": [Measure.Status.CLOSED]}
        closed_qs = ledger_queryset(closed_params).filter(completed_on__gte=period_start, completed_on__lte=period_end)
    closed_qs = closed_qs.select_related("problem__round", "lead_department", "responsible_leader")
    closed_count = closed_qs.count()
    closed_list = list(closed_qs.order_by("completed_on", "problem__round", "problem__number", "number", "id")[:limit])
    stage_count = qs.filter(
        status=Measure.Status.STAGE_COMPLETE, completed_on__gte=period_start, completed_on__lte=period_end
    ).count()

    # Overdue (逾期) on the day of the report: the ledger's ?flag=overdue.
    overdue_qs = qs.filter(deadlines.overdue_q(on)).select_related(
        "problem__round", "lead_department", "responsible_leader", "responsible_person"
    )
    overdue_count = overdue_qs.count()
    overdue = [
        OverdueLine(m, (on - m.deadline).days)
        for m in overdue_qs.order_by("deadline", "lead_department__order", "id")[:limit]
    ]
    report(0.7)

    # Main progress of the period: the latest entry per measure logged in the period.
    entries = (
        Progress.objects.filter(measure__in=qs.order_by().values("pk"), date__gte=period_start, date__lte=period_end)
        .order_by("measure_id", "-date", "-id")
        .values_list("measure_id", "date", "text")
    )
    latest: dict[int, tuple] = {}
    per_measure: dict[int, int] = {}
    entry_count = 0
    for measure_id, date, text in entries.iterator(chunk_size=2000):
        entry_count += 1
        per_measure[measure_id] = per_measure.get(measure_id, 0) + 1
        latest.setdefault(measure_id, (date, text))
    shown = (
        Measure.objects.filter(pk__in=list(latest))
        .select_related("problem__round", "lead_department")
        .order_by("problem__round__feedback_date", "problem__round", "problem__number", "number", "id")[:limit]
    )
    progress_lines = [ProgressLine(m, latest[m.pk][0], shorten(latest[m.pk][1]), per_measure[m.pk]) for m in shown]
    report(0.9)

    trend = _trend(qs, campaign_start, period_end, on)

    title = _("Report on the progress of rectification work in the “Capacity and Conduct Building Year” campaign")
    if kind == "monthly":
        period_label = f"{period_start.year}年{period_start.month}月"
    else:
        period_label = f"{period_start.year}年{period_start.month}月{period_start.day}日—{period_end.year}年{period_end.month}月{period_end.day}日"
    return ReportData(
        title=title,
        bureau=settings.BUREAU_NAME,
        recipient=settings.REPORT_RECIPIENT or _("Leadership group office of the campaign"),
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        period_label=period_label,
        round=round,
        as_of=on,
        ledger_params=ledger_params,
        total=total,
        by_source=by_source,
        by_department=by_department,
        closed_in_period=closed_list,
        closed_in_period_count=closed_count,
        closed_in_period_params=closed_params,
        stage_complete_in_period_count=stage_count,
        overdue=overdue,
        overdue_count=overdue_count,
        progress_lines=progress_lines,
        progress_measure_count=len(latest),
        progress_entry_count=entry_count,
        trend=trend,
        list_limit=limit,
        measures_qs=qs,
        party=party_section(period_start, period_end, on),
        cadres=cadre_section(period_start, period_end, on),
    )


def _trend(qs: QuerySet, campaign_start: dt.date | None, period_end: dt.date, on: dt.date) -> list[TrendPoint]:
    """One point per month from the campaign's start to the report's month.

    A month's point is its last day (or `as_of` if earlier): measures whose round's
    feedback came by then, those finished by then (completion date), and those overdue
    then (deadline passed, not finished by then). The last point equals the headline
    figures when the report is built within its month or right after it.
    """
    rows = list(qs.order_by().values_list("problem__round__feedback_date", "status", "completed_on", "deadline"))
    if campaign_start is None:
        feedback_dates = [r[0] for r in rows if r[0]]
        campaign_start = min(feedback_dates) if feedback_dates else period_end
    start = min(campaign_start, period_end)
    months = dates.months_between(start, period_end)[-24:]
    done_statuses = set(Measure.DONE_STATUSES)
    points = []
    for index, first in enumerate(months):
        _first, last = dates.month_bounds(first.year, first.month)
        day = min(last, on)
        if index == len(months) - 1 and period_end < last:
            day = min(period_end, on)
        measures = done = overdue = 0
        for feedback, status, completed, deadline in rows:
            if feedback and feedback > day:
                continue
            measures += 1
            finished = status in done_statuses and (completed is None or completed <= day)
            if finished:
                done += 1
            elif deadline is not None and deadline < day:
                overdue += 1
        label = f"{first.month}月" if len({m.year for m in months}) == 1 else f"{first.year % 100:02d}年{first.month}月"
        points.append(TrendPoint(label, day, measures, done, overdue))
    return points
