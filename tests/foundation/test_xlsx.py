import datetime as dt
from io import BytesIO

from openpyxl import load_workbook

from core.xlsx import Column, add_sheet, new_workbook, workbook_bytes


def build(rows):
    wb = new_workbook()
    columns = [Column("日期", lambda r: r[0], 12), Column("内容", lambda r: r[1], 30, wrap=True)]
    add_sheet(wb, "台账", columns, rows, heading="整改台账")
    return load_workbook(BytesIO(workbook_bytes(wb)))["台账"]


def test_sheet_layout_survives_streaming_mode():
    ws = build([(dt.date(2026, 3, 28), "正文")])
    assert ws["A1"].value == "整改台账" and ws["A2"].value == "日期" and ws["A2"].font.b
    assert ws.freeze_panes == "A3"
    assert ws.print_title_rows == "$2:$2"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["B"].width == 30
    assert ws["A3"].number_format == "yyyy-mm-dd" and ws["A3"].value.date() == dt.date(2026, 3, 28)
    assert ws["B3"].alignment.wrap_text and ws["B3"].border.left.style == "thin"


def test_text_that_would_run_as_a_formula_is_neutralised():
    ws = build([(None, value) for value in ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)", "普通文本"]])
    values = [ws.cell(row=r, column=2).value for r in range(3, 8)]
    assert values[:4] == ['\'=HYPERLINK("http://x")', "'+1", "'-1", "'@SUM(A1)"]
    assert values[4] == "普通文本"
    assert all(ws.cell(row=r, column=2).data_type == "s" for r in range(3, 8))
