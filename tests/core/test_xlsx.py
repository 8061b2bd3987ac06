"""core.xlsx writes the data rows' XML itself: the cells must read back as openpyxl's did."""

import datetime as dt
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from openpyxl.cell import WriteOnlyCell

from core.xlsx import Column, add_sheet, new_workbook, workbook_bytes

COLUMNS = [Column("值", lambda r: r[0], 12), Column("说明", lambda r: r[1], 30, wrap=True)]


def read_back(rows, after=None):
    wb = new_workbook()
    ws = add_sheet(wb, "表", COLUMNS, rows, heading="标题")
    if after:
        ws.append([WriteOnlyCell(ws, value=v) for v in after])
    return load_workbook(BytesIO(workbook_bytes(wb)))["表"]


def test_values_keep_their_types():
    shanghai = ZoneInfo("Asia/Shanghai")
    values = [
        "文本",
        42,
        2.5,
        Decimal("3.25"),
        True,
        dt.date(2026, 3, 28),
        dt.datetime(2026, 3, 28, 9, 30, tzinfo=shanghai),
        None,
        "",
    ]
    ws = read_back([(v, "x") for v in values])
    got = [ws.cell(row=r, column=1).value for r in range(3, 3 + len(values))]
    assert got[:5] == ["文本", 42, 2.5, 3.25, True]
    assert got[5] == dt.datetime(2026, 3, 28)
    assert got[6] == dt.datetime(2026, 3, 28, 9, 30)  # the bureau's wall clock (TIME_ZONE)
    assert got[7:] == [None, None]


def test_styles_match_the_kind_of_cell():
    ws = read_back([(dt.date(2026, 1, 5), "第一行\n第二行"), (7, "正文")])
    date, wrapped, number = ws["A3"], ws["B3"], ws["A4"]
    assert date.number_format == "yyyy-mm-dd" and date.alignment.vertical == "top"
    assert wrapped.alignment.wrap_text and not number.alignment.wrap_text
    assert all(c.border.left.style == "thin" and c.border.bottom.style == "thin" for c in (date, wrapped, number))
    assert ws["B4"].border.right.style == "thin"  # an empty-looking row is still boxed
    assert ws["A2"].font.b and not ws["A3"].font.b


def test_text_is_made_safe():
    ws = read_back([("=SUM(A1)", "  前后空格  "), ("控制\x07字符\x1b", "x" * 40000)])
    assert ws["A3"].value == "'=SUM(A1)" and ws["A3"].data_type == "s"
    assert ws["B3"].value == "  前后空格  "
    assert ws["A4"].value == "控制字符"  # openpyxl would refuse the whole file
    assert len(ws["B4"].value) == 32767


def test_the_caller_may_append_its_own_cells_after():
    ws = read_back([(1, "a")], after=["合计", 1])
    assert [c.value for c in ws[4]] == ["合计", 1]


def test_rows_can_be_a_generator():
    ws = read_back((i, f"第{i}行") for i in range(500))
    assert ws.max_row == 502 and ws["A502"].value == 499 and ws["B502"].value == "第499行"
