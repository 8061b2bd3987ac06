"""Real .xlsx files for the import tests, tidy and untidy, built with openpyxl."""

import datetime as dt
import zipfile
from io import BytesIO

from openpyxl import Workbook

HEADER = [
    "序号",
    "问题类别",
    "问题描述",
    "整改目标",
    "整改措施",
    "责任领导",
    "牵头科室",
    "配合科室",
    "责任人",
    "时限类别",
    "完成时限",
    "备注",
]


def xlsx(rows, *, title_rows=(), merges=(), sheet="问题清单", extra_sheets=()) -> bytes:
    """A workbook whose first sheet holds `title_rows`, then `rows` (header included).

    Dates (datetime.date) become real date cells; `merges` are ranges like "C3:C5".
    """
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in list(title_rows) + list(rows):
        ws.append(list(row))
    for cell in ws.iter_rows():
        for c in cell:
            if isinstance(c.value, dt.date):
                c.number_format = "yyyy-mm-dd"
    for rng in merges:
        ws.merge_cells(rng)
    for name, extra_rows in extra_sheets:
        other = wb.create_sheet(name)
        for row in extra_rows:
            other.append(list(row))
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def row(
    number="",
    category="",
    problem="",
    goal="",
    measure="",
    leader="",
    lead="",
    partners="",
    person="",
    term="",
    deadline="",
    note="",
):
    return [number, category, problem, goal, measure, leader, lead, partners, person, term, deadline, note]


def tidy() -> bytes:
    """Two problems, three measures, as the template is meant to be filled."""
    return xlsx(
        [
            HEADER,
            row(
                1,
                "作风建设",
                "审批事项办理时限偏长",
                "办理时限压缩一半",
                "压缩办理时限，公布办事指南",
                "李红梅",
                "行政审批科",
                "办公室",
                "staff",
                "限期整改",
                dt.date(2026, 6, 30),
                "首批",
            ),
            row(
                2,
                "执法规范",
                "执法案卷不规范",
                "",
                "开展案卷评查",
                "张志强",
                "执法监督科",
                "",
                "staff_b",
                "立行立改",
                "",
            ),
            row("", "", "", "", "建立案卷评查长效机制", "张志强", "执法监督科", "行政审批科", "", "长期坚持", ""),
        ]
    )


def untidy() -> bytes:
    """What offices really send: a title and a subtitle row, headers with spaces, line breaks
    and full-width brackets, merged problem cells, every date form, stray spaces, mixed
    separators, a section heading row, a note row at the bottom."""
    header = [
        "序 号",
        "问题\n类别",
        "问题描述（具体表现）",
        "整改目标",
        "整改措施",
        "责任领导",
        "牵头科室（单位）",
        "配合科室【单位】",
        " 责任人 ",
        "时限类别",
        "完成时限（年月日）",
        "备  注",
    ]
    rows = [
        header,
        ["一、政治建设方面"] + [None] * 11,  # row 4
        row(
            1,
            "",
            "学习贯彻上级决策部署不够深入",
            "学深悟透",
            "制定学习计划",
            " 李 红梅 ",
            "办公室",
            "行政审批科、执法监督科",
            "office",
            "限期整改",
            dt.date(2026, 6, 30),
        ),  # row 5
        row(
            "",
            "",
            "",
            "",
            "开展专题研讨",
            "李红梅",
            "办公室",
            "行政审批科，执法监督科",
            "",
            "限期整改",
            "2026年7月15日",
        ),  # row 6 (merged)
        row(
            "", "", "", "", "建立学习长效机制", "李红梅", "办公室", "执法监督科;行政审批科", "", "长期坚持", ""
        ),  # row 7
        ["二、作风建设方面"] + [None] * 11,  # row 8
        row(
            2,
            "",
            "审批时限偏长，群众反映多头跑",
            "",
            "压缩办理时限",
            "张志强",
            " 行政审批科 ",
            "办公室,执法监督科",
            "staff ",
            "限期整改",
            "2026.6.30",
        ),  # row 9
        row(
            "", "", None, "", "推行一窗受理", "张志强", "行政审批科", "办公室；执法监督科", "", "限期整改", "2026/8/1"
        ),  # row 10 (empty problem)
        row(
            3, "作风建设", "执法文书不规范", "", "统一文书格式", "张志强", "执法监督科", "", "staff_b", "", "2026-09-30"
        ),  # row 11
        row(
            4,
            "作风建设",
            "整改台账更新不及时",
            "",
            "每月更新台账",
            "李红梅",
            "办公室",
            "",
            "",
            "立行立改",
            "2026年6月底前",
        ),  # row 12
        ["注：本表由办公室汇总。"] + [None] * 11,  # row 13
    ]
    return xlsx(
        rows,
        title_rows=[["XX市XX局市委巡察反馈问题整改清单"], ["（2026年3月）"]],
        merges=["A1:L1", "A4:L4", "A5:A7", "B5:B7", "C5:C7", "D5:D7", "A8:L8"],
    )


def zip_bomb(size=8 * 1024 * 1024) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * size)
    return buffer.getvalue()


def encrypted() -> bytes:
    """What an encrypted xlsx looks like from outside: an OLE2 container with EncryptionInfo."""
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 500
        + "EncryptionInfo".encode("utf-16-le")
        + b"\0" * 500
        + "EncryptedPackage".encode("utf-16-le")
        + b"\0" * 1000
    )


def old_xls() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "Workbook".encode("utf-16-le") + b"\0" * 1000


def docx_renamed() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def inspection_sheet() -> bytes:
    """A feedback sheet as an inspection group sends it: a title, a two-row header whose
    整改时限 spans 类别 | 完成时间 and 责任分工 spans four columns, the problem column headed
    巡察反馈问题, merged problem cells, and the date forms offices write."""
    top = [
        "序号",
        "巡察反馈问题",
        "整改措施",
        "责任分工",
        None,
        None,
        None,
        "整改时限",
        None,
        "备注",
    ]
    sub = [None, None, None, "责任领导", "牵头单位", "配合单位", "责任人", "类别", "完成时间", None]
    rows = [
        top,  # row 2
        sub,  # row 3
        [1, "理论学习不够深入", "制定学习计划", "李红梅", "办公室", "", "", "立行立改", "2026年3月底", ""],
        [None, None, "开展专题研讨", "李红梅", "办公室", "行政审批科", "", "限期整改", "3月底前", ""],
        [None, None, "建立长效机制", "李红梅", "办公室", "", "", "长期坚持", "", ""],
        [2, "审批时限偏长", "压缩办理时限", "张志强", "行政审批科", "", "staff", "限期整改", "年底前", ""],
        [3, "执法文书不规范", "统一文书格式", "张志强", "执法监督科", "", "staff_b", "限期整改", "2026年上半年", ""],
        [4, "台账更新不及时", "每月更新台账", "李红梅", "办公室", "", "", "限期整改", "第三季度", ""],
        [5, "制度执行不严", "修订制度", "张志强", "执法监督科", "", "", "立行立改", "2026.6.30", ""],
        [6, "公务用车管理不规范", "专项检查", "张志强", "执法监督科", "", "", "限期整改", "2026/6/30", ""],
    ]
    return xlsx(
        rows,
        title_rows=[["市委第一巡察组反馈问题整改清单"]],
        merges=["A1:J1", "D2:G2", "H2:I2", "A2:A3", "B2:B3", "C2:C3", "J2:J3", "A4:A6", "B4:B6"],
    )
