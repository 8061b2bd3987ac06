"""The monthly report as an editable Word document (.docx, python-docx): the same document
as the PDF (pdf.py) — the same headings, paragraphs and tables from the same context — so
that the office can still edit it before sending it up.

Laid out after GB/T 9704-2012 as Word can hold it: A4, margins 37/28/35/26 mm, body 3号
(16 pt) 仿宋 at a fixed 28.9 pt line pitch, title 2号 (22 pt) 小标宋, headings "一、" 黑体
and "（一）" 楷体, tables 小四 (12 pt), page numbers "— 1 —" in 4号 at the right of odd
pages and the left of even pages. The font names are those of a bureau's Windows PC;
Word substitutes its own where one is missing.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from core.formats import percent

from . import pdf
from .data import ReportData

REPORT_LANGUAGE = "zh-hans"
FANGSONG, HEITI, KAITI, XIAOBIAOSONG = "仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体"
LINE = Pt(28.9)


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _paragraph(doc, text: str = "", *, font=FANGSONG, size=16.0, indent=True, align=None, bold=False):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    if text:
        _font(p.add_run(text), font, size, bold)
    return p


def _heading(doc, text: str, level: int):
    heading = _paragraph(doc, text, font=HEITI if level == 2 else KAITI)
    heading.paragraph_format.keep_with_next = True  # never alone at the foot of a page
    return heading


TEXT_WIDTH = 156  # mm: the 版心 of GB/T 9704
NARROW = {"No.": 11, "Lead department": 27, "Responsible leader": 22, "Days overdue": 19}
DATE_WIDTH = 27


def _widths(headers: list[str]) -> list[float]:
    """Column widths in mm: a figures table shares the width after its first column; a list
    gives its second (text) column what the narrow ones leave."""
    if headers[0] in {_("Problem source"), _("Lead department"), _("Month")}:
        first = 28
        return [first] + [(TEXT_WIDTH - first) / (len(headers) - 1)] * (len(headers) - 1)
    narrow = {_(name): width for name, width in NARROW.items()}
    fixed = [0 if index == 1 else narrow.get(h, DATE_WIDTH) for index, h in enumerate(headers)]
    return [w or TEXT_WIDTH - sum(fixed) for w in fixed]


def _table(doc, headers: list[str], rows: list[list[str]], *, total: list[str] | None = None):
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _cell(cell, text, HEITI, center=True)
    _repeat_header(table.rows[0])
    for values in [*rows, *([total] if total else [])]:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
            _cell(cell, str(text), HEITI if values is total else FANGSONG, center=index > 0 and len(str(text)) < 12)
    widths = _widths(headers)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)  # the table grid (LibreOffice reads this) ...
    for row in table.rows:  # ... and each cell (Word reads these)
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
    _paragraph(doc, "", size=8)  # a little air below the table
    return table


def _cell(cell, text: str, font: str, center: bool = False):
    p = cell.paragraphs[0]
    p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(1)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run(text), font, 12)


def _repeat_header(row):
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _caption(doc, text: str):
    caption = _paragraph(doc, text, font=HEITI, size=12, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    caption.paragraph_format.keep_with_next = True


def _note(doc, text: str):
    _paragraph(doc, text, size=12, indent=False)


def _page_numbers(section, document):
    """— 1 — in 4号: odd pages at the right, even pages at the left, one character in."""
    document.settings.odd_and_even_pages_header_footer = True
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        p = footer.paragraphs[0]
        p.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = Pt(14)
        else:
            p.paragraph_format.left_indent = Pt(14)
        _font(p.add_run("— "), FANGSONG, 14)
        run = p.add_run()
        for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            else:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = text
            run._r.append(element)
        _font(run, FANGSONG, 14)
        _font(p.add_run(" —"), FANGSONG, 14)


def _setup(document):
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)
    normal = document.styles["Normal"]
    normal.font.name = FANGSONG
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FANGSONG)
    _page_numbers(section, document)


def write_docx(data: ReportData, target) -> None:
    """Write the report to `target` (a path or a binary file)."""
    with translation.override(REPORT_LANGUAGE):
        c = pdf.context(data)
        document = Document()
        _setup(document)
        _body(document, data, c)
        document.core_properties.title = f"{data.title}（{data.period_label}）"
        document.core_properties.author = data.bureau
        document.save(target)


def _body(doc, d: ReportData, c: dict) -> None:
    n, t = c["n"], d.total
    for line in c["title_lines"]:
        _paragraph(doc, line, font=XIAOBIAOSONG, size=22, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    period = f"（{d.period_label}{' · ' + d.round.title if d.round else ''}）"
    _paragraph(doc, period, font=KAITI, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc)
    _paragraph(doc, f"{d.recipient}：", indent=False)
    _paragraph(
        doc,
        _(
            "Following the requirements of the campaign's leadership group, we report on the progress of our "
            "rectification work in %(period)s as follows."
        )
        % {"period": d.period_label},
    )

    _heading(doc, n.next + _("Overall progress"), 2)
    _paragraph(doc, _overall(d, c))
    _paragraph(doc, _period_summary(d))
    if d.by_source:
        _caption(doc, _("Table 1  Rectification by source of the problems"))
        _table(
            doc,
            [_("Problem source"), _("Problems"), *_count_headers()],
            [[x.label, x.problems, *_count_cells(x)] for x in d.by_source],
            total=[_("Total"), t.problems, *_count_cells(t)],
        )
        _note(
            doc,
            _(
                "Note: completion rate = (signed off + stage complete) ÷ measures; in progress includes measures "
                "awaiting sign-off review; overdue = deadline passed and not finished on the day of this report."
            ),
        )

    _heading(doc, n.next + _("Main practices and results"), 2)
    _narrative(doc, c["narrative"]["practices"])

    _heading(doc, n.next + _("Rectification by department"), 2)
    if d.by_department:
        _caption(doc, _("Table 2  Rectification by lead department"))
        _table(doc, [_("Lead department"), *_count_headers()], [[x.label, *_count_cells(x)] for x in d.by_department])
    else:
        _paragraph(doc, _("No measures have been set yet."))

    _heading(doc, n.next + _("Progress in %(period)s") % {"period": d.period_label}, 2)
    _period_lists(doc, d, c)

    _heading(doc, n.next + _("Measures past their deadline"), 2)
    as_of = date_format(d.as_of)
    if c["overdue_rows"]:
        _paragraph(
            doc,
            _("As of %(as_of)s, %(n)s measures are past their deadline and not finished:")
            % {"as_of": as_of, "n": d.overdue_count},
        )
        _table(
            doc,
            [_("No."), _("Rectification measure"), _("Lead department"), _("Responsible leader"), _("Days overdue")],
            [
                [
                    i,
                    f"{r['description']}（{r['ref']}；{_('due on')} {r['deadline']:%Y-%m-%d}）",
                    r["department"],
                    r["leader"],
                    r["days"],
                ]
                for i, r in enumerate(c["overdue_rows"], start=1)
            ],
        )
    else:
        _paragraph(doc, _("As of %(as_of)s, no measure is overdue.") % {"as_of": as_of})

    _heading(doc, n.next + _("Trend over the campaign"), 2)
    if d.trend:
        _caption(doc, _("Figure 1  Measures, finished measures and completion rate at the end of each month"))
        _table(
            doc,
            [_("Month"), _("Measures"), _("Finished"), _("Completion rate")],
            [[p.label, p.measures, p.done, percent(p.rate)] for p in d.trend],
        )
    else:
        _paragraph(doc, _("No data for a trend yet."))

    _heading(doc, n.next + _("Party building and cadre work"), 2)
    _party_and_cadres(doc, d)
    _heading(doc, n.next + _("Problems that remain"), 2)
    _narrative(doc, c["narrative"]["problems"])
    _heading(doc, n.next + _("Plans for the next stage"), 2)
    _narrative(doc, c["narrative"]["plans"])

    _paragraph(doc)
    _paragraph(doc, _("Attachment: rectification ledger (%(period)s, Excel)") % {"period": d.period_label})
    _paragraph(doc)
    _paragraph(doc, d.bureau, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT).paragraph_format.right_indent = Pt(64)
    issued = d.issued_on or d.as_of
    signature = _paragraph(
        doc, f"{issued.year}年{issued.month}月{issued.day}日", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT
    )
    signature.paragraph_format.right_indent = Pt(32)


def _overall(d: ReportData, c: dict) -> str:
    t = d.total
    text = _(
        "As of %(as_of)s, we have identified %(problems)s problems and set %(measures)s rectification measures."
    ) % {
        "as_of": date_format(d.as_of),
        "problems": t.problems,
        "measures": t.measures,
    }
    text += _(
        "Of these, %(closed)s have been signed off, %(stage)s are stage complete (ongoing), %(in_progress)s are in "
        "progress (%(submitted)s of them awaiting sign-off review) and %(not_started)s have not started; "
        "%(overdue)s are overdue."
    ) % {
        "closed": t.closed,
        "stage": t.stage_complete,
        "in_progress": t.underway,
        "submitted": t.submitted,
        "not_started": t.not_started,
        "overdue": t.overdue,
    }
    if t.problems_done:
        text += _("The completion rate is %(rate)s; all measures of %(problems_done)s problems are completed.") % {
            "rate": c["rate"],
            "problems_done": t.problems_done,
        }
    else:
        text += _("The completion rate is %(rate)s.") % {"rate": c["rate"]}
    return text


def _period_summary(d: ReportData) -> str:
    text = _(
        "In %(period)s, %(closed)s measures were signed off and %(stage)s reached stage completion; progress was "
        "reported on %(measures)s measures (%(entries)s entries)."
    ) % {
        "period": d.period_label,
        "closed": d.closed_in_period_count,
        "stage": d.stage_complete_in_period_count,
        "measures": d.progress_measure_count,
        "entries": d.progress_entry_count,
    }
    if d.extended_measures:
        text += _(
            "By %(as_of)s, %(n)s measures have had their deadline extended (%(days)s days in all), %(month)s of "
            "the extensions in this period."
        ) % {
            "as_of": date_format(d.as_of),
            "n": d.extended_measures,
            "days": d.extension_days,
            "month": d.extension_count,
        }
    return text


def _count_headers() -> list[str]:
    return [
        _("Measures"),
        _("Signed off"),
        _("Stage complete"),
        _("In progress"),
        _("Not started"),
        _("Overdue"),
        _("Completion rate"),
    ]


def _count_cells(x) -> list:
    return [x.measures, x.closed, x.stage_complete, x.underway, x.not_started, x.overdue, x.rate_text]


def _narrative(doc, parts: list[dict]) -> None:
    if not parts:
        _paragraph(doc, _("[To be written by the campaign office on the Reports page.]"), font=KAITI)
    for part in parts:
        if part["kind"] == "h3":
            _heading(doc, part["text"], 3)
        else:
            _paragraph(doc, part["text"])


def _period_lists(doc, d: ReportData, c: dict) -> None:
    _heading(doc, _("(1) Measures signed off in the period"), 3)
    if c["closed_rows"]:
        _table(
            doc,
            [_("No."), _("Rectification measure"), _("Lead department"), _("Responsible leader"), _("Signed off on")],
            [
                [i, f"{r['description']}（{r['ref']}）", r["department"], r["leader"], f"{r['date']:%Y-%m-%d}"]
                for i, r in enumerate(c["closed_rows"], start=1)
            ],
        )
    else:
        _paragraph(doc, _("No measure was signed off in the period."))
    _heading(doc, _("(2) Main progress in the period"), 3)
    if c["progress_rows"]:
        _table(
            doc,
            [_("No."), _("Rectification measure and latest progress"), _("Lead department"), _("Reported on")],
            [
                [
                    i,
                    f"{r['description']}（{r['ref']}）\n{_('Progress:')}{r['text']}",
                    r["department"],
                    f"{r['date']:%Y-%m-%d}",
                ]
                for i, r in enumerate(c["progress_rows"], start=1)
            ],
        )
    else:
        _paragraph(doc, _("No progress was reported in the period."))
    _heading(doc, _("(3) Deadlines extended in the period"), 3)
    if c["extension_rows"]:
        _table(
            doc,
            [
                _("No."),
                _("Rectification measure and reason"),
                _("Lead department"),
                _("Deadline before"),
                _("Extended to"),
            ],
            [
                [
                    i,
                    f"{r['description']}（{r['ref']}）\n{_('Reason:')}{r['reason']}",
                    r["department"],
                    f"{r['old']:%Y-%m-%d}",
                    f"{r['new']:%Y-%m-%d}",
                ]
                for i, r in enumerate(c["extension_rows"], start=1)
            ],
        )
    else:
        _paragraph(doc, _("No deadline was extended in the period."))


def _party_and_cadres(doc, d) -> None:
    """The same part as the PDF's: the branches' organisational life, then cadre work."""
    party = d.party
    _heading(doc, _("(1) Organisational life of the Party branches"), 3)
    if party is not None and party.lines:
        _paragraph(
            doc,
            _(
                "In %(period)s, the branches held %(meetings)s meetings; %(met)s of the %(due)s obligations due "
                "were met (%(rate)s), %(missing)s were missed."
            )
            % {
                "period": d.period_label,
                "meetings": party.meetings,
                "met": party.met,
                "due": party.due,
                "rate": party.rate_text,
                "missing": party.missing,
            },
        )
        _table(
            doc,
            [_("Party branch"), _("Obligations due"), _("Met"), _("Meetings held"), _("Attendance rate")],
            [
                [
                    line["branch"].name,
                    line["tally"]["due"],
                    line["tally"]["met"],
                    line["meetings"],
                    percent(line["attendance"]),
                ]
                for line in party.lines
            ],
        )
    else:
        _paragraph(doc, _("No Party branch is recorded in the system."))
    if d.cadres is not None:
        _heading(doc, _("(2) Cadre work"), 3)
        _table(doc, [_("Item"), _("Figure")], [list(row) for row in d.cadres.rows()])
