"""Reading the sheet: merged cells filled in, the header found (header.py: one row or a
parent/child pair, below any title), section headings and footer notes told from data rows.

The workbook is opened read-only (upload.open_workbook): openpyxl then streams the cell
values instead of building an object per cell (a 5.5 MB sheet took 993 MB that way), but it
does not read merged ranges, so merged_ranges() takes them from the sheet's XML, streamed.
"""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from openpyxl.utils.cell import range_boundaries

from .cells import display
from .header import Header, find_header, with_mapping

SECTION_PREFIX = re.compile(r"^\s*(?:[一二三四五六七八九十百]+[、.．]|[(（][一二三四五六七八九十]+[)）]|\d+[、.．])\s*")


def grid_of(ws):
    """The sheet as a list of rows (row 1 first), merged ranges filled with their value.

    Returns (grid, continued, widened, spanned): cells that continue a vertical merge, the
    rows that hold a merge spanning several columns, and the cells inside such a merge.
    """
    grid = [list(row) for row in ws.iter_rows(values_only=True)]
    # A read-only sheet pads short rows to the sheet's width only as far as its dimension
    # says; trailing None cells are kept, as in normal mode.
    # Trailing empty rows (sheets formatted far below the data) are dropped.
    while grid and all(v is None or str(v).strip() == "" for v in grid[-1]):
        grid.pop()
    continued: set[tuple[int, int]] = set()
    widened: set[int] = set()
    spanned: set[tuple[int, int]] = set()
    for left, top, right, bottom in merged_ranges(ws):
        if top > len(grid):
            continue
        value = grid[top - 1][left - 1] if left - 1 < len(grid[top - 1]) else None
        wide = right > left
        if wide:
            widened.update(range(top, min(bottom, len(grid)) + 1))
        for r in range(top, min(bottom, len(grid)) + 1):
            row = grid[r - 1]
            if len(row) < right:
                row.extend([None] * (right - len(row)))
            for c in range(left, right + 1):
                row[c - 1] = value
                if r > top:
                    continued.add((r, c))
                if wide:
                    spanned.add((r, c))
    return grid, continued, widened, spanned


def merged_ranges(ws):
    """(min_col, min_row, max_col, max_row) of every merged range of the sheet: from
    openpyxl in normal mode, from the sheet's XML (<mergeCell ref="A1:C2"/>) in read-only mode."""
    if hasattr(ws, "merged_cells"):
        return [(r.min_col, r.min_row, r.max_col, r.max_row) for r in ws.merged_cells.ranges]
    ranges = []
    with ws.parent._archive.open(ws._worksheet_path) as xml:
        for _event, element in ET.iterparse(xml):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "mergeCell" and ":" in element.get("ref", ""):
                ranges.append(range_boundaries(element.get("ref")))
            if tag in ("row", "c", "v", "f", "is", "t", "mergeCell"):
                element.clear()  # keep memory flat over a large sheetData
    return ranges


FOOTER = re.compile(r"^(注|说明|备注|填表|填报|制表|审核|联系人|联系电话|附件|单位负责人|负责人)")


def is_footer(texts: list[str]) -> bool:
    """A lone note below the table (注：…, 填表人：…)."""
    filled = [t for t in texts if t]
    return len(filled) == 1 and bool(FOOTER.match(filled[0]))


def is_section_row(cells, widened_row, columns):
    """“一、政治建设方面” on a row of its own: a heading that gives the category below."""
    texts = {display(v) for v in cells if display(v)}
    if len(texts) != 1:
        return None
    text = texts.pop()
    filled = [i for i, v in enumerate(cells, start=1) if display(v)]
    if widened_row or (len(filled) == 1 and SECTION_PREFIX.match(text) and filled[0] != columns.get("measure")):
        return SECTION_PREFIX.sub("", text).strip() or text
    return None


@dataclass
class Sheet:
    """The first visible sheet with a header, its merged cells filled in."""

    title: str
    grid: list
    continued: set  # (row, column) of cells that continue a vertical merge
    widened: set  # rows holding a merge across several columns
    header: Header

    @property
    def data_start(self) -> int:
        return self.header.data_start

    @property
    def columns(self) -> dict:
        """key -> column number (1-based) of the mapped columns."""
        return self.header.keys

    def value(self, cells, key):
        """The raw value of column `key` in a row of the grid (None when absent)."""
        index = self.columns.get(key)
        return cells[index - 1] if index and index - 1 < len(cells) else None


def find_sheet(wb, mapping: dict | None = None) -> Sheet | None:
    """The first visible sheet with a header; `mapping` ({column: key or None}) is the
    office's correction of how its columns are read."""
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        grid, continued, widened, spanned = grid_of(ws)
        header = find_header(grid, spanned)
        if header is not None:
            if mapping:
                header = with_mapping(header, mapping)
            return Sheet(ws.title, grid, continued, widened, header)
    return None
