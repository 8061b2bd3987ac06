"""One column definition for the table on screen, its xlsx export and the reports.

A Column names its header, its width in characters, and how to get its value from a
row. add_sheet streams rows (write-only mode) so big exports stay in bounded memory, and
writes the data rows' XML itself (see _write_data_rows): openpyxl's own cell objects cost
about 20 µs a cell, most of a large export's time after the query.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import XML_NS, Element, SubElement

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
    _write_data_rows(ws, columns, rows)
    return ws


def _style_ids(ws, columns: list[Column]) -> list[tuple[str, str]]:
    """Per column, the workbook's style index (as text) for a value and for a date."""
    return [
        (str(_cell(ws, "", wrap=c.wrap).style_id), str(_cell(ws, dt.date.min, wrap=c.wrap).style_id)) for c in columns
    ]


def _write_data_rows(ws, columns: list[Column], rows: Iterable) -> None:
    """Append the rows as XML built here, one element per row, in the styles _cell gives.

    A write-only sheet turns each appended row into cells (_values_to_row) and writes them
    (its writer's write_row); for the data rows both are swapped for _row_element on this
    sheet alone, and put back after, so a caller may still append its own cells.
    """
    styles = _style_ids(ws, columns)
    letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
    epoch = ws.parent.epoch
    ws._values_to_row = lambda values, _row_idx: values
    ws._writer.write_row = lambda xf, values, row_idx: xf.write(_row_element(values, row_idx, letters, styles, epoch))
    try:
        for row in rows:
            ws.append([c.value(row) for c in columns])
    finally:
        del ws._values_to_row, ws._writer.write_row


def _row_element(values: list, row_idx: int, letters: list[str], styles: list, epoch):
    """<row> with a styled <c> per column, as openpyxl writes them (inline strings)."""
    row = Element("row", r=str(row_idx))
    for value, letter, (style, date_style) in zip(values, letters, styles, strict=True):
        ref = f"{letter}{row_idx}"
        if value is None or value == "":
            SubElement(row, "c", r=ref, s=style)
        elif isinstance(value, bool):
            SubElement(SubElement(row, "c", r=ref, s=style, t="b"), "v").text = "1" if value else "0"
        elif isinstance(value, int | float | Decimal):
            SubElement(SubElement(row, "c", r=ref, s=style, t="n"), "v").text = f"{value:.16g}"
        elif isinstance(value, dt.date | dt.datetime):
            if isinstance(value, dt.datetime) and value.tzinfo is not None:
                value = timezone.make_naive(value)  # Excel has no time zones: the bureau's clock
            serial = to_excel(value, epoch)
            SubElement(SubElement(row, "c", r=ref, s=date_style, t="n"), "v").text = f"{serial:.16g}"
        else:
            text = _cell_text(value)
            attrs = {f"{{{XML_NS}}}space": "preserve"} if text != text.strip() else {}
            SubElement(SubElement(SubElement(row, "c", r=ref, s=style, t="inlineStr"), "is"), "t", attrs).text = text
    return row


def _cell_text(value) -> str:
    """Text as a cell may hold it: formula-safe, at most 32,767 characters, without the
    control characters XML cannot carry (openpyxl refuses the whole file for one)."""
    return ILLEGAL_CHARACTERS_RE.sub("", safe_cell_value(str(value))[:32767])


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
