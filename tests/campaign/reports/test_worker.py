"""A report built through a real Celery worker on Redis (CI always runs it): requested as
the page does, the row moves to done with both files; a duplicate delivery builds nothing."""

import pytest
from celery.signals import task_postrun

from campaign.models import Report
from campaign.reports import services
from campaign.reports.tasks import build_report
from tests.celery_support import wait_for

from .support import END, START, MonthLedger


@pytest.mark.celery
def test_a_report_through_a_real_worker(celery_live_worker, org, on_report_day):
    outcomes = []

    def record(sender=None, retval=None, **kwargs):
        if getattr(sender, "name", "") == build_report.name:
            outcomes.append(retval)

    task_postrun.connect(record, weak=False)
    try:
        _build_twice(org, outcomes)
    finally:
        task_postrun.disconnect(record)


def _build_twice(org, outcomes):
    MonthLedger(org).build()
    report, created = services.request_report(org.users["office"], period_start=START, period_end=END)
    assert created

    def finished():
        row = Report.objects.get(pk=report.pk)
        return row if row.is_finished else None

    row = wait_for(finished, timeout=90)
    assert row is not None, Report.objects.values("status", "progress", "error").get(pk=report.pk)
    assert row.status == Report.Status.DONE, row.error
    assert row.pdf_size > 10_000 and row.xlsx_size > 1_000 and row.attempts == 1

    # The same message delivered again (a redelivery after a lost ack) does nothing.
    assert wait_for(lambda: outcomes == ["built"], timeout=10)
    build_report.delay(report.pk)
    assert wait_for(lambda: len(outcomes) == 2, timeout=30), outcomes
    assert outcomes == ["built", "nothing"]
    row.refresh_from_db()
    assert row.attempts == 1 and row.status == Report.Status.DONE
    assert Report.objects.count() == 1
