"""Report jobs (the monthly report feature).

A Report is a row, not an AsyncResult: it carries the parameters (period, optional
round), the status and progress a page polls, the error, and both files. A Celery task
takes its primary key and claims it with a conditional UPDATE (claim_token), so a
redelivered task does nothing twice and a retry reuses the same row.

Liveness is a heartbeat (heartbeat_at): set when the row is queued, by every stage of the
build and every REPORT_HEARTBEAT_SECONDS by a thread while it renders. A queued or running
report whose heartbeat is older than REPORT_STALE_SECONDS lost its message or its worker:
it is requeued by the rescue task (reports.build.rescue_stale) or offered for retry. At
most one report per period (and round and kind) is queued or running: a constraint.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectification.models import InspectionRound

__all__ = ["Report", "ReportNarrative"]


def report_file_path(instance, filename):
    # Stored names are ASCII and unique per build; the Chinese download name is given by
    # the download view (Content-Disposition), never derived from the path.
    return f"reports/{instance.period_start:%Y-%m}/{filename}"


class Report(models.Model):
    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("monthly")
        CUSTOM = "custom", _("custom period")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        COLLECTING = "collecting", _("collecting data")
        RENDERING_PDF = "rendering_pdf", _("rendering PDF")
        WRITING_EXCEL = "writing_excel", _("writing Excel")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    RUNNING_STATUSES = (Status.COLLECTING, Status.RENDERING_PDF, Status.WRITING_EXCEL)
    ACTIVE_STATUSES = (Status.QUEUED, *RUNNING_STATUSES)
    FINISHED_STATUSES = (Status.DONE, Status.FAILED)

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MONTHLY)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    round = models.ForeignKey(
        InspectionRound,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inspection round"),
    )
    # Built by the monthly beat task (at most one such report per period).
    scheduled = models.BooleanField(_("scheduled"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("build progress"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The date printed on the report (成文日期) and the day its figures are taken.
    as_of = models.DateField(_("figures as of"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=report_file_path, max_length=300, blank=True)
    xlsx = models.FileField(_("Excel"), upload_to=report_file_path, max_length=300, blank=True)
    # The same document as the PDF in Word, for the office to edit before sending it up.
    docx = models.FileField(_("Word"), upload_to=report_file_path, max_length=300, blank=True)
    pdf_size = models.PositiveBigIntegerField(_("PDF size"), null=True, blank=True)
    xlsx_size = models.PositiveBigIntegerField(_("Excel size"), null=True, blank=True)
    docx_size = models.PositiveBigIntegerField(_("Word size"), null=True, blank=True)
    pdf_pages = models.PositiveIntegerField(_("PDF pages"), null=True, blank=True)
    measure_count = models.PositiveIntegerField(_("measures"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False, default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period_start", "period_end"],
                condition=Q(scheduled=True),
                name="report_one_scheduled_per_period",
            ),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="report_period_order"),
            # Ten parallel requests for one period build one report, not three.
            models.UniqueConstraint(
                "period_start",
                "period_end",
                "kind",
                Coalesce("round", Value(0)),
                condition=Q(status__in=["queued", "collecting", "rendering_pdf", "writing_excel"]),
                name="report_one_active_per_period",
            ),
        ]
        indexes = [models.Index(fields=["status", "claimed_at"]), models.Index(fields=["status", "heartbeat_at"])]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self):
        return f"{self.period_label} {self.get_status_display()}"

    @property
    def period_label(self) -> str:
        """2026年3月 for a monthly report, 2026年3月1日—2026年3月15日 for a custom one."""
        if self.kind == self.Kind.MONTHLY:
            return f"{self.period_start.year}年{self.period_start.month}月"
        return f"{_date_zh(self.period_start)}—{_date_zh(self.period_end)}"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED_STATUSES

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING_STATUSES

    @property
    def is_stale(self) -> bool:
        """Queued or running, but no heartbeat for REPORT_STALE_SECONDS: its message was lost
        or its worker died."""
        return (
            self.status in self.ACTIVE_STATUSES and self.heartbeat_at is not None and self.heartbeat_at < stale_before()
        )

    @property
    def can_retry(self) -> bool:
        return self.status == self.Status.FAILED or self.is_stale

    def download_name(self, ext: str) -> str:
        base = _("Rectification progress report") if ext in ("pdf", "docx") else _("Rectification ledger")
        suffix = f"（{self.round.title}）" if self.round_id else ""
        return f"{base}{suffix}（{self.period_label}）.{ext}"

    STAGES = (Status.QUEUED, Status.COLLECTING, Status.RENDERING_PDF, Status.WRITING_EXCEL, Status.DONE)

    def stage_steps(self) -> list[dict]:
        """queued → collecting data → rendering PDF → writing Excel → done, with the current one."""
        current = self.STAGES.index(self.status) if self.status in self.STAGES else -1
        return [
            {"label": stage.label, "state": "passed" if i < current else "current" if i == current else "todo"}
            for i, stage in enumerate(self.STAGES)
        ]

    @property
    def duration(self) -> dt.timedelta | None:
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None

    def age(self) -> dt.timedelta:
        return timezone.now() - self.created_at


class ReportNarrative(models.Model):
    """The parts of a month's report the office writes (主要做法和成效, 存在的问题,
    下一步工作打算), kept per month; a new month starts from the previous month's text."""

    month = models.DateField(_("month"), unique=True)  # its first day
    practices = models.TextField(_("main practices and results"), blank=True)
    problems = models.TextField(_("problems that remain"), blank=True)
    plans = models.TextField(_("plans for the next stage"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("report text")
        verbose_name_plural = _("report texts")

    def __str__(self):
        return f"{self.month:%Y-%m}"

    @property
    def month_label(self) -> str:
        return f"{self.month.year}年{self.month.month}月"

    def parts(self) -> dict[str, str]:
        return {"practices": self.practices, "problems": self.problems, "plans": self.plans}


def _date_zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def stale_after_seconds() -> int:
    """A queued or running report without a heartbeat for this long lost its message or its worker."""
    return settings.REPORT_STALE_SECONDS


def stale_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=stale_after_seconds())
