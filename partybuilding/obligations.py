"""What a branch must hold and when: the obligations (settings.PARTY_OBLIGATION_MONTHS),
their periods in a year, the Party member activity day of each month, and the state of
one obligation in one period (met / missing / not yet due / exempt).

Pure functions over dates and counts: compliance.py reads the database once and asks here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from core import calendar, dates

from .models import Branch, Meeting, Obligation

K = Meeting.Kind

MET, MISSING, NOT_DUE, EXEMPT = "met", "missing", "not_due", "exempt"


@dataclass(frozen=True)
class Rule:
    """One obligation: the meeting kind that meets it, how often (months per period)."""

    key: str
    label: str
    kind: str
    months: int
    per_group: bool = False  # each Party group must hold one
    by_secretary: bool = False  # a lesson the branch secretary gives

    def periods(self, year: int) -> list[tuple[dt.date, dt.date]]:
        """(first day, last day) of each period of `year`."""
        spans = []
        for start in range(1, 13, self.months):
            end_month = min(12, start + self.months - 1)
            spans.append((dt.date(year, start, 1), dates.month_bounds(year, end_month)[1]))
        return spans

    @property
    def frequency(self) -> str:
        return {1: _("monthly"), 3: _("quarterly"), 6: _("half-yearly"), 12: _("yearly")}.get(
            self.months, _("every %(n)s months") % {"n": self.months}
        )


# (obligation, meeting kind, extra) per kind of branch, in the order the tables show them.
BRANCH_RULES = [
    (Obligation.COMMITTEE, K.COMMITTEE, {}),
    (Obligation.GENERAL, K.GENERAL, {}),
    (Obligation.GROUP, K.GROUP, {"per_group": True}),
    (Obligation.LESSON, K.LESSON, {}),
    (Obligation.SECRETARY_LESSON, K.LESSON, {"by_secretary": True}),
    (Obligation.ACTIVITY_DAY, K.ACTIVITY_DAY, {}),
    (Obligation.LIFE_MEETING, K.LIFE_MEETING, {}),
    (Obligation.APPRAISAL, K.APPRAISAL, {}),
]
CENTRE_GROUP_RULES = [(Obligation.CENTRE_STUDY, K.CENTRE_STUDY, {})]


def rules_for(kind: str) -> list[Rule]:
    """The obligations of a branch of `kind` (Branch.Kind), as the settings set them now."""
    months = settings.PARTY_OBLIGATION_MONTHS
    table = CENTRE_GROUP_RULES if kind == Branch.Kind.CENTRE_GROUP else BRANCH_RULES
    return [
        Rule(key=str(o), label=str(o.label), kind=str(k), months=months[str(o)], **extra)
        for o, k, extra in table
        if months.get(str(o), 0) > 0
    ]


def rule(key: str, kind: str = Branch.Kind.BRANCH) -> Rule | None:
    return next((r for r in rules_for(kind) if r.key == key), None)


def state(
    *, held: int, needed: int, period_end: dt.date, today: dt.date, exempt: bool, obligations_start: dt.date | None
) -> str:
    """The state of one obligation in one period: `held` of `needed` (groups, or 1)."""
    if exempt or (obligations_start and period_end < obligations_start):
        return EXEMPT
    if needed and held >= needed:
        return MET
    if not needed:
        return EXEMPT  # a per-group obligation of a branch without groups
    return NOT_DUE if period_end >= today else MISSING


def obligations_start(branch: Branch) -> dt.date | None:
    """The first day from which a branch owes its obligations: the month after it was founded."""
    return dates.next_month(branch.founded_on) if branch.founded_on else None


# --- the Party member activity day ----------------------------------------------------


@dataclass(frozen=True)
class ActivityDay:
    month: dt.date  # first day of the month
    nominal: dt.date  # the 28th (settings.PARTY_ACTIVITY_DAY)
    day: dt.date  # when it is held: the nominal day, or the next working day
    reason: str  # why it moved, or why it stays

    @property
    def moved(self) -> bool:
        return self.day != self.nominal


def activity_day(year: int, month: int) -> ActivityDay:
    """The month's activity day: the PARTY_ACTIVITY_DAY-th (the month's last day in a shorter
    month), moved to the next working day of core.calendar when it is a rest day."""
    last = dates.month_bounds(year, month)[1]
    nominal = dt.date(year, month, min(settings.PARTY_ACTIVITY_DAY, last.day))
    day = calendar.next_workday(nominal)
    weekend = nominal.weekday() >= 5
    if day == nominal:
        reason = _("a make-up working day (调休): stays") if weekend else _("a working day")
    elif weekend:
        reason = _("a %(weekday)s: moved to the next working day") % {"weekday": weekday_name(nominal)}
    else:
        reason = _("a statutory holiday: moved to the next working day")
    return ActivityDay(month=dt.date(year, month, 1), nominal=nominal, day=day, reason=reason)


def activity_days(year: int) -> list[ActivityDay]:
    return [activity_day(year, month) for month in range(1, 13)]


def weekday_name(day: dt.date) -> str:
    names = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]
    return names[day.weekday()]
