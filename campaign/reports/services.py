"""Writes for the monthly report: request a build, retry one, and the monthly schedule.

The build itself (claim, render, files, failure) is reports.build; a Celery worker runs it
(reports.tasks.build_report takes the pk), or the build_report command in process.
A retry requeues the same row: one report, not two.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import current_app
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import calendar, dates
from rectification.models import InspectionRound, Measure

from . import build
from .models import Report, stale_before

logger = logging.getLogger(__name__)

S = Report.Status
BUILD_TASK = "campaign.build_report"


class ReportRequestError(ValueError):
    """A request the form should have refused; the message is for the user."""


# --- requesting -----------------------------------------------------------------------


def request_report(
    user,
    *,
    period_start: dt.date,
    period_end: dt.date,
    kind: str = Report.Kind.MONTHLY,
    round: InspectionRound | None = None,
) -> tuple[Report, bool]:
    """A new report row, queued; the build is enqueued once the row is committed.

    If the same report (same period and round) is already queued or being built, that
    one is returned (created False) instead of starting a second build; if that one lost
    its message or worker (no heartbeat), it is requeued. The database holds at most one
    active report per period (constraint report_one_active_per_period), so parallel
    requests that race past the first look end up with the same row.
    """
    if period_end < period_start:
        raise ReportRequestError(_("The end of the period is before its start."))
    same = dict(period_start=period_start, period_end=period_end, round=round, kind=kind)
    for _attempt in range(3):
        active = Report.objects.filter(status__in=Report.ACTIVE_STATUSES, **same).first()
        if active is not None:
            if active.is_stale:
                retry_report(active)
            return active, False
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    **same, requested_by=user if getattr(user, "is_authenticated", False) else None
                )
                transaction.on_commit(lambda pk=report.pk: enqueue(pk))
            return report, True
        except IntegrityError:
            continue  # another request created it a moment ago: return that one
    raise ReportRequestError(_("The report could not be requested. Please try again."))


def enqueue(report_id: int) -> bool:
    """Send the build task. A broker that cannot be reached fails the report with a
    reason the office can read (and retry), instead of an error page.

    The task is found by its name in Celery's registry (CampaignConfig.ready imports the
    task modules): reports.tasks imports this module, so this one cannot import it."""
    try:
        current_app.tasks[BUILD_TASK].delay(report_id)
        return True
    except Exception as exc:  # kombu OperationalError, redis ConnectionError, OSError...
        logger.exception("could not enqueue report %s", report_id)
        Report.objects.filter(pk=report_id, status=S.QUEUED).update(
            status=S.FAILED,
            finished_at=timezone.now(),
            error=_(
                "The task queue could not be reached (%(error)s), so the report was not started. "
                "Make sure Redis and the Celery worker are running, then click Retry."
            )
            % {"error": type(exc).__name__},
        )
        return False


def retry_report(report: Report) -> bool:
    """Requeue a failed (or abandoned) report: the same row is built again."""
    try:
        with transaction.atomic():
            updated = (
                Report.objects.filter(pk=report.pk)
                .filter(Q(status=S.FAILED) | Q(status__in=Report.ACTIVE_STATUSES, heartbeat_at__lt=stale_before()))
                .update(
                    status=S.QUEUED,
                    progress=0,
                    error="",
                    attempts=0,
                    claim_token=None,
                    claimed_at=None,
                    heartbeat_at=timezone.now(),
                    started_at=None,
                    finished_at=None,
                )
            )
            if updated:
                transaction.on_commit(lambda: enqueue(report.pk))
    except IntegrityError:
        return False  # the same period has been requested again meanwhile: that one is being built
    return bool(updated)


def rescue_stale_reports() -> list[int]:
    """Requeue reports whose message or worker was lost (build.rescue_stale)."""
    return build.rescue_stale(enqueue)


# --- the monthly schedule ------------------------------------------------------------


def first_workday_of_month(on: dt.date) -> dt.date:
    return calendar.next_workday(dates.month_start(on))


def build_monthly_if_due(on: dt.date | None = None) -> Report | None:
    """On the month's first working day (or the first run after it, if beat was down),
    queue the previous month's report, once: the scheduled flag is unique per period."""
    on = on or dates.today()
    if on < first_workday_of_month(on):
        return None
    start, end = dates.previous_month(on)
    if Report.objects.filter(scheduled=True, period_start=start, period_end=end).exists():
        return None
    if not Measure.objects.exists():
        return None
    try:
        with transaction.atomic():
            report = Report.objects.create(kind=Report.Kind.MONTHLY, period_start=start, period_end=end, scheduled=True)
            transaction.on_commit(lambda: enqueue(report.pk))
    except IntegrityError:
        return None  # another beat run created it a moment ago
    return report
