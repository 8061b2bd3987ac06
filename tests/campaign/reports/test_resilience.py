"""Reports that survive lost messages, killed workers and dead database connections:
a heartbeat, a rescue that requeues within minutes, one active report per period as a
database constraint, a failure recorded on a fresh connection, no orphan files."""

import datetime as dt
import os
import time

import pytest
from django.db import IntegrityError, InterfaceError, connection, transaction
from django.db.models.query import QuerySet
from django.utils import timezone

from campaign.models import Report
from campaign.reports import build, services
from campaign.reports import pdf as report_pdf
from campaign.reports.models import stale_after_seconds

from .support import END, START, MonthLedger
from .test_services import TINY_PDF, files_on_disk

S = Report.Status


def long_ago():
    return timezone.now() - dt.timedelta(seconds=stale_after_seconds() + 5)


@pytest.fixture
def ledger(org, on_report_day):
    return MonthLedger(org).build()


@pytest.fixture
def renders(monkeypatch):
    monkeypatch.setattr(report_pdf, "render_pdf", lambda html: TINY_PDF)


@pytest.fixture
def sent(monkeypatch):
    calls = []
    monkeypatch.setattr(services, "enqueue", lambda pk: calls.append(pk) or True)
    return calls


@pytest.mark.django_db
def test_a_queued_report_whose_message_was_lost_is_requeued_or_offered_for_retry(ledger, sent):
    report = Report.objects.create(period_start=START, period_end=END, heartbeat_at=long_ago())
    assert report.is_stale and report.can_retry  # the page offers 重试
    assert services.rescue_stale_reports() == [report.pk]
    assert sent == [report.pk]
    report.refresh_from_db()
    assert report.status == S.QUEUED and not report.is_stale
    # A rescue a moment later does not send it twice.
    assert services.rescue_stale_reports() == []


@pytest.mark.django_db
def test_a_request_for_a_period_whose_build_was_lost_requeues_that_report(
    ledger, org, sent, django_capture_on_commit_callbacks
):
    lost = Report.objects.create(period_start=START, period_end=END, heartbeat_at=long_ago())
    with django_capture_on_commit_callbacks(execute=True):
        report, created = services.request_report(org.users["office"], period_start=START, period_end=END)
    assert report.pk == lost.pk and not created and sent == [lost.pk]
    assert services.retry_report(lost) is False  # fresh again: nothing to retry


@pytest.mark.django_db
def test_a_killed_build_is_taken_over_after_its_heartbeat_stops(ledger, renders, sent):
    report = Report.objects.create(
        period_start=START,
        period_end=END,
        status=S.WRITING_EXCEL,
        progress=75,
        attempts=1,
        claimed_at=long_ago(),
        heartbeat_at=long_ago(),
    )
    assert services.rescue_stale_reports() == [report.pk]
    assert build.build(report.pk) is build.Outcome.BUILT
    report.refresh_from_db()
    assert report.status == S.DONE and report.attempts == 2


@pytest.mark.django_db
def test_one_active_report_per_period_is_a_database_constraint(ledger):
    Report.objects.create(period_start=START, period_end=END)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(period_start=START, period_end=END, status=S.COLLECTING)
    # Finished ones, other rounds or kinds are not limited.
    Report.objects.create(period_start=START, period_end=END, status=S.DONE)
    Report.objects.create(period_start=START, period_end=END, kind=Report.Kind.CUSTOM)


@pytest.mark.django_db
def test_parallel_requests_that_race_past_the_first_look_get_one_report(ledger, org, sent, monkeypatch):
    first, created = services.request_report(org.users["office"], period_start=START, period_end=END)
    original_filter = QuerySet.filter
    blind = {"n": 1}

    def racing_filter(self, *args, **kwargs):
        # The second request does not see the first row on its first look (it was not yet committed).
        if self.model is Report and "status__in" in kwargs and blind["n"]:
            blind["n"] -= 1
            return self.none()
        return original_filter(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "filter", racing_filter)
    again, created_again = services.request_report(org.users["office"], period_start=START, period_end=END)
    assert created and not created_again and again.pk == first.pk
    assert Report.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_beats_while_a_long_render_runs(ledger, settings, monkeypatch):
    settings.REPORT_HEARTBEAT_SECONDS = 0.2
    beats = []

    def slow_render(html):
        start = Report.objects.get().heartbeat_at
        time.sleep(1.0)
        beats.append((start, Report.objects.get().heartbeat_at))
        return TINY_PDF

    monkeypatch.setattr(report_pdf, "render_pdf", slow_render)
    report = Report.objects.create(period_start=START, period_end=END)
    assert build.build(report.pk) is build.Outcome.BUILT
    start, later = beats[0]
    assert later > start  # written by the heartbeat thread while the render held the worker


@pytest.mark.django_db
def test_a_failure_is_recorded_even_when_the_database_connection_died(ledger, monkeypatch):
    report = Report.objects.create(period_start=START, period_end=END)
    token = build.claim(report.pk)
    original_update = QuerySet.update
    dead = {"n": 1}

    def update(self, **kwargs):
        if self.model is Report and kwargs.get("status") == S.FAILED and dead["n"]:
            dead["n"] -= 1
            raise InterfaceError("connection already closed")
        return original_update(self, **kwargs)

    closed = []
    monkeypatch.setattr(QuerySet, "update", update)
    monkeypatch.setattr(connection, "close", lambda: closed.append(1))
    monkeypatch.setattr(build.time, "sleep", lambda s: None)
    build.fail(report.pk, token, "数据库连接中断")
    report.refresh_from_db()
    assert report.status == S.FAILED and report.error == "数据库连接中断" and closed


@pytest.mark.django_db
def test_files_of_a_killed_attempt_are_removed(ledger, renders, settings):
    report = Report.objects.create(period_start=START, period_end=END)
    folder = settings.MEDIA_ROOT / "reports" / "2026-03"
    folder.mkdir(parents=True)
    left = folder / f"report-{report.pk}-deadbeef.pdf"  # what a SIGKILLed attempt left
    left.write_bytes(b"%PDF-1.4 half")
    stray = folder / "report-999-cafebabe.xlsx"  # a report row deleted since
    stray.write_bytes(b"PK")
    old = time.time() - stale_after_seconds() - 10
    os.utime(stray, (old, old))
    assert build.build(report.pk) is build.Outcome.BUILT
    assert not left.exists()
    assert build.remove_orphan_files() == 1 and not stray.exists()
    report.refresh_from_db()
    assert sorted(p.name for p in files_on_disk(settings)) == sorted(
        [getattr(report, field).name.rsplit("/", 1)[1] for field in ("pdf", "xlsx", "docx")]
    )
