"""The report's figures are the ledger's: every number equals the ledger filter's count
for the same parameters, in a fixture month."""

import datetime as dt

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from campaign.reports import data as report_data
from rectification.filters import MeasureFilter
from rectification.models import InspectionRound, Measure

from .support import AS_OF, END, MONTH, START, MonthLedger

pytestmark = pytest.mark.django_db


def ledger_count(params: dict) -> int:
    """What the ledger page lists for these query parameters (the office sees everything)."""
    query = QueryDict(mutable=True)
    for key, value in params.items():
        if isinstance(value, list):
            query.setlist(key, [str(v) for v in value])
        else:
            query[key] = str(value)
    return MeasureFilter(query, queryset=Measure.objects.all()).qs.count()


@pytest.fixture
def month(org, on_report_day):
    measures = MonthLedger(org).build()
    data = report_data.collect(START, END)
    return data, measures


def test_every_figure_equals_the_ledger_for_the_same_filter(month):
    data, _ = month
    for counts in [data.total, *data.by_source, *data.by_department]:
        for figure, params in counts.figure_params().items():
            assert getattr(counts, figure) == ledger_count(params), (counts.label, figure, params)


def test_the_headline_figures_of_the_fixture_month(month):
    data, _ = month
    t = data.total
    assert (t.problems, t.measures) == (7, 10)
    assert (t.closed, t.stage_complete, t.underway, t.submitted, t.not_started) == (3, 1, 4, 2, 2)
    # Overdue on 1 April: deadlines 15 March and 1 February, not finished (the 31 March ones are done or...).
    assert t.overdue == 3  # 15 Mar (in progress), 1 Feb (not started), 31 Mar (leader approved, not yet closed)
    assert t.rate_text == "40.0%"
    assert t.problems_done == 2  # p1 (both measures closed) and p5 (audit, closed)
    assert data.as_of == AS_OF


def test_sources_and_departments_add_up_to_the_total(month):
    data, _ = month
    assert [c.label for c in data.by_source] == ["市委巡察", "审计"]
    assert sum(c.measures for c in data.by_source) == data.total.measures
    assert sum(c.measures for c in data.by_department) == data.total.measures
    assert sum(c.problems for c in data.by_source) == data.total.problems
    municipal = data.by_source[0]
    assert (municipal.measures, municipal.closed, municipal.overdue) == (7, 2, 2)


def test_closed_this_month_is_the_ledgers_closed_month(month):
    data, m = month
    assert data.closed_in_period_count == ledger_count({"closed_month": MONTH}) == 2
    assert [x.pk for x in data.closed_in_period] == [m["closed_march"].pk, m["audit_closed"].pk]
    assert data.stage_complete_in_period_count == 1


def test_overdue_list_names_leader_department_and_days(month, org):
    data, m = month
    assert data.overdue_count == ledger_count({"flag": "overdue"})
    first = data.overdue[0]
    assert first.measure.pk == m["overdue_long"].pk
    assert first.days == (AS_OF - dt.date(2026, 2, 1)).days == 59
    assert first.measure.responsible_leader.name == "张志强"
    assert first.measure.lead_department == org.dept_b


def test_progress_of_the_month_is_the_latest_entry_per_measure_shortened(month):
    data, m = month
    assert data.progress_measure_count == ledger_count({"progress_month": MONTH}) == 3
    assert data.progress_entry_count == 4  # the April and February entries are not counted
    lines = {line.measure.pk: line for line in data.progress_lines}
    latest = lines[m["overdue"].pk]
    assert latest.date == dt.date(2026, 3, 25) and latest.entries == 2
    assert latest.text.startswith("制度修订稿已提交局党组会审议")
    assert len(latest.text) <= report_data.PROGRESS_TEXT_LIMIT + 2 and latest.text.endswith("……")
    assert lines[m["audit_progress"].pk].text == "已建立专项资金拨付台账，逐笔核对。"


def test_a_round_limits_every_figure_to_that_round(org, on_report_day):
    ledger = MonthLedger(org)
    ledger.build()
    audit = ledger.rounds[InspectionRound.Source.AUDIT]
    data = report_data.collect(START, END, round=audit)
    assert data.total.measures == ledger_count({"round": audit.pk}) == 3
    assert data.total.problems == 3
    assert [c.label for c in data.by_source] == ["审计"]
    for counts in [data.total, *data.by_department]:
        for figure, params in counts.figure_params().items():
            assert getattr(counts, figure) == ledger_count(params)


def test_the_trend_runs_from_the_campaign_start_and_ends_at_the_headline(month, org):
    _, _ = month
    data = report_data.collect(START, END, campaign_start=dt.date(2026, 1, 5))
    assert [p.label for p in data.trend] == ["1月", "2月", "3月"]
    jan, feb, mar = data.trend
    assert jan.measures == 7  # the municipal round came on 10 January; the audit one on 20 February
    assert feb.measures == 10 and feb.done == 1
    assert mar.day == END
    assert (mar.measures, mar.done) == (10, 4)


def test_an_empty_ledger_gives_zeros_and_no_rate(db, on_report_day):
    data = report_data.collect(START, END)
    assert data.total.measures == 0 and data.total.rate is None and data.total.rate_text == "—"
    assert data.by_source == [] and data.overdue == [] and data.progress_lines == []


def test_shorten_cuts_at_a_sentence_end():
    assert report_data.shorten("短句。") == "短句。"
    long = "第一句话说明情况。" * 3 + "第二部分很长" * 20
    cut = report_data.shorten(long, 40)
    assert cut.endswith("。") and len(cut) <= 40
    assert report_data.shorten("字" * 100, 20) == "字" * 19 + "……"


def test_queries_do_not_grow_with_the_ledger(org, on_report_day):
    MonthLedger(org).build()
    with CaptureQueriesContext(connection) as small:
        report_data.collect(START, END)
    big = MonthLedger(org)
    for _ in range(9):
        big.build()
    with CaptureQueriesContext(connection) as large:
        data = report_data.collect(START, END)
    assert data.total.measures == 100
    assert len(large.captured_queries) == len(small.captured_queries)
