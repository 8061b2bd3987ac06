"""Writes for the monthly report: request, build (claimed by a conditional UPDATE),
progress, failure, retry, and the monthly schedule.

A build runs in a Celery worker (campaign.report_tasks.build_report takes the pk) or in
process (the build_report command). It first claims the row: one UPDATE that succeeds
only while the report is queued, or while a previous claim is older than any build may
take (its worker died). A redelivered or duplicate task therefore does nothing twice.
Every later write names the claim token, so a worker that lost its claim cannot
overwrite the one that took over. A retry requeues the same row: one report, not two.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import uuid
from enum import Enum

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cadres.roles import office_users
from config.env import env_int
from core import calendar, dates, notify
from rectification.models import InspectionRound, Measure

from .models import Report

logger = logging.getLogger(__name__)

S = Report.Status
REPORT_LANGUAGE = "zh-hans"
# Celery limits of one build (seconds); a claim older than STALE_AFTER belongs to a dead worker.
SOFT_TIME_LIMIT = int(getattr(settings, "REPORT_SOFT_TIME_LIMIT", env_int("REPORT_SOFT_TIME_LIMIT", 900)))
TIME_LIMIT = SOFT_TIME_LIMIT + 60
STALE_AFTER = TIME_LIMIT + 60
# A report whose builds keep dying (the worker is killed mid-build) is given up after this.
MAX_ATTEMPTS = 3

# Progress (percent) at the start of each stage.
STAGE_START = {S.COLLECTING: 2, S.RENDERING_PDF: 40, S.WRITING_EXCEL: 75, S.DONE: 100}


class Outcome(Enum):
    BUILT = "built"
    FAILED = "failed"
    NOTHING = "nothing"  # done already, failed, or unknown: a redelivered task stops here
    WAIT = "wait"  # another worker holds a fresh claim: look again once it would be stale


class ReportRequestError(ValueError):
    """A request the form should have refused; the message is for the user."""


class LostClaim(Exception):
    pass


def stale_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=STALE_AFTER)


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
    one is returned (created False) instead of starting a second build.
    """
    if period_end < period_start:
        raise ReportRequestError(_("The end of the period is before its start."))
    with transaction.atomic():
        active = (
            Report.objects.select_for_update()
            .filter(period_start=period_start, period_end=period_end, round=round, kind=kind)
            .filter(Q(status=S.QUEUED) | Q(status__in=Report.RUNNING_STATUSES, claimed_at__gte=stale_before()))
            .first()
        )
        if active is not None:
            return active, False
        report = Report.objects.create(
            kind=kind,
            period_start=period_start,
            period_end=period_end,
            round=round,
            requested_by=user if getattr(user, "is_authenticated", False) else None,
        )
        transaction.on_commit(lambda: enqueue(report.pk))
    return report, True


def enqueue(report_id: int) -> bool:
    """Send the build task. A broker that cannot be reached fails the report with a
    reason the office can read (and retry), instead of an error page."""
    from .report_tasks import build_report

    try:
        build_report.delay(report_id)
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
    with transaction.atomic():
        updated = (
            Report.objects.filter(pk=report.pk)
            .filter(Q(status=S.FAILED) | Q(status__in=Report.RUNNING_STATUSES, claimed_at__lt=stale_before()))
            .update(
                status=S.QUEUED,
                progress=0,
                error="",
                attempts=0,
                claim_token=None,
                claimed_at=None,
                started_at=None,
                finished_at=None,
            )
        )
        if updated:
            transaction.on_commit(lambda: enqueue(report.pk))
    return bool(updated)


# --- building -------------------------------------------------------------------------


def claim(report_id: int) -> uuid.UUID | None:
    token = uuid.uuid4()
    now = timezone.now()
    claimable = Q(status=S.QUEUED) | Q(
        status__in=Report.RUNNING_STATUSES, claimed_at__lt=stale_before(), attempts__lt=MAX_ATTEMPTS
    )
    updated = Report.objects.filter(claimable, pk=report_id).update(
        status=S.COLLECTING,
        progress=STAGE_START[S.COLLECTING],
        claim_token=token,
        claimed_at=now,
        started_at=now,
        finished_at=None,
        error="",
        attempts=F("attempts") + 1,
    )
    return token if updated else None


def _set(report_id: int, token: uuid.UUID, **fields) -> None:
    updated = Report.objects.filter(pk=report_id, claim_token=token, status__in=Report.RUNNING_STATUSES).update(
        **fields
    )
    if not updated:
        raise LostClaim(report_id)


def build(report_id: int) -> Outcome:
    """Claim and build report `report_id` in this process. Safe to call twice."""
    token = claim(report_id)
    if token is None:
        return _not_claimed(report_id)
    report = Report.objects.select_related("round").get(pk=report_id)
    saved: list[str] = []
    try:
        with translation.override(REPORT_LANGUAGE):
            _build(report, token, saved)
    except LostClaim:
        _delete_files(saved)
        logger.warning("report %s: claim lost to another worker; its files were discarded", report_id)
        return Outcome.NOTHING
    except Exception as exc:  # includes Celery's SoftTimeLimitExceeded
        # (KeyboardInterrupt / SystemExit pass: the claim goes stale and is taken over.)
        _delete_files(saved)
        logger.exception("report %s failed", report_id)
        fail(report_id, token, failure_reason(exc))
        _notify_if_scheduled(report_id)
        return Outcome.FAILED
    _notify_if_scheduled(report_id)
    return Outcome.BUILT


def _not_claimed(report_id: int) -> Outcome:
    report = Report.objects.filter(pk=report_id).first()
    if report is None or not report.is_running:
        return Outcome.NOTHING
    if report.claimed_at and report.claimed_at < stale_before():
        # Stale and out of attempts: give up with a reason the office can act on.
        Report.objects.filter(pk=report_id, claim_token=report.claim_token, status__in=Report.RUNNING_STATUSES).update(
            status=S.FAILED,
            finished_at=timezone.now(),
            error=_(
                "The build was interrupted %(n)s times (the worker stopped in the middle). "
                "Click Retry; if it keeps happening, ask the administrator to check the worker's memory and logs."
            )
            % {"n": report.attempts},
        )
        return Outcome.FAILED
    return Outcome.WAIT


def seconds_until_stale(report_id: int) -> int:
    claimed_at = Report.objects.filter(pk=report_id).values_list("claimed_at", flat=True).first()
    if claimed_at is None:
        return 5
    return max(5, int((claimed_at + dt.timedelta(seconds=STALE_AFTER) - timezone.now()).total_seconds()) + 5)


def _build(report: Report, token: uuid.UUID, saved: list[str]) -> None:
    from . import report_data, report_pdf, report_xlsx
    from .selectors import current_campaign

    def stage(status, fraction=0.0):
        start = STAGE_START[status]
        following = {S.COLLECTING: 40, S.RENDERING_PDF: 75, S.WRITING_EXCEL: 99}[status]
        _set(report.pk, token, status=status, progress=int(start + (following - start) * min(1.0, fraction)))

    campaign = current_campaign(report.period_end)
    data = report_data.collect(
        report.period_start,
        report.period_end,
        round=report.round,
        kind=report.kind,
        campaign_start=campaign.start if campaign else None,
        progress=lambda f: stage(S.COLLECTING, f),
    )
    stage(S.RENDERING_PDF)
    rendered = report_pdf.render_pdf(report_pdf.render_html(data))

    stage(S.WRITING_EXCEL)
    stem = f"report-{report.pk}-{token.hex[:8]}"
    pdf_name = report.pdf.field.storage.save(
        report.pdf.field.generate_filename(report, f"{stem}.pdf"), ContentFile(rendered.pdf)
    )
    saved.append(pdf_name)
    with tempfile.TemporaryFile(suffix=".xlsx") as handle:
        report_xlsx.write_ledger(data, handle, progress=lambda f: stage(S.WRITING_EXCEL, f))
        handle.seek(0)
        xlsx_name = report.xlsx.field.storage.save(
            report.xlsx.field.generate_filename(report, f"{stem}.xlsx"), File(handle)
        )
    saved.append(xlsx_name)
    storage = report.pdf.field.storage
    old = [name for name in (report.pdf.name, report.xlsx.name) if name]
    _set(
        report.pk,
        token,
        status=S.DONE,
        progress=100,
        pdf=pdf_name,
        xlsx=xlsx_name,
        pdf_size=storage.size(pdf_name),
        xlsx_size=storage.size(xlsx_name),
        pdf_pages=rendered.pages,
        measure_count=data.total.measures,
        as_of=data.as_of,
        finished_at=timezone.now(),
        error="",
    )
    saved.clear()  # the row owns them now
    _delete_files([name for name in old if name not in (pdf_name, xlsx_name)])


def _is_time_limit(exc: BaseException) -> bool:
    from celery.exceptions import SoftTimeLimitExceeded

    return isinstance(exc, SoftTimeLimitExceeded)


def failure_reason(exc: BaseException) -> str:
    """A reason the office can read, naming what to do."""
    if _is_time_limit(exc):
        return _(
            "The build took longer than %(minutes)s minutes and was stopped. Try a shorter period or one "
            "inspection round, or ask the administrator to raise REPORT_SOFT_TIME_LIMIT."
        ) % {"minutes": SOFT_TIME_LIMIT // 60}
    if isinstance(exc, OSError):
        return _(
            "The report files could not be written (%(error)s). Ask the administrator to check the disk "
            "space and the permissions of the media folder, then click Retry."
        ) % {"error": exc.strerror or type(exc).__name__}
    if isinstance(exc, DatabaseError):
        return _("The ledger could not be read from the database (%(error)s). Click Retry in a moment.") % {
            "error": type(exc).__name__
        }
    detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return _(
        "The report could not be built: %(error)s. Click Retry; if it fails again, give this message to "
        "the administrator."
    ) % {"error": f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__}


def fail(report_id: int, token: uuid.UUID, reason: str) -> None:
    Report.objects.filter(pk=report_id, claim_token=token).exclude(status=S.DONE).update(
        status=S.FAILED, error=reason, finished_at=timezone.now()
    )


def _delete_files(names: list[str]) -> None:
    storage = Report._meta.get_field("pdf").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("could not delete report file %s", name)


def expire_stale() -> int:
    """Fail reports whose worker died mid-build, with a reason; they can be retried."""
    return Report.objects.filter(status__in=Report.RUNNING_STATUSES, claimed_at__lt=stale_before()).update(
        status=S.FAILED,
        finished_at=timezone.now(),
        error=_("The build was interrupted (the worker stopped in the middle). Click Retry to build it again."),
    )


# --- the monthly schedule ------------------------------------------------------------


def previous_month(on: dt.date) -> tuple[dt.date, dt.date]:
    end = on.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def first_workday_of_month(on: dt.date) -> dt.date:
    return calendar.next_workday(on.replace(day=1))


def build_monthly_if_due(on: dt.date | None = None) -> Report | None:
    """On the month's first working day (or the first run after it, if beat was down),
    queue the previous month's report, once: the scheduled flag is unique per period."""
    on = on or dates.today()
    if on < first_workday_of_month(on):
        return None
    start, end = previous_month(on)
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


def _notify_if_scheduled(report_id: int) -> None:
    report = Report.objects.filter(pk=report_id, scheduled=True).first()
    if report is None or report.status not in Report.FINISHED_STATUSES:
        return
    with translation.override(REPORT_LANGUAGE):
        if report.status == S.DONE:
            title = _("The monthly report for %(period)s is ready") % {"period": report.period_label}
            text = _("The PDF report and the Excel ledger can be downloaded on the Reports page.")
        else:
            title = _("The monthly report for %(period)s could not be built") % {"period": report.period_label}
            text = report.error
        link = reverse("campaign:reports")
        for user in office_users():
            notify.deliver(user, title, text, link=link)  # a Notice in the inbox, and an email copy
