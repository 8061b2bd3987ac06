"""The bureau's working-day calendar.

A day is a workday when it is Monday–Friday and not a statutory holiday, or when it
is a 调休 make-up workday. Holidays and make-up days come from the CalendarDay table
(seeded from the chinese-calendar package for 2004–2026, edited by an admin for later
years). A year with no CalendarYear row falls back to Monday–Friday: has_data(year)
tells the UI to warn about it.

The table is small, so each process keeps it in memory, keyed by a version number in
the shared cache that every edit bumps.
"""

import datetime as dt
import time

from django.core.cache import cache

_VERSION_KEY = "core:calendar:version"
# How long a process trusts its copy before asking the shared cache again: a date walk
# calls is_workday hundreds of times, and each cache read is a network round trip.
_RECHECK_SECONDS = 5.0
_state: dict = {"version": None, "years": set(), "days": {}, "checked": 0.0}


def _load():
    from .models import CalendarDay, CalendarYear

    now = time.monotonic()
    if _state["version"] is not None and now - _state["checked"] < _RECHECK_SECONDS:
        return _state
    version = cache.get(_VERSION_KEY, 0)
    _state["checked"] = now
    if _state["version"] == version:
        return _state
    _state["years"] = set(CalendarYear.objects.values_list("year", flat=True))
    _state["days"] = dict(CalendarDay.objects.values_list("date", "kind"))
    _state["version"] = version
    return _state


def invalidate():
    """Called when a calendar row changes, in any process."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, None)
    _state["version"] = None


def forget_local_copy():
    """Drop this process's copy (tests roll back the table behind its back)."""
    _state["version"] = None


def has_data(year: int) -> bool:
    return year in _load()["years"]


def is_workday(day: dt.date) -> bool:
    state = _load()
    kind = state["days"].get(day)
    if kind == "holiday":
        return False
    if kind == "workday":
        return True
    return day.weekday() < 5


def add_workdays(day: dt.date, n: int) -> dt.date:
    """The date n working days after `day` (before it when n < 0); n=0 is `day` itself."""
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    current = day
    while remaining:
        current += dt.timedelta(days=step)
        if is_workday(current):
            remaining -= 1
    return current


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days in the half-open interval (start, end]; negative when end < start."""
    if end < start:
        return -workdays_between(end, start)
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if is_workday(current):
            count += 1
    return count


def next_workday(day: dt.date) -> dt.date:
    """`day` itself if it is a workday, else the first workday after it."""
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


def years_without_data(*years: int) -> list[int]:
    return [y for y in years if not has_data(y)]
