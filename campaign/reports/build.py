"""Building a report: claimed by a conditional UPDATE, then data, PDF, xlsx and docx, with progress.

The build first claims the row: one UPDATE that succeeds only while the report is queued,
or while a previous claim has had no heartbeat for REPORT_STALE_SECONDS (its worker died).
A redelivered or duplicate task therefore does nothing twice. Every later write names the
claim token, so a worker that lost its claim cannot overwrite the one that took over.
While a build runs, a thread beats its heartbeat (Heartbeat); rescue_stale, run by beat
every minute, requeues reports whose message or worker was lost and removes files that no
report owns. A failure is recorded on a fresh database connection if the old one died.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import threading
import time
import uuid
from enum import Enum
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import Error as DbError  # also InterfaceError: the connection is gone
from django.db import connection
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cadres.roles import office_users
from core import dates, notices

from ..group.selectors import current_campaign
from . import data as report_data
from . import docx as report_docx
from . import pdf as report_pdf
from . import xlsx as report_xlsx
from .models import Report, stale_after_seconds, stale_before

logger = logging.getLogger(__name__)

S = Report.Status
REPORT_LANGUAGE = "zh-hans"
# A report whose builds keep dying (the worker is killed mid-build) is given up after this.
MAX_ATTEMPTS = 3
# Progress (percent) at the start of each stage.
STAGE_START = {S.COLLECTING: 2, S.RENDERING_PDF: 40, S.WRITING_EXCEL: 75, S.DONE: 100}


class Outcome(Enum):
    BUILT = "built"
    FAILED = "failed"
    NOTHING = "nothing"  # done already, failed, or unknown: a redelivered task stops here
    WAIT = "wait"  # another worker holds a fresh claim: look again once it would be stale


class LostClaim(Exception):
    pass


def claim(report_id: int) -> uuid.UUID | None:
    token = uuid.uuid4()
    now = timezone.now()
    claimable = Q(status=S.QUEUED) | Q(
        status__in=Report.RUNNING_STATUSES, heartbeat_at__lt=stale_before(), attempts__lt=MAX_ATTEMPTS
    )
    updated = Report.objects.filter(claimable, pk=report_id).update(
        status=S.COLLECTING,
        progress=STAGE_START[S.COLLECTING],
        claim_token=token,
        claimed_at=now,
        heartbeat_at=now,
        started_at=now,
        finished_at=None,
        error="",
        attempts=F("attempts") + 1,
    )
    return token if updated else None


def _set(report_id: int, token: uuid.UUID, **fields) -> None:
    updated = Report.objects.filter(pk=report_id, claim_token=token, status__in=Report.RUNNING_STATUSES).update(
        heartbeat_at=timezone.now(), **fields
    )
    if not updated:
        raise LostClaim(report_id)


class Heartbeat:
    """A thread that marks the claimed build alive every REPORT_HEARTBEAT_SECONDS (rendering a
    PDF can take minutes without a progress step), on its own database connection."""

    def __init__(self, report_id: int, token: uuid.UUID):
        self.report_id, self.token = report_id, token
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"report-{report_id}-heartbeat", daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=10)

    def _run(self):
        try:
            while not self.stop.wait(settings.REPORT_HEARTBEAT_SECONDS):
                try:
                    Report.objects.filter(
                        pk=self.report_id, claim_token=self.token, status__in=Report.RUNNING_STATUSES
                    ).update(heartbeat_at=timezone.now())
                except DbError:
                    logger.warning("report %s: heartbeat not written", self.report_id)
                    connection.close()
        finally:
            connection.close()  # this thread's own connection


def build(report_id: int) -> Outcome:
    """Claim and build report `report_id` in this process. Safe to call twice."""
    token = claim(report_id)
    if token is None:
        return _not_claimed(report_id)
    report = Report.objects.select_related("round").get(pk=report_id)
    remove_files_of_earlier_attempts(report)
    saved: list[str] = []
    try:
        with translation.override(REPORT_LANGUAGE), Heartbeat(report_id, token):
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
        _tell_office_if_scheduled(report_id)
        return Outcome.FAILED
    _tell_office_if_scheduled(report_id)
    return Outcome.BUILT


def _not_claimed(report_id: int) -> Outcome:
    report = Report.objects.filter(pk=report_id).first()
    if report is None or not report.is_running:
        return Outcome.NOTHING
    if report.is_stale:
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
    heartbeat_at = Report.objects.filter(pk=report_id).values_list("heartbeat_at", flat=True).first()
    if heartbeat_at is None:
        return 5
    return max(
        5, int((heartbeat_at + dt.timedelta(seconds=stale_after_seconds()) - timezone.now()).total_seconds()) + 5
    )


def _build(report: Report, token: uuid.UUID, saved: list[str]) -> None:
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
        as_of=min(report.period_end, dates.today()),  # a past month: as of its last day
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
    docx_name = _save_docx(report, data, stem)
    saved.append(docx_name)
    storage = report.pdf.field.storage
    old = [name for name in (report.pdf.name, report.xlsx.name, report.docx.name) if name]
    _set(
        report.pk,
        token,
        status=S.DONE,
        progress=100,
        pdf=pdf_name,
        xlsx=xlsx_name,
        docx=docx_name,
        pdf_size=storage.size(pdf_name),
        xlsx_size=storage.size(xlsx_name),
        docx_size=storage.size(docx_name),
        pdf_pages=rendered.pages,
        measure_count=data.total.measures,
        as_of=data.as_of,
        finished_at=timezone.now(),
        error="",
    )
    saved.clear()  # the row owns them now
    _delete_files([name for name in old if name not in (pdf_name, xlsx_name, docx_name)])


def _save_docx(report: Report, data, stem: str) -> str:
    """The editable Word copy of the report (docx.py)."""
    with tempfile.TemporaryFile(suffix=".docx") as handle:
        report_docx.write_docx(data, handle)
        handle.seek(0)
        return report.docx.field.storage.save(report.docx.field.generate_filename(report, f"{stem}.docx"), File(handle))


def failure_reason(exc: BaseException) -> str:
    """A reason the office can read, naming what to do."""
    if isinstance(exc, SoftTimeLimitExceeded):
        return _(
            "The build took longer than %(minutes)s minutes and was stopped. Try a shorter period or one "
            "inspection round, or ask the administrator to raise REPORT_SOFT_TIME_LIMIT."
        ) % {"minutes": settings.REPORT_SOFT_TIME_LIMIT // 60}
    if isinstance(exc, OSError):
        return _(
            "The report files could not be written (%(error)s). Ask the administrator to check the disk "
            "space and the permissions of the media folder, then click Retry."
        ) % {"error": exc.strerror or type(exc).__name__}
    if isinstance(exc, DbError):
        return _("The ledger could not be read from the database (%(error)s). Click Retry in a moment.") % {
            "error": type(exc).__name__
        }
    detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return _(
        "The report could not be built: %(error)s. Click Retry; if it fails again, give this message to "
        "the administrator."
    ) % {"error": f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__}


def fail(report_id: int, token: uuid.UUID, reason: str, *, attempts: int = 3) -> None:
    """Record the failure; if the database connection died mid-build (the reason we are
    here, perhaps), drop it and write on a new one, a few times before giving up."""
    for attempt in range(attempts):
        try:
            Report.objects.filter(pk=report_id, claim_token=token).exclude(status=S.DONE).update(
                status=S.FAILED, error=reason, finished_at=timezone.now()
            )
            return
        except DbError:
            logger.warning("report %s: recording the failure failed, reconnecting", report_id, exc_info=True)
            connection.close()
            time.sleep(min(5, 0.5 * 2**attempt))
    logger.error("report %s: the failure could not be recorded; its heartbeat will go stale", report_id)


def _delete_files(names: list[str]) -> None:
    storage = Report._meta.get_field("pdf").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("could not delete report file %s", name)


def expire_stale() -> int:
    """Fail reports whose worker died mid-build too often, with a reason; they can be retried."""
    return Report.objects.filter(
        status__in=Report.RUNNING_STATUSES, heartbeat_at__lt=stale_before(), attempts__gte=MAX_ATTEMPTS
    ).update(
        status=S.FAILED,
        finished_at=timezone.now(),
        error=_("The build was interrupted (the worker stopped in the middle). Click Retry to build it again."),
    )


def rescue_stale(enqueue) -> list[int]:
    """Requeue every queued or running report without a heartbeat for REPORT_STALE_SECONDS
    (its message was lost, or its worker killed), give up on those interrupted MAX_ATTEMPTS
    times, and remove files no report owns. `enqueue(pk)` sends the build task."""
    expire_stale()
    requeued = []
    for report in Report.objects.filter(status__in=Report.ACTIVE_STATUSES, heartbeat_at__lt=stale_before()):
        # Conditional: a worker that claims it meanwhile, or another rescue run, wins.
        if Report.objects.filter(pk=report.pk, status=report.status, heartbeat_at=report.heartbeat_at).update(
            status=S.QUEUED, progress=0, heartbeat_at=timezone.now()
        ):
            requeued.append(report.pk)
    for pk in requeued:
        logger.warning("report %s: no heartbeat for %ss, requeued", pk, stale_after_seconds())
        enqueue(pk)
    remove_orphan_files()
    return requeued


FILE_FIELDS = ("pdf", "xlsx", "docx")


def _report_files() -> list[str]:
    """Every stored name under reports/<month>/, through the storage (a folder or S3)."""
    storage = Report._meta.get_field("pdf").storage
    try:
        months, _files = storage.listdir("reports")
    except FileNotFoundError:
        return []
    return [f"reports/{month}/{name}" for month in months for name in storage.listdir(f"reports/{month}")[1]]


def remove_files_of_earlier_attempts(report: Report) -> None:
    """Files an interrupted attempt of this report left behind (the row does not name them)."""
    owned = {getattr(report, field).name for field in FILE_FIELDS}
    prefix = f"report-{report.pk}-"
    _delete_files([n for n in _report_files() if n.rsplit("/", 1)[-1].startswith(prefix) and n not in owned])


def remove_orphan_files() -> int:
    """Stored report files that no report names and no running build is writing."""
    storage = Report._meta.get_field("pdf").storage
    owned = {name for row in Report.objects.values_list(*FILE_FIELDS) for name in row if name}
    building = {
        f"report-{pk}-{token.hex[:8]}"
        for pk, token in Report.objects.filter(
            status__in=Report.RUNNING_STATUSES, claim_token__isnull=False
        ).values_list("pk", "claim_token")
    }
    old = timezone.now() - dt.timedelta(seconds=stale_after_seconds())
    orphans = [
        name
        for name in _report_files()
        if name not in owned and Path(name).stem not in building and storage.get_modified_time(name) < old
    ]
    _delete_files(orphans)
    return len(orphans)


def _tell_office_if_scheduled(report_id: int) -> None:
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
            notices.deliver(user, title, text, link=link)  # a Notice in the inbox, and an email copy
