"""逾期 / 临期 and the 三色预警 colours, derived from the deadline, never stored.

Red: overdue (deadline passed, not finished). Yellow: within WARNING_YELLOW_DAYS.
Green: within WARNING_GREEN_DAYS. 临期 (due soon) on the ledger and dashboard: due within
DUE_SOON_WORKDAYS working days of the bureau's calendar.
"""

import datetime as dt

from django.conf import settings
from django.db.models import Q

from core import calendar, dates

from .models import Measure

RED, YELLOW, GREEN = "red", "yellow", "green"


def unfinished_q() -> Q:
    """Measures that still have a deadline to meet: not finished (DONE_STATUSES), with a deadline.

    Not the ledger's flag=open, which is every measure not yet signed off (已销号)."""
    return ~Q(status__in=Measure.DONE_STATUSES) & Q(deadline__isnull=False)


def overdue_q(on: dt.date) -> Q:
    return unfinished_q() & Q(deadline__lt=on)


def due_soon_q(on: dt.date) -> Q:
    last = calendar.add_workdays(on, settings.DUE_SOON_WORKDAYS)
    return unfinished_q() & Q(deadline__gte=on, deadline__lte=last)


def warning_q(colour: str, on: dt.date) -> Q:
    if colour == RED:
        return overdue_q(on)
    days = settings.WARNING_YELLOW_DAYS if colour == YELLOW else settings.WARNING_GREEN_DAYS
    q = unfinished_q() & Q(deadline__gte=on, deadline__lte=on + dt.timedelta(days=days))
    if colour == GREEN:
        q &= Q(deadline__gt=on + dt.timedelta(days=settings.WARNING_YELLOW_DAYS))
    return q


def warning_level(measure: Measure, on: dt.date | None = None) -> str | None:
    on = on or dates.today()
    if measure.status in Measure.DONE_STATUSES or measure.deadline is None:
        return None
    left = (measure.deadline - on).days
    if left < 0:
        return RED
    if left <= settings.WARNING_YELLOW_DAYS:
        return YELLOW
    if left <= settings.WARNING_GREEN_DAYS:
        return GREEN
    return None


def days_overdue(measure: Measure, on: dt.date | None = None) -> int:
    on = on or dates.today()
    if measure.deadline is None or measure.status in Measure.DONE_STATUSES:
        return 0
    return max(0, (on - measure.deadline).days)
