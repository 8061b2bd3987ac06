"""Whether the reminder sweep runs: the last run and the dashboard's warning when today's
run is missing (the healthchecks lesson: a silent scheduler sends nothing)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from core import calendar

from .models import SweepRun


def last_sweep() -> SweepRun | None:
    return SweepRun.objects.exclude(status=SweepRun.Status.RUNNING).order_by("-started_at", "-id").first()


def sweep_overdue(now: dt.datetime | None = None) -> bool:
    """True when today is a working day, the scheduled time plus grace has passed, and no
    sweep has finished today."""
    now = timezone.localtime(now)
    today = now.date()
    if not calendar.is_workday(today):
        return False
    due = dt.datetime.combine(today, dt.time(settings.REMINDER_HOUR, settings.REMINDER_MINUTE), now.tzinfo)
    if now < due + dt.timedelta(minutes=settings.REMINDER_GRACE_MINUTES):
        return False
    return not SweepRun.objects.filter(day=today, status=SweepRun.Status.DONE).exists()
