"""The compliance matrix: for each branch and obligation, each period of a year (a month,
a quarter, the year) met / missing / not yet due / exempt, with the meetings behind it.

`year_matrix` reads the database in a fixed number of queries whatever the number of
branches, members and meetings (one grouped count of the year's meetings, the groups,
the exemptions, the attendance per branch); everything else is arithmetic here and in
obligations.py. The annual statistics table and the quarterly summary in the upward
format (tables.py) are read off the same matrix.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils.translation import gettext as _

from core import dates

from . import obligations as ob
from .models import Branch, Exemption, Meeting, PartyGroup

STATE_ICONS = {
    ob.MET: "check-circle-fill",
    ob.MISSING: "x-circle-fill",
    ob.NOT_DUE: "hourglass-split",
    ob.EXEMPT: "dash-circle",
}


def state_text(state: str) -> str:
    return {ob.MET: _("met"), ob.MISSING: _("missing"), ob.NOT_DUE: _("not yet due"), ob.EXEMPT: _("exempt")}[state]


@dataclass
class Cell:
    rule: ob.Rule
    start: dt.date
    end: dt.date
    state: str
    held: int  # meetings held (for a per-group rule: groups that met)
    needed: int  # 1, or the number of groups
    link: str
    reason: str = ""  # why exempt

    @property
    def span(self) -> int:
        return self.rule.months

    @property
    def icon(self) -> str:
        return STATE_ICONS[self.state]

    @property
    def text(self) -> str:
        return state_text(self.state)

    @property
    def label(self) -> str:
        if self.rule.per_group:
            return f"{self.held}/{self.needed}"
        return str(self.held) if self.held else ""


@dataclass
class Row:
    branch: Branch
    rule: ob.Rule
    cells: list[Cell]


@dataclass
class Matrix:
    year: int
    today: dt.date
    branches: list[Branch]
    rows: list[Row]
    meetings_by_month: dict = field(default_factory=dict)  # {(branch id, month): meetings held}

    def cells(self):
        for row in self.rows:
            yield from row.cells

    def cells_ending_between(self, start: dt.date, end: dt.date) -> list[Cell]:
        return [c for c in self.cells() if start <= c.end <= end]

    def branches_missing(self, day: dt.date) -> list[Branch]:
        """Branches with an obligation missing in a period that ended by `day`."""
        missing = {row.branch.pk for row in self.rows for c in row.cells if c.state == ob.MISSING and c.end <= day}
        return [b for b in self.branches if b.pk in missing]

    def rows_of(self, branch: Branch) -> list[Row]:
        return [r for r in self.rows if r.branch.pk == branch.pk]


def tally(cells) -> dict:
    """Counts of each state and the rate met ÷ (met + missing); None when nothing was due."""
    counts = {state: 0 for state in (ob.MET, ob.MISSING, ob.NOT_DUE, ob.EXEMPT)}
    for cell in cells:
        counts[cell.state] += 1
    due = counts[ob.MET] + counts[ob.MISSING]
    return {**counts, "due": due, "rate": counts[ob.MET] / due if due else None}


def meetings_link(branch_id: int, kind: str, start: dt.date, end: dt.date, base: str | None = None) -> str:
    """The meeting list filtered to what a cell counts (`base`: the list's URL, reversed once).
    Written out rather than urlencode()d: ids, ISO dates and kind slugs (Meeting.Kind) need no
    quoting, and urlencode was half the matrix's arithmetic at 1,400 cells."""
    query = f"branch={branch_id}&kind={kind}&from={start.isoformat()}&to={end.isoformat()}&held=1"
    return (base or reverse("partybuilding:meeting_list")) + "?" + query


def _held_counts(branch_ids, year: int):
    """{(branch, kind): [(group, month, held, of which lectured by the secretary)]}. One query."""
    rows = (
        Meeting.objects.filter(branch_id__in=branch_ids, held_on__year=year)
        .annotate(month=ExtractMonth("held_on"))
        .values("branch_id", "kind", "group_id", "month")
        .annotate(n=Count("id"), by_secretary=Count("id", filter=Q(lecturer_id=F("branch__secretary_id"))))
        .values_list("branch_id", "kind", "group_id", "month", "n", "by_secretary")
        .order_by()
    )
    held = defaultdict(list)
    for branch_id, kind, group_id, month, n, by_secretary in rows:
        held[(branch_id, kind)].append((group_id, month, n, by_secretary))
    return held


def _groups_and_exemptions(ids, year: int) -> tuple[dict, dict]:
    groups = defaultdict(list)  # {branch: [(group, dissolved on)]}
    for branch_id, group_id, dissolved in PartyGroup.objects.filter(branch_id__in=ids).values_list(
        "branch_id", "pk", "dissolved_on"
    ):
        groups[branch_id].append((group_id, dissolved))
    exemptions = defaultdict(list)
    for e in Exemption.objects.filter(
        branch_id__in=ids, first_month__lte=dt.date(year, 12, 1), last_month__gte=dt.date(year, 1, 1)
    ):
        exemptions[(e.branch_id, e.obligation)].append(e)
    return groups, exemptions


def year_matrix(branches: list[Branch], year: int, today: dt.date | None = None) -> Matrix:
    today = today or dates.today()
    ids = [b.pk for b in branches]
    held = _held_counts(ids, year)
    groups, exemptions = _groups_and_exemptions(ids, year)
    by_month = defaultdict(int)
    for (branch_id, _kind), entries in held.items():
        for _group, month, n, _s in entries:
            by_month[(branch_id, month)] += n
    base = reverse("partybuilding:meeting_list")
    rules = {}  # {kind of branch: [(rule, its periods)]}: the same for every branch of a kind
    rows = []
    for branch in branches:
        if branch.kind not in rules:
            rules[branch.kind] = [(rule, rule.periods(year)) for rule in ob.rules_for(branch.kind)]
        facts = _BranchFacts(branch, ob.obligations_start(branch), groups[branch.pk], today, base)
        for rule, periods in rules[branch.kind]:
            entries = held[(branch.pk, rule.kind)]
            excuses = exemptions[(branch.pk, rule.key)]
            cells = [_cell(facts, rule, first, last, entries, excuses) for first, last in periods]
            rows.append(Row(branch=branch, rule=rule, cells=cells))
    return Matrix(year=year, today=today, branches=branches, rows=rows, meetings_by_month=dict(by_month))


@dataclass
class _BranchFacts:
    branch: Branch
    start: dt.date | None  # obligations start
    groups: list  # [(group, dissolved on)]
    today: dt.date
    base: str  # the meeting list's URL


def _cell(facts: _BranchFacts, rule: ob.Rule, first: dt.date, last: dt.date, entries, excuses) -> Cell:
    """One obligation in one period: the meetings held in it against what was needed."""
    found = [e for e in entries if first.month <= e[1] <= last.month]
    if rule.per_group:
        # A group dissolved in or before the period owes nothing in it.
        owing = {g for g, dissolved in facts.groups if dissolved is None or dissolved > last}
        needed = len(owing)
        count = len({group for group, _m, n, _s in found if group in owing and n})
    else:
        needed = 1
        count = sum(s if rule.by_secretary else n for _g, _m, n, s in found)
    excuse = next(
        (e for e in excuses if e.first_month <= first and e.last_month >= dates.month_start(last)),
        None,
    )
    state = ob.state(
        held=count,
        needed=needed,
        period_end=last,
        today=facts.today,
        exempt=excuse is not None,
        obligations_start=facts.start,
    )
    return Cell(
        rule=rule,
        start=first,
        end=last,
        state=state,
        held=count,
        needed=needed,
        link=meetings_link(facts.branch.pk, rule.kind, first, last, facts.base),
        reason=excuse.reason if excuse else "",
    )


# --- the upward tables ---------------------------------------------------------------


@dataclass
class AnnualLine:
    """One branch in the annual 组织生活开展情况统计表: for the 支委会 and the 党员集体活动
    (the monthly activity day), the months held (1–12), how many, and the rate."""

    branch: Branch
    committee: list[bool]
    committee_months: int
    committee_rate: float | None
    activity: list[bool]
    activity_months: int
    activity_rate: float | None


def annual_lines(matrix: Matrix) -> list[AnnualLine]:
    lines = []
    for branch in matrix.branches:
        if branch.is_centre_group:
            continue
        rows = {r.rule.key: r for r in matrix.rows_of(branch)}
        committee = _monthly(rows.get(ob.Obligation.COMMITTEE))
        activity = _monthly(rows.get(ob.Obligation.ACTIVITY_DAY))
        lines.append(
            AnnualLine(
                branch=branch,
                committee=[c.state == ob.MET for c in committee],
                committee_months=sum(c.state == ob.MET for c in committee),
                committee_rate=tally(committee)["rate"],
                activity=[c.state == ob.MET for c in activity],
                activity_months=sum(c.state == ob.MET for c in activity),
                activity_rate=tally(activity)["rate"],
            )
        )
    return lines


def _monthly(row: Row | None) -> list[Cell]:
    """Twelve cells, one per month (a rule set to another period is spread over its months)."""
    if row is None:
        return []
    return [cell for cell in row.cells for _m in range(cell.span)]


@dataclass
class QuarterLine:
    """One branch and quarter in the quarterly summary: 应完成, 已完成, 是否完成, 会议数, 排除."""

    branch: Branch
    quarter: int
    due: int
    done: int
    open: int  # not yet due
    exempt: int
    meetings: int

    @property
    def complete(self) -> bool | None:
        """True / False once the quarter's obligations are all due; None while some are open."""
        if self.done >= self.due:
            return True
        return None if self.open else False


def quarter_lines(matrix: Matrix) -> list[QuarterLine]:
    lines = []
    for branch in matrix.branches:
        cells = [c for r in matrix.rows_of(branch) for c in r.cells]
        for quarter in range(1, 5):
            first_month = (quarter - 1) * 3 + 1
            start = dt.date(matrix.year, first_month, 1)
            end = dates.month_bounds(matrix.year, first_month + 2)[1]
            inside = tally(c for c in cells if start <= c.end <= end)
            lines.append(
                QuarterLine(
                    branch=branch,
                    quarter=quarter,
                    due=inside["met"] + inside["missing"] + inside["not_due"],
                    done=inside["met"],
                    open=inside["not_due"],
                    exempt=inside["exempt"],
                    meetings=sum(
                        matrix.meetings_by_month.get((branch.pk, m), 0) for m in range(first_month, first_month + 3)
                    ),
                )
            )
    return lines
