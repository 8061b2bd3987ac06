"""Imports read the workbook read-only (issue 13, item 7): memory stays bounded, and merged
cells still come through, read from the sheet's XML (bench/import_memory.py measures it)."""

import io

from openpyxl import Workbook

from rectification.importing.sheet import find_sheet, merged_ranges
from rectification.importing.upload import open_workbook


def _merged_sheet() -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(["2026年问题清单"])
    ws.merge_cells("A1:D1")
    ws.append(["序号", "问题描述", "整改措施", "责任领导"])
    ws.append([1, "审批时限偏长", "压缩时限", "李红梅"])
    ws.append([None, None, "公开流程", "李红梅"])
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_workbook_is_read_only_and_merged_cells_come_from_the_xml():
    book = open_workbook(_merged_sheet())
    assert book.read_only
    assert sorted(merged_ranges(book.worksheets[0])) == [(1, 1, 4, 1), (1, 3, 1, 4), (2, 3, 2, 4)]
    sheet = find_sheet(book)
    assert sheet.grid[3][:3] == [1, "审批时限偏长", "公开流程"]  # the merge filled in
    assert (4, 2) in sheet.continued and 1 in sheet.widened
