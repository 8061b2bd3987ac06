"""Building a report: claimed once, progress through the stages, a readable failure,
a retry that reuses the row, a redelivered task that does nothing twice, a dead worker's
claim taken over, the broker down, and the monthly schedule."""

import datetime as dt
import io

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone
from kombu.exceptions import OperationalError
from pypdf import PdfReader

from campaign.models import Report
from campaign.reports import build, services
from campaign.reports import pdf as report_pdf
from campaign.reports import tasks as report_tasks
from campaign.reports.models import stale_after_seconds
from core.models import Notice

from .support import AS_OF, END, START, MonthLedger

pytestmark = pytest.mark.django_db
S = Report.Status
TINY_PDF = report_pdf.Rendered(pdf=b"%PDF-1.4\n%stub\n", pages=1)


@pytest.fixture
def ledger(org, on_report_day):
    return MonthLedger(org).build()


@pytest.fixture
def renders(monkeypatch):
    """Replace the WeasyPrint render with a stub and count the calls (the real one is tested apart)."""
    calls = []

    def fake(html):
        calls.append(html)
        return TINY_PDF

    monkeypatch.setattr(report_pdf, "render_pdf", fake)
    return calls


@pytest.fixture
def eager(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from config.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


def files_on_disk(settings) -> list:
    folder = settings.MEDIA_ROOT / "reports"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def new_report(**kwargs) -> Report:
    return Report.objects.create(**{"period_start": START, "period_end": END, **kwargs})


def test_a_build_writes_both_files_and_records_them(ledger):
    report = new_report()
    assert build.build(report.pk) is build.Outcome.BUILT
    report.refresh_from_db()
    assert report.status == S.DONE and report.progress == 100 and report.error == ""
    # Built on 1 April, the March report states the ledger as of 31 March.
    assert report.as_of == END and report.measure_count == 10 and report.attempts == 1
    assert report.pdf.name.startswith("reports/2026-03/") and report.xlsx.name.endswith(".xlsx")
    assert report.docx.name.endswith(".docx") and report.docx_size == report.docx.size > 10_000
    assert report.pdf_size == report.pdf.size > 10_000
    assert report.xlsx_size == report.xlsx.size > 1_000
    assert report.pdf_pages == len(PdfReader(io.BytesIO(report.pdf.read())).pages)
    assert report.started_at <= report.finished_at


def test_progress_moves_through_the_stages_in_order(ledger, renders, monkeypatch):
    seen = []
    original = build._set

    def record(report_id, token, **fields):
        original(report_id, token, **fields)
        seen.append((fields["status"], fields["progress"]))

    monkeypatch.setattr(build, "_set", record)
    report = new_report()
    build.build(report.pk)
    statuses = [s for s, _ in seen]
    order = [S.COLLECTING, S.RENDERING_PDF, S.WRITING_EXCEL, S.DONE]
    assert [s for i, s in enumerate(statuses) if i == 0 or statuses[i - 1] != s] == order
    progress = [p for _, p in seen]
    assert progress == sorted(progress) and progress[-1] == 100


def test_a_forced_failure_records_a_readable_reason_and_leaves_no_files(ledger, monkeypatch, settings):
    def broken(html):
        raise RuntimeError("Pango could not load a font")

    monkeypatch.setattr(report_pdf, "render_pdf", broken)
    report = new_report()
    assert build.build(report.pk) is build.Outcome.FAILED
    report.refresh_from_db()
    assert report.status == S.FAILED and report.finished_at
    assert report.error.startswith("报告生成失败：RuntimeError: Pango could not load a font")
    assert "重试" in report.error
    assert not report.pdf and not report.xlsx
    assert not files_on_disk(settings)


def test_a_failure_while_writing_excel_discards_the_pdf(ledger, renders, monkeypatch, settings):
    from campaign.reports import xlsx as report_xlsx

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report_xlsx, "write_ledger", full_disk)
    report = new_report()
    build.build(report.pk)
    report.refresh_from_db()
    assert report.status == S.FAILED
    assert "无法写入报告文件（No space left on device）" in report.error
    assert not files_on_disk(settings)


def test_retry_yields_one_report_not_two(ledger, renders, monkeypatch, eager, django_capture_on_commit_callbacks):
    monkeypatch.setattr(report_pdf, "render_pdf", lambda html: (_ for _ in ()).throw(RuntimeError("boom")))
    report = new_report()
    build.build(report.pk)
    report.refresh_from_db()
    assert report.status == S.FAILED

    monkeypatch.setattr(report_pdf, "render_pdf", lambda html: TINY_PDF)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry_report(report)
    report.refresh_from_db()
    assert report.status == S.DONE and report.error == "" and report.attempts == 1
    assert Report.objects.count() == 1
    # A done report is not retried again.
    assert not services.retry_report(report)


def test_a_redelivered_task_does_nothing_twice(ledger, renders):
    report = new_report()
    assert build.build(report.pk) is build.Outcome.BUILT
    assert build.build(report.pk) is build.Outcome.NOTHING
    assert len(renders) == 1
    report.refresh_from_db()
    assert report.attempts == 1 and Report.objects.count() == 1


def test_only_one_of_two_concurrent_claims_wins(ledger):
    report = new_report()
    first = build.claim(report.pk)
    assert first is not None
    assert build.claim(report.pk) is None
    # While the first worker holds a fresh claim, a duplicate delivery waits instead of building.
    assert build.build(report.pk) is build.Outcome.WAIT
    assert 0 < build.seconds_until_stale(report.pk) <= stale_after_seconds() + 5


def test_a_worker_that_lost_its_claim_cannot_finish(ledger, renders, monkeypatch, settings):
    report = new_report()
    original = build._set

    def taken_over(report_id, token, **fields):
        if fields["status"] == S.DONE:
            Report.objects.filter(pk=report_id).update(claim_token=None)  # another worker took it over
        original(report_id, token, **fields)

    monkeypatch.setattr(build, "_set", taken_over)
    assert build.build(report.pk) is build.Outcome.NOTHING
    report.refresh_from_db()
    assert report.status == S.WRITING_EXCEL and not report.pdf
    assert not files_on_disk(settings)  # its files were discarded, not left behind


def test_a_dead_workers_claim_is_taken_over_then_given_up(ledger, renders):
    stale = timezone.now() - dt.timedelta(seconds=stale_after_seconds() + 10)
    report = new_report(status=S.RENDERING_PDF, claimed_at=stale, heartbeat_at=stale, attempts=1)
    assert report.is_stale and report.can_retry
    assert build.build(report.pk) is build.Outcome.BUILT
    report.refresh_from_db()
    assert report.status == S.DONE and report.attempts == 2

    gave_up = new_report(
        status=S.COLLECTING, claimed_at=stale, heartbeat_at=stale, attempts=build.MAX_ATTEMPTS, period_end=AS_OF
    )
    assert build.build(gave_up.pk) is build.Outcome.FAILED
    gave_up.refresh_from_db()
    assert gave_up.status == S.FAILED and "已中断3次" in gave_up.error


def test_expire_stale_fails_abandoned_builds_with_a_reason(ledger):
    stale = timezone.now() - dt.timedelta(seconds=stale_after_seconds() + 10)
    abandoned = new_report(status=S.COLLECTING, claimed_at=stale, heartbeat_at=stale, attempts=build.MAX_ATTEMPTS)
    running = new_report(status=S.COLLECTING, claimed_at=stale, period_end=AS_OF, attempts=build.MAX_ATTEMPTS)
    assert build.expire_stale() == 1
    abandoned.refresh_from_db()
    running.refresh_from_db()
    assert abandoned.status == S.FAILED and "中断" in abandoned.error
    assert running.status == S.COLLECTING


def test_a_request_while_the_same_report_is_queued_returns_it(
    ledger, org, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(report_tasks.build_report, "delay", lambda pk: sent.append(pk))
    with django_capture_on_commit_callbacks(execute=True):
        first, created = services.request_report(org.users["office"], period_start=START, period_end=END)
        again, created_again = services.request_report(org.users["office"], period_start=START, period_end=END)
    assert created and not created_again and first.pk == again.pk
    assert sent == [first.pk]
    assert first.requested_by == org.users["office"]


def test_the_broker_down_fails_the_report_with_a_reason(ledger, org, django_capture_on_commit_callbacks, monkeypatch):
    def unreachable(pk):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(report_tasks.build_report, "delay", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = services.request_report(org.users["office"], period_start=START, period_end=END)
    report.refresh_from_db()
    assert report.status == S.FAILED and report.can_retry
    assert report.error.startswith("无法连接任务队列（OperationalError）")


def test_the_task_runs_the_build_and_retries_later_on_a_duplicate(ledger, renders, eager, monkeypatch):
    report = new_report()
    report_tasks.build_report.delay(report.pk)
    report.refresh_from_db()
    assert report.status == S.DONE

    busy = new_report()
    build.claim(busy.pk)
    retried = []

    def fake_retry(countdown=None, **kwargs):
        retried.append(countdown)
        raise RuntimeError("retry scheduled")

    monkeypatch.setattr(report_tasks.build_report, "retry", fake_retry)
    with pytest.raises(RuntimeError, match="retry scheduled"):
        report_tasks.build_report.run(busy.pk)
    assert retried and retried[0] > stale_after_seconds() - 30


def test_the_task_is_idempotent_and_limited():
    task = report_tasks.build_report
    assert task.acks_late and task.reject_on_worker_lost
    assert task.soft_time_limit == django_settings.REPORT_SOFT_TIME_LIMIT < task.time_limit
    # A live build beats its heartbeat far more often than it would be called stale.
    assert django_settings.REPORT_HEARTBEAT_SECONDS * 4 <= stale_after_seconds() <= 300
    from django.conf import settings

    assert settings.CELERY_WORKER_MAX_TASKS_PER_CHILD <= 50
    if settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout"):
        assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > task.time_limit


def test_a_time_limit_is_reported_in_words(ledger, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    def slow(html):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(report_pdf, "render_pdf", slow)
    report = new_report()
    build.build(report.pk)
    report.refresh_from_db()
    assert report.status == S.FAILED
    assert report.error.startswith(f"生成时间超过{django_settings.REPORT_SOFT_TIME_LIMIT // 60}分钟，已被中止")


# --- the monthly schedule -----------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 4, 1), (dt.date(2026, 3, 1), dt.date(2026, 3, 31))),  # Wednesday: first working day
        (dt.date(2026, 10, 7), None),  # National Day holiday (1–7 October): not yet
        (dt.date(2026, 10, 8), (dt.date(2026, 9, 1), dt.date(2026, 9, 30))),  # the first working day after it
        (dt.date(2026, 2, 1), None),  # a Sunday
        (dt.date(2026, 2, 2), (dt.date(2026, 1, 1), dt.date(2026, 1, 31))),
    ],
)
def test_the_monthly_report_is_queued_on_the_first_working_day(ledger, day, expected, monkeypatch):
    monkeypatch.setattr(services, "enqueue", lambda pk: True)
    report = services.build_monthly_if_due(day)
    if expected is None:
        assert report is None
    else:
        assert (report.period_start, report.period_end) == expected
        assert report.scheduled and report.requested_by is None


def test_the_monthly_report_is_built_once_and_the_office_notified(
    ledger, org, renders, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_tasks.monthly_report.delay()
    with django_capture_on_commit_callbacks(execute=True):
        report_tasks.monthly_report.delay()  # the next morning's run, or a second beat: nothing new
        services.build_monthly_if_due(dt.date(2026, 4, 2))
    reports = list(Report.objects.filter(scheduled=True))
    assert len(reports) == 1 and reports[0].status == S.DONE
    assert (reports[0].period_start, reports[0].period_end) == (START, END)
    notices = Notice.objects.filter(recipient=org.users["office"])
    assert [n.title for n in notices] == ["2026年3月月度报告已生成"]
    assert notices[0].link == "/reports/"
    assert not Notice.objects.filter(recipient=org.users["staff"]).exists()


def test_no_monthly_report_without_any_measure(db, on_report_day, monkeypatch):
    monkeypatch.setattr(services, "enqueue", lambda pk: True)
    assert services.build_monthly_if_due() is None


def test_the_build_report_command_prints_all_three_paths(ledger, renders, capsys):
    call_command("build_report", "--month", "2026-03")
    out = capsys.readouterr().out.split()
    assert len(out) == 3 and out[0].endswith(".pdf") and out[1].endswith(".xlsx") and out[2].endswith(".docx")
    report = Report.objects.get()
    assert report.status == S.DONE and out == [report.pdf.path, report.xlsx.path, report.docx.path]


def test_the_build_report_command_refuses_a_bad_month(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2026-03"):
        call_command("build_report", "--month", "2026-3x")
    assert not Report.objects.exists()
