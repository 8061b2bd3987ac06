"""One column definition for the table on screen, its xlsx export and the reports.

A Column names its header, its width in characters, and how to get its value from a
row. write_workbook streams rows (write-only mode) so big exports stay in bounded memory.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from copy import copy
from dataclasses import dataclass
from io import BytesIO

from django.http import HttpResponse
from django.utils.encoding import escape_uri_path
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
# Style objects are shared: openpyxl hashes each one it is given, so a new object per cell
# doubles the time of a large export.
_ALIGN_HEADER = Alignment(vertical="center", horizontal="center", wrap_text=True)
_ALIGN_TOP = Alignment(vertical="top")
_ALIGN_TOP_WRAP = Alignment(vertical="top", wrap_text=True)
_BOLD = Font(bold=True)


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable
    width: int = 14
    wrap: bool = False


def safe_cell_value(value):
    """Neutralise text that Excel would run as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _cell(ws, value, *, header=False, wrap=False):
    cell = WriteOnlyCell(ws, value=safe_cell_value(value))
    kind = (header, wrap, isinstance(value, dt.date) and not header)
    # Setting a style makes openpyxl hash it (a third of a big export's time), so each
    # workbook styles one cell per kind and the others copy its style index array.
    styles = ws.parent.__dict__.setdefault("_shared_styles", {})
    if kind in styles:
        cell._style = copy(styles[kind])
        return cell
    cell.border = _BORDER
    cell.alignment = _ALIGN_HEADER if header else (_ALIGN_TOP_WRAP if wrap else _ALIGN_TOP)
    if header:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    elif kind[2]:
        cell.number_format = "yyyy-mm-dd"
    styles[kind] = copy(cell._style)
    return cell


def add_sheet(wb: Workbook, title: str, columns: list[Column], rows: Iterable, heading: str | None = None):
    """Append a sheet: optional title row, styled frozen header, one row per item."""
    ws = wb.create_sheet(title=title[:31])
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    header_row = 2 if heading else 1
    # A write-only sheet writes its views and sheet properties with the first row:
    # everything about the sheet is set before any append.
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if heading:
        title_cell = WriteOnlyCell(ws, value=heading)
        title_cell.font = Font(bold=True, size=14)
        ws.append([title_cell])
    ws.append([_cell(ws, c.header, header=True) for c in columns])
    for row in rows:
        ws.append([_cell(ws, c.value(row), wrap=c.wrap) for c in columns])
    return ws


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def workbook_bytes(wb: Workbook) -> bytes:
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def attachment_response(content: bytes, filename: str, content_type: str = XLSX_TYPE) -> HttpResponse:
    """A download with the Chinese file name kept (RFC 5987)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_response(title: str, columns: list[Column], rows: Iterable, filename: str) -> HttpResponse:
    wb = new_workbook()
    add_sheet(wb, title, columns, rows, heading=title)
    return attachment_response(workbook_bytes(wb), filename)
