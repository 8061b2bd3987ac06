"""Today and month arithmetic, defined once for every app.

today() is the bureau's local date (TIME_ZONE = Asia/Shanghai), never the server's UTC
date: a reminder sweep at 00:30 local time must not see yesterday.
"""

import datetime as dt
import re

from django.utils import timezone
from django.utils.translation import gettext as _


def today() -> dt.date:
    return timezone.localdate()


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    """The first day of the month after `day`'s."""
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first and the last day of a month."""
    first = dt.date(year, month, 1)
    return first, next_month(first) - dt.timedelta(days=1)


def previous_month(on: dt.date) -> tuple[dt.date, dt.date]:
    """The first and the last day of the month before `on`'s."""
    end = month_start(on) - dt.timedelta(days=1)
    return month_start(end), end


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first days of the months from `start`'s to `end`'s, both included."""
    months, cursor = [], month_start(start)
    while cursor <= end:
        months.append(cursor)
        cursor = next_month(cursor)
    return months


def parse_month(value: str) -> tuple[dt.date, dt.date]:
    """'2026-03' -> (2026-03-01, 2026-03-31); ValueError with a Chinese message otherwise."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", (value or "").strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise ValueError(_("Month must look like 2026-03."))
    return month_bounds(int(match[1]), int(match[2]))
