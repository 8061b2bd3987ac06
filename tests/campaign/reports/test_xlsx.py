"""The report's Excel ledger reopens with the expected sheets, columns and rows, in the
ledger's own column definitions, set up for printing, and safe from formula injection."""

import io

import openpyxl
import pytest
from django.utils import translation

from campaign.reports import data as report_data
from campaign.reports import xlsx as report_xlsx
from rectification.tables import ledger_columns

from .support import END, START, MonthLedger

pytestmark = pytest.mark.django_db


@pytest.fixture
def workbook(org, on_report_day):
    measures = MonthLedger(org).build()
    data = report_data.collect(START, END)
    buffer = io.BytesIO()
    written = report_xlsx.write_ledger(data, buffer)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer), written, measures


def test_sheets_summary_departments_and_one_per_source(workbook):
    wb, written, _ = workbook
    assert wb.sheetnames == ["汇总", "按科室", "延期情况", "市委巡察", "审计", "党建工作", "干部工作"]
    assert written["市委巡察"] == 7 and written["审计"] == 3


def test_summary_sheet_has_the_headline_figures(workbook):
    wb, _, _ = workbook
    rows = list(wb["汇总"].iter_rows(values_only=True))
    assert rows[0][0].startswith("关于“能力作风建设年”活动整改工作进展情况的报告（2026年3月）")
    assert "数据截至2026年4月1日" in rows[0][0]
    assert rows[1] == (
        "问题来源",
        "问题数",
        "措施数",
        "已销号",
        "阶段性完成",
        "整改中",
        "其中申请销号",
        "未启动",
        "逾期",
        "完成率",
    )
    assert rows[2] == ("市委巡察", 4, 7, 2, 1, 2, 1, 2, 2, "42.9%")
    assert rows[-1] == ("合计", 7, 10, 3, 1, 4, 2, 2, 3, "40.0%")
    departments = list(wb["按科室"].iter_rows(values_only=True))
    assert [r[0] for r in departments[2:]] == ["行政审批科", "执法监督科", "合计"]


def test_source_sheets_use_the_ledger_columns_with_every_measure(workbook):
    wb, _, measures = workbook
    with translation.override("zh-hans"):
        headers = tuple(c.header for c in ledger_columns())
    ws = wb["审计"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "整改台账：审计（2026年3月）"
    assert rows[1] == headers
    assert headers[:3] == ("序号", "问题来源", "问题类别") and headers[-1] == "备注"
    assert len(rows) == 2 + 3
    descriptions = {r[5] for r in rows[2:]}
    assert measures["audit_closed"].description in descriptions
    municipal = list(wb["市委巡察"].iter_rows(values_only=True))
    assert len(municipal) == 2 + 7


def test_formulas_are_neutralised(workbook):
    wb, _, _ = workbook
    cells = [r[5] for r in wb["审计"].iter_rows(min_row=3, values_only=True)]
    dangerous = [c for c in cells if "HYPERLINK" in c]
    assert dangerous == ['\'=HYPERLINK("http://evil.example")建立专项资金拨付台账']
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)


def test_print_setup_frozen_header_widths_and_wrap(workbook):
    wb, _, _ = workbook
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A3"
        assert ws.print_title_rows == "$2:$2"
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws["A2"].font.bold and ws["A2"].fill.fgColor.rgb.endswith("DDE4EE")
    ws = wb["审计"]
    assert ws.column_dimensions["D"].width == 36  # 问题描述
    assert ws["D3"].alignment.wrap_text
    assert ws["L3"].is_date  # 整改时限 is a date cell


def test_source_sheets_are_streamed_row_by_row(org, on_report_day, monkeypatch):
    """write_ledger hands rows to the write-only sheet one by one (it never builds a list)."""
    MonthLedger(org).build()
    data = report_data.collect(START, END)
    seen = []
    import core.xlsx

    original = core.xlsx.add_sheet

    def spy(wb, title, columns, rows, heading=None):
        seen.append(type(rows).__name__)
        return original(wb, title, columns, rows, heading=heading)

    monkeypatch.setattr(report_xlsx, "add_sheet", spy)
    report_xlsx.write_ledger(data, io.BytesIO())
    assert seen[3:] == ["generator", "generator"]


def _ledger_count(**params) -> int:
    from .test_data import ledger_count

    return ledger_count(params)


def _problems_of(**params) -> int:
    """Distinct problems of the measures the ledger lists for `params`."""
    from django.http import QueryDict

    from rectification.filters import MeasureFilter
    from rectification.models import Measure

    query = QueryDict(mutable=True)
    for key, value in params.items():
        query[key] = str(value)
    return MeasureFilter(query, queryset=Measure.objects.all()).qs.values("problem").distinct().count()


def test_every_sheets_figures_equal_the_ledger(workbook, org):
    """Each count row of 汇总 and 按科室 equals what the ledger lists for the same slice (the
    问题数 of 按科室 was 0 for every department); each source sheet lists every measure."""
    wb, _, _ = workbook
    from rectification.models import InspectionRound

    sources = {str(label): value for value, label in InspectionRound.Source.choices}
    for row in list(wb["汇总"].iter_rows(min_row=3, values_only=True))[:-1]:
        source = sources[row[0]]
        assert row[1] == _problems_of(source=source), row
        assert row[2] == _ledger_count(source=source), row
        assert row[3] == _ledger_count(source=source, status="closed"), row
        assert row[8] == _ledger_count(source=source, flag="overdue"), row
    departments = {org.dept_a.name: org.dept_a.pk, org.dept_b.name: org.dept_b.pk}
    rows = list(wb["按科室"].iter_rows(min_row=3, values_only=True))
    for row in rows[:-1]:
        dept = departments[row[0]]
        assert row[1] == _problems_of(lead_department=dept) > 0, row
        assert row[2] == _ledger_count(lead_department=dept), row
        assert row[3] == _ledger_count(lead_department=dept, status="closed"), row
        assert row[7] == _ledger_count(lead_department=dept, status="not_started"), row
        assert row[8] == _ledger_count(lead_department=dept, flag="overdue"), row
    assert rows[-1][:3] == ("合计", 7, 10)
    for title, source in (("市委巡察", "municipal"), ("审计", "audit")):
        assert wb[title].max_row - 2 == _ledger_count(source=source)
