"""A past month's report states the ledger as of that month's last day (issue 12 item 3): a
November report built in December says 截至2026年11月30日 and counts what was true then,
from the history, not what is true on the day it is built."""

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone
from docx import Document

from campaign.reports import build
from campaign.reports import data as report_data
from campaign.reports.models import Report
from core import dates
from rectification import extensions, services, workflow
from rectification.models import Measure
from tests.rectification.ledger_support import Ledger

pytestmark = pytest.mark.django_db
NOV_1, NOV_30 = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
BUILT_ON = dt.date(2026, 12, 1)


def at(monkeypatch, day: dt.date, hour=10):
    """Let what follows happen on `day` (the history records and the ledger's today)."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    monkeypatch.setattr(dates, "today", lambda: day)


@pytest.fixture
def november(org, monkeypatch):
    """Two measures set in November, one closed and one extended in December, one added in December."""
    ledger = Ledger(org)
    at(monkeypatch, dt.date(2026, 11, 5))
    closed_later = ledger.measure(deadline=dt.date(2026, 11, 20), description="十二月才销号的措施")
    extended_later = ledger.measure(deadline=dt.date(2026, 11, 25), description="十二月才延期的措施")
    at(monkeypatch, dt.date(2026, 12, 1), hour=9)
    for step in (workflow.Action.SUBMIT, workflow.Action.LEADER_APPROVE, workflow.Action.OFFICE_CONFIRM):
        workflow.record_step(Measure.objects.get(pk=closed_later.pk), org.users["office"], step)
    extensions.direct(extended_later.pk, org.users["office"], dt.date(2027, 1, 31), "市里统一部署调整")
    ledger.measure(deadline=dt.date(2026, 12, 31), description="十二月新增的措施")
    at(monkeypatch, BUILT_ON, hour=11)
    return closed_later, extended_later


def test_the_figures_are_those_of_the_last_day_of_the_month(november):
    closed_later, extended_later = november
    data = report_data.collect(NOV_1, NOV_30, as_of=NOV_30)
    assert data.as_of == NOV_30 and data.historical
    t = data.total
    assert (t.measures, t.closed, t.underway, t.overdue) == (2, 0, 2, 2)
    overdue = {line.measure.pk: line for line in data.overdue}
    # Overdue by the deadline it had then, extended only in December.
    assert overdue[extended_later.pk].measure.deadline == dt.date(2026, 11, 25)
    assert overdue[extended_later.pk].days == 5
    assert data.extensions == [] and data.issued_on == BUILT_ON
    # Built for today, the same ledger reads differently.
    now = report_data.collect(dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert (now.total.measures, now.total.closed, now.total.overdue, now.extension_count) == (3, 1, 0, 1)


def test_the_built_report_says_as_of_the_30th_in_every_file(november, org, tmp_path):
    report = Report.objects.create(period_start=NOV_1, period_end=NOV_30)
    assert build.build(report.pk) is build.Outcome.BUILT
    report.refresh_from_db()
    assert report.as_of == NOV_30 and report.measure_count == 2
    wb = openpyxl.load_workbook(io.BytesIO(report.xlsx.read()))
    assert "数据截至2026年11月30日" in wb["汇总"]["A1"].value
    rows = {r[5]: r for r in wb["市委巡察"].iter_rows(min_row=3, values_only=True)}
    assert set(rows) == {"十二月才销号的措施", "十二月才延期的措施"}
    assert rows["十二月才销号的措施"][14].startswith("整改中")  # 完成情况 as it stood then
    assert "逾期10天" in rows["十二月才销号的措施"][14].replace(" ", "")
    text = "\n".join(p.text for p in Document(io.BytesIO(report.docx.read())).paragraphs)
    assert "截至2026年11月30日" in text and "2026年12月1日" in text  # figures then, issued today


def test_services_move_the_deadline_only_with_history(org, monkeypatch):
    """The extension's history record is what a later report reads."""
    at(monkeypatch, dt.date(2026, 11, 5))
    m = Ledger(org).measure(deadline=dt.date(2026, 11, 10))
    at(monkeypatch, dt.date(2026, 11, 20))
    services.change_deadline(m.pk, org.users["office"], dt.date(2026, 12, 20), "需要配合")
    at(monkeypatch, BUILT_ON)
    data = report_data.collect(NOV_1, NOV_30, as_of=dt.date(2026, 11, 15))
    assert data.total.overdue == 1
    assert report_data.collect(NOV_1, NOV_30, as_of=NOV_30).total.overdue == 0
