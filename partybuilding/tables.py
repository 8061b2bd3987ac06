"""Column definitions shared by the screens and their xlsx exports (core.xlsx.Column):
meetings, attendance, activity days, the annual 组织生活开展情况统计表 (written with its
two-level header by add_two_level_sheet) and the quarterly summary (应完成, 已完成,
是否完成, 会议数)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.formats import percent
from core.xlsx import Column, safe_cell_value

from .compliance import QuarterLine
from .obligations import weekday_name


def _name(cadre) -> str:
    return cadre.name if cadre else ""


def meeting_columns() -> list[Column]:
    """Meetings (rows: Meeting with attendance counts annotated: expected, present, leave, absent)."""
    return [
        Column(_("Branch"), lambda m: m.branch.name, 16, wrap=True),
        Column(_("Kind"), lambda m: m.get_kind_display(), 14),
        Column(_("Party group"), lambda m: m.group.name if m.group else "", 12),
        Column(_("Topic"), lambda m: m.topic, 36, wrap=True),
        Column(_("Planned for"), lambda m: timezone.localtime(m.planned_at).strftime("%Y-%m-%d %H:%M"), 16),
        Column(_("Held on"), lambda m: m.held_on or "", 12),
        Column(_("Place"), lambda m: m.place, 14, wrap=True),
        Column(_("Host"), lambda m: _name(m.host), 10),
        Column(_("Recorder"), lambda m: _name(m.recorder), 10),
        Column(_("Lecturer"), lambda m: _name(m.lecturer), 10),
        Column(_("Due to attend"), lambda m: m.expected, 8),
        Column(_("Present"), lambda m: m.present, 8),
        Column(_("On leave"), lambda m: m.leave, 8),
        Column(_("Absent"), lambda m: m.absent, 8),
    ]


def attendance_columns() -> list[Column]:
    """Attendance rows of meetings (Attendance with meeting and cadre)."""
    return [
        Column(_("Held on"), lambda a: a.meeting.held_on or "", 12),
        Column(_("Kind"), lambda a: a.meeting.get_kind_display(), 14),
        Column(_("Topic"), lambda a: a.meeting.topic, 30, wrap=True),
        Column(_("Member"), lambda a: a.cadre.name, 10),
        Column(_("Membership"), lambda a: _("formal member") if a.formal else _("probationary member"), 10),
        Column(_("Attendance"), lambda a: a.get_status_display(), 10),
        Column(_("Reason"), lambda a: a.reason, 24, wrap=True),
        Column(_("Signed in"), lambda a: a.get_signed_in_how_display() if a.signed_in_how else "", 14),
        Column(_("Make-up study on"), lambda a: a.makeup_on or "", 12),
        Column(_("What I learned"), lambda a: a.makeup_note, 36, wrap=True),
    ]


def activity_day_columns() -> list[Column]:
    return [
        Column(_("Month"), lambda d: f"{d.month.month}月", 8),
        Column(_("Nominal day"), lambda d: d.nominal, 12),
        Column(_("Activity day"), lambda d: d.day, 12),
        Column(_("Weekday"), lambda d: weekday_name(d.day), 8),
        Column(_("Why"), lambda d: d.reason, 36, wrap=True),
    ]


def _months(values: list[bool]) -> list:
    return ["✓" if v else "" for v in values] or [""] * 12


def annual_columns() -> list[tuple[str | None, Column]]:
    """The annual 组织生活开展情况统计表 as a bureau sends it upward, with its two-level
    header: 序号 | 党支部 | 支委会 (1月…12月, 按时开展月份数, 完成率) | 党员集体活动 (the same).
    Each column is (its parent header or None, the column); rows are (number, AnnualLine)."""
    columns: list[tuple[str | None, Column]] = [
        (None, Column(_("No."), lambda row: row[0], 5)),
        (None, Column(_("Party branch"), lambda row: row[1].branch.name, 18, wrap=True)),
    ]
    for label, attr in ((_("Committee meeting"), "committee"), (_("Collective activity of members"), "activity")):
        for month in range(1, 13):
            columns.append(
                (label, Column(f"{month}月", lambda row, a=attr, i=month - 1: _months(getattr(row[1], a))[i], 4))
            )
        columns.append((label, Column(_("months held on time"), lambda row, a=attr: getattr(row[1], f"{a}_months"), 8)))
        columns.append(
            (label, Column(_("completion rate"), lambda row, a=attr: percent(getattr(row[1], f"{a}_rate")), 8))
        )
    return columns


_SIDE = Side(style="thin", color="999999")
_BORDER = Border(left=_SIDE, right=_SIDE, top=_SIDE, bottom=_SIDE)
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _styled(ws, value, *, header: bool = False, wrap: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=safe_cell_value(value))
    cell.border = _BORDER
    cell.alignment = _CENTRE if header or not wrap else Alignment(vertical="center", wrap_text=True)
    if header:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    return cell


def add_two_level_sheet(wb, title: str, columns: list[tuple[str | None, Column]], rows, heading: str):
    """A sheet with a title row and a two-row header: a column without a parent spans both
    rows; a parent spans its columns (merged cells), as the bureau's own tables do."""
    ws = wb.create_sheet(title=title[:31])
    for index, (_parent, column) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    leading = sum(1 for parent, _c in columns if parent is None)
    ws.freeze_panes = f"{get_column_letter(leading + 1)}4"
    ws.print_title_rows = "2:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    last = get_column_letter(len(columns))
    title_cell = WriteOnlyCell(ws, value=heading)
    title_cell.font = Font(bold=True, size=14)
    title_cell.alignment = Alignment(horizontal="center")
    ws.append([title_cell])
    ws.merged_cells.add(f"A1:{last}1")
    top, below = [], []
    for index, (parent, column) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        if parent is None:
            top.append(_styled(ws, column.header, header=True))
            below.append(_styled(ws, None, header=True))
            ws.merged_cells.add(f"{letter}2:{letter}3")
        else:
            first = index == 1 or columns[index - 2][0] != parent
            top.append(_styled(ws, parent if first else None, header=True))
            below.append(_styled(ws, column.header, header=True))
            if first:
                span = sum(1 for p, _c in columns[index - 1 :] if p == parent)
                ws.merged_cells.add(f"{letter}2:{get_column_letter(index + span - 1)}2")
    ws.append(top)
    ws.append(below)
    for row in rows:
        ws.append([_styled(ws, column.value(row), wrap=column.wrap) for _parent, column in columns])
    return ws


def complete_text(line: QuarterLine) -> str:
    return {True: _("yes"), False: _("no"), None: _("not yet due")}[line.complete]


def quarter_columns() -> list[Column]:
    return [
        Column(_("Party branch"), lambda q: q.branch.name, 18, wrap=True),
        Column(_("Quarter"), lambda q: _("Q%(n)s") % {"n": q.quarter}, 8),
        Column(_("Due"), lambda q: q.due, 8),
        Column(_("Done"), lambda q: q.done, 8),
        Column(_("Complete"), complete_text, 8),
        Column(_("Meetings held"), lambda q: q.meetings, 8),
        Column(_("Exempt"), lambda q: q.exempt, 8),
    ]
