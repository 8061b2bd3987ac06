"""The blank feedback list (问题清单导入模板): the columns, a drop-down for 时限类别 and a
sheet of instructions naming the departments and leaders to write."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from cadres.models import Cadre, Department

from .columns import HEADERS, KEYS, REQUIRED

WIDTHS = {
    "number": 6,
    "category": 12,
    "problem": 40,
    "goal": 24,
    "measure": 40,
    "leader": 10,
    "lead": 14,
    "partners": 16,
    "person": 10,
    "term": 11,
    "deadline": 13,
    "note": 16,
}


def template_bytes() -> bytes:
    """The blank 问题清单 with the columns, a drop-down for 时限类别, and instructions."""
    wb = Workbook()
    _list_sheet(wb.active)
    _help_sheet(wb.create_sheet("填写说明"))
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _list_sheet(ws):
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.title = "问题清单"
    ws.append(["问题清单（导入模板）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(KEYS))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([HEADERS[k] for k in KEYS])
    for index, key in enumerate(KEYS, start=1):
        cell = ws.cell(row=2, column=index)
        cell.font = Font(bold=True, color="C00000" if key in REQUIRED else "000000")
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        ws.column_dimensions[get_column_letter(index)].width = WIDTHS[key]
    ws.freeze_panes = "A3"
    term_col = get_column_letter(KEYS.index("term") + 1)
    date_col = get_column_letter(KEYS.index("deadline") + 1)
    terms = DataValidation(type="list", formula1='"立行立改,限期整改,长期坚持"', allow_blank=True)
    terms.error = "请选择：立行立改、限期整改或长期坚持"
    ws.add_data_validation(terms)
    terms.add(f"{term_col}3:{term_col}2000")
    for row in range(3, 203):
        ws[f"{date_col}{row}"].number_format = "yyyy-mm-dd"
        for index in range(1, len(KEYS) + 1):
            ws.cell(row=row, column=index).alignment = Alignment(vertical="top", wrap_text=True)


def _help_sheet(help_ws):
    help_ws.column_dimensions["A"].width = 16
    help_ws.column_dimensions["B"].width = 90
    lines = [
        ("填写说明", ""),
        ("必填列", "问题描述、整改措施、责任领导、牵头科室（表头红字）。"),
        ("一个问题多条措施", "每条措施占一行；同一问题的后续行“问题描述”留空或与上一行合并单元格。"),
        ("科室", "填写系统中的科室全称；多个配合科室用“、”“，”“,”或“；”分隔。"),
        ("责任领导", "填写局领导姓名，一人。"),
        ("责任人", "填写一人姓名；重名时以牵头科室的人员为准。"),
        ("时限类别", "立行立改、限期整改或长期坚持；限期整改须填写完成时限，长期坚持可不填。"),
        ("完成时限", "日期，如 2026-06-30、2026/6/30、2026.6.30、2026年6月30日。"),
        ("其他", "表头上方可以有标题行；表头名称可带空格或括号说明。上传后先预览，确认无误才会导入。"),
        ("", ""),
        (
            "示例",
            "问题描述：审批事项办理时限偏长；整改措施：压缩办理时限，公布办事指南；责任领导：（局领导）；"
            "牵头科室：行政审批科；配合科室：办公室、执法监督科；时限类别：限期整改；完成时限：2026-06-30",
        ),
        ("", ""),
        (
            "可填写的科室",
            "、".join(Department.objects.filter(active=True).order_by("order", "id").values_list("name", flat=True)),
        ),
        ("局领导", "、".join(Cadre.objects.filter(active=True, is_leader=True).values_list("name", flat=True))),
    ]
    for label, text in lines:
        help_ws.append([label, text])
    help_ws["A1"].font = Font(bold=True, size=14)
    for row in help_ws.iter_rows(min_row=2):
        row[0].font = Font(bold=True)
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
