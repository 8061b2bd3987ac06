"""The figures and lists of the monthly progress report, read from the ledger.

The report states the ledger as of one day, `as_of`: the period's last day for a past
month (a November report built on 1 December says 截至2026年11月30日), today for the
current month. The state of each measure on that day is its latest history record of
that day (simple-history keeps every save: status, term, deadline, completion date), so
a late report shows what was true then, not what is true now. When `as_of` is today the
live ledger is read, through the ledger's own filter (rectification.filters.MeasureFilter)
and deadline rules (rectification.deadlines): every figure then equals what the ledger
lists for its `params` (逾期 is "deadline passed on that day and not finished").

Every count is made in one pass over the day's rows (`Snapshot`), so the summary, the
departments, the lists and the Excel sheets cannot disagree. Period-bound lists (signed
off, progress logged, deadlines extended in the period) use the period. The trend chart
reconstructs each month's end from the dates on the rows (feedback date of the round,
completion date, deadline).

The office's narrative parts (主要做法和成效, 存在的问题, 下一步工作打算) come from
reports.narrative, kept per month.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import Department
from core import dates
from core.formats import percent
from rectification.filters import MeasureFilter
from rectification.models import Extension, InspectionRound, Measure, Problem, Progress

from .cadres import cadre_section
from .narrative import narrative_for
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
        return percent(self.rate)

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
    measure: Measure  # with the deadline, status and term it had on `as_of`
    days: int


@dataclass
class ExtensionLine:
    """A deadline extension approved in the period (延期)."""

    measure: Measure
    old_deadline: dt.date
    new_deadline: dt.date
    days: int
    reason: str
    decided_on: dt.date
    direct: bool


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
    extensions: list[ExtensionLine] = field(default_factory=list)
    extension_count: int = 0  # approved in the period
    extended_measures: int = 0  # measures extended at least once by `as_of`
    extension_days: int = 0  # their days in all
    issued_on: dt.date | None = None  # 成文日期: the day the report is built
    narrative: dict = field(default_factory=dict)  # practices / problems / plans, the office's text
    measures_qs: QuerySet = field(repr=False, default=None)
    party: PartySection | None = None  # 六、 party building (reports/partybuilding.py)
    cadres: object = field(repr=False, default=None)  # the cadre-work section (reports/cadres.py)
    snapshot: Snapshot | None = field(repr=False, default=None)

    @property
    def historical(self) -> bool:
        """The figures are the ledger's history on `as_of`, not today's ledger."""
        return self.snapshot is not None and self.snapshot.historical


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


@dataclass
class Row:
    """One measure as it stood on `as_of`."""

    pk: int
    problem_id: int
    lead_department_id: int
    status: str
    term: str
    deadline: dt.date | None
    completed_on: dt.date | None
    source: str = ""
    feedback_date: dt.date | None = None

    @property
    def done(self) -> bool:
        return self.status in DONE

    def overdue(self, on: dt.date) -> bool:
        """As rectification.deadlines.overdue_q: deadline passed on `on`, not finished."""
        return not self.done and self.deadline is not None and self.deadline < on


DONE = set(Measure.DONE_STATUSES)
ROW_FIELDS = ("problem_id", "lead_department_id", "status", "term", "deadline", "completed_on")


@dataclass
class Snapshot:
    """The ledger's measures and problems (of the report's round, or all) on `as_of`."""

    on: dt.date
    rows: list[Row]
    problem_ids: set  # every problem that existed then (with or without measures)
    historical: bool

    def by_pk(self) -> dict[int, Row]:
        return {r.pk: r for r in self.rows}


def _end_of(day: dt.date) -> dt.datetime:
    """The first moment after `day` in the bureau's time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _latest_records(history_model, cut: dt.datetime, fields) -> list[tuple]:
    """(id, *fields) of every object's last history record before `cut`, unless it was deleted."""
    records = (
        history_model.objects.filter(history_date__lt=cut)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "history_type", *fields)
    )
    latest: dict[int, tuple] = {}
    for record in records.iterator(chunk_size=5000):
        latest[record[0]] = record
    return [(r[0], *r[2:]) for r in latest.values() if r[1] != "-"]


def snapshot(on: dt.date, round: InspectionRound | None, qs: QuerySet) -> Snapshot:
    """The measures as they stood on `on`: today's ledger (`qs`), or the history of that day."""
    problems = Problem.objects.all() if round is None else Problem.objects.filter(round=round)
    rounds = dict(problems.values_list("pk", "round_id"))
    meta = {r.pk: (r.source, r.feedback_date) for r in InspectionRound.objects.all()}
    historical = on < dates.today()
    if historical:
        cut = _end_of(on)
        raw = _latest_records(Measure.history.model, cut, ROW_FIELDS)
        raw = [r for r in raw if r[1] in rounds]
        problem_ids = {pk for (pk,) in _latest_records(Problem.history.model, cut, ()) if pk in rounds}
    else:
        raw = list(qs.order_by().values_list("pk", *ROW_FIELDS))
        problem_ids = set(rounds)
    rows = []
    for pk, problem_id, lead, status, term, deadline, completed_on in raw:
        source, feedback = meta.get(rounds.get(problem_id), ("", None))
        rows.append(Row(pk, problem_id, lead, status, term, deadline, completed_on, source, feedback))
    return Snapshot(on, rows, problem_ids | {r.problem_id for r in rows}, historical)


def _count(rows: list[Row], on: dt.date) -> dict:
    """The measure counts a report shows, for one slice of the rows."""
    counts = dict.fromkeys(("measures", "closed", "stage_complete", "underway", "submitted", "not_started"), 0)
    counts["overdue"] = 0
    for r in rows:
        counts["measures"] += 1
        if r.status == Measure.Status.CLOSED:
            counts["closed"] += 1
        elif r.status == Measure.Status.STAGE_COMPLETE:
            counts["stage_complete"] += 1
        elif r.status == Measure.Status.NOT_STARTED:
            counts["not_started"] += 1
        if r.status in UNDERWAY_STATUSES:
            counts["underway"] += 1
        if r.status in SUBMITTED_STATUSES:
            counts["submitted"] += 1
        if r.overdue(on):
            counts["overdue"] += 1
    return counts


def _problems(rows: list[Row]) -> tuple[int, int]:
    """Problems with a measure in `rows`, and how many have every such measure finished."""
    open_ = {r.problem_id for r in rows if not r.done}
    ids = {r.problem_id for r in rows}
    return len(ids), len(ids - open_)


def _slice(label: str, params: dict, rows: list[Row], on: dt.date) -> Counts:
    counts = Counts(label=label, params=params, **_count(rows, on))
    counts.problems, counts.problems_done = _problems(rows)
    return counts


def _grouped(rows: list[Row], key) -> dict:
    groups: dict = {}
    for r in rows:
        groups.setdefault(key(r), []).append(r)
    return groups


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
    """Everything the PDF, the .docx and the Excel ledger show, as of `as_of` (default today).
    `progress(fraction)` reports how far it got (0..1)."""
    on = min(as_of or dates.today(), dates.today())
    report = progress or (lambda percent: None)
    ledger_params = {"round": round.pk} if round is not None else {}
    qs = ledger_queryset(ledger_params)
    limit = settings.REPORT_PDF_LIST_LIMIT  # the Excel ledger has every row
    snap = snapshot(on, round, qs)
    report(0.3)

    total = _slice(_("Total"), dict(ledger_params), snap.rows, on)
    total.problems = len(snap.problem_ids)
    by_source = []
    source_rows = _grouped(snap.rows, lambda r: r.source)
    for value, label in InspectionRound.Source.choices:
        if value in source_rows:
            by_source.append(_slice(str(label), {**ledger_params, "source": value}, source_rows[value], on))
    dept_rows = _grouped(snap.rows, lambda r: r.lead_department_id)
    by_department = [
        _slice(d.name, {**ledger_params, "lead_department": d.pk}, dept_rows[d.pk], on)
        for d in Department.objects.filter(pk__in=dept_rows).order_by("order", "id")
    ]
    report(0.5)

    period_last = min(period_end, on)
    closed_params = _closed_params(ledger_params, kind, period_start)
    closed_rows = sorted(
        (
            r
            for r in snap.rows
            if r.status == Measure.Status.CLOSED and r.completed_on and period_start <= r.completed_on <= period_last
        ),
        key=lambda r: (r.completed_on, r.pk),
    )
    stage_count = sum(
        1
        for r in snap.rows
        if r.status == Measure.Status.STAGE_COMPLETE
        and r.completed_on
        and period_start <= r.completed_on <= period_last
    )
    overdue_rows = sorted((r for r in snap.rows if r.overdue(on)), key=lambda r: (r.deadline, r.pk))
    shown = _measures([r.pk for r in closed_rows[:limit]] + [r.pk for r in overdue_rows[:limit]], snap)
    report(0.7)

    progress_lines, progress_measures, entry_count = _progress(qs, period_start, period_last, limit)
    extensions, extended, extension_days = _extensions(qs, snap, period_start, period_last, limit)
    report(0.9)

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
        closed_in_period=[shown[r.pk] for r in closed_rows[:limit]],
        closed_in_period_count=len(closed_rows),
        closed_in_period_params=closed_params,
        stage_complete_in_period_count=stage_count,
        overdue=[OverdueLine(shown[r.pk], (on - r.deadline).days) for r in overdue_rows[:limit]],
        overdue_count=len(overdue_rows),
        progress_lines=progress_lines,
        progress_measure_count=progress_measures,
        progress_entry_count=entry_count,
        trend=_trend(snap, campaign_start, period_end, on),
        list_limit=limit,
        extensions=extensions,
        extension_count=_extension_total(qs, period_start, period_last),
        extended_measures=extended,
        extension_days=extension_days,
        issued_on=dates.today(),
        narrative=narrative_for(period_start if kind == "monthly" else period_end).parts(),
        measures_qs=qs,
        party=party_section(period_start, period_end, on),
        cadres=cadre_section(period_start, period_end, on),
        snapshot=snap,
    )


def _closed_params(ledger_params: dict, kind: str, period_start: dt.date) -> dict:
    """The ledger's parameters for "signed off in the period" (a calendar month: closed_month)."""
    if kind == "monthly":
        return {**ledger_params, "closed_month": f"{period_start:%Y-%m}"}
    return {**ledger_params, "status": [Measure.Status.CLOSED]}


def _measures(pks: list[int], snap: Snapshot) -> dict[int, Measure]:
    """The listed measures, each carrying the status, term, deadline and completion date it
    had on the snapshot's day (the names and texts are today's)."""
    rows = snap.by_pk()
    found = {}
    for m in Measure.objects.filter(pk__in=set(pks)).select_related(
        "problem__round", "lead_department", "responsible_leader", "responsible_person"
    ):
        as_of(m, rows.get(m.pk))
        found[m.pk] = m
    return found


def as_of(measure: Measure, row: Row | None) -> Measure:
    """Give `measure` (not saved) the state of `row`, its snapshot on the report's day."""
    if row is not None:
        measure.status, measure.term, measure.deadline = row.status, row.term, row.deadline
        measure.completed_on = row.completed_on
    return measure


def _progress(qs: QuerySet, first: dt.date, last: dt.date, limit: int) -> tuple[list[ProgressLine], int, int]:
    """The latest entry per measure logged in the period; (lines, measures, entries)."""
    entries = (
        Progress.objects.filter(measure__in=qs.order_by().values("pk"), date__gte=first, date__lte=last)
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
    lines = [ProgressLine(m, latest[m.pk][0], shorten(latest[m.pk][1]), per_measure[m.pk]) for m in shown]
    return lines, len(latest), entry_count


def _approved_extensions(qs: QuerySet):
    return Extension.objects.filter(measure__in=qs.order_by().values("pk"), status=Extension.Status.APPROVED)


def _extension_total(qs: QuerySet, first: dt.date, last: dt.date) -> int:
    return _approved_extensions(qs).filter(decided_on__gte=first, decided_on__lte=last).count()


def _extensions(qs, snap: Snapshot, first: dt.date, last: dt.date, limit: int):
    """The extensions approved in the period, and the measures extended by `as_of` with
    their days in all: (lines, measures extended, days)."""
    approved = _approved_extensions(qs).filter(decided_on__lte=snap.on)
    lines = [
        ExtensionLine(e.measure, e.old_deadline, e.new_deadline, e.days, e.reason, e.decided_on, e.direct)
        for e in approved.filter(decided_on__gte=first, decided_on__lte=last)
        .select_related("measure__problem__round", "measure__lead_department", "measure__responsible_leader")
        .order_by("decided_on", "id")[:limit]
    ]
    totals = approved.aggregate(measures=Count("measure", distinct=True), days=Sum("days"))
    return lines, totals["measures"] or 0, totals["days"] or 0


def _trend(snap: Snapshot, campaign_start: dt.date | None, period_end: dt.date, on: dt.date) -> list[TrendPoint]:
    """One point per month from the campaign's start to the report's month.

    A month's point is its last day (or `as_of` if earlier): measures whose round's
    feedback came by then, those finished by then (completion date), and those overdue
    then (deadline passed, not finished by then). The last point equals the headline
    figures.
    """
    rows = snap.rows
    if campaign_start is None:
        feedback_dates = [r.feedback_date for r in rows if r.feedback_date]
        campaign_start = min(feedback_dates) if feedback_dates else period_end
    start = min(campaign_start, period_end)
    months = dates.months_between(start, period_end)[-24:]
    points = []
    for index, first in enumerate(months):
        _first, last = dates.month_bounds(first.year, first.month)
        day = min(last, on)
        if index == len(months) - 1 and period_end < last:
            day = min(period_end, on)
        measures = done = overdue = 0
        for r in rows:
            if r.feedback_date and r.feedback_date > day:
                continue
            measures += 1
            finished = r.done and (r.completed_on is None or r.completed_on <= day)
            if finished:
                done += 1
            elif r.deadline is not None and r.deadline < day:
                overdue += 1
        label = f"{first.month}月" if len({m.year for m in months}) == 1 else f"{first.year % 100:02d}年{first.month}月"
        points.append(TrendPoint(label, day, measures, done, overdue))
    return points
