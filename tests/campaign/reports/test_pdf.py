"""The report PDF: Chinese text as text, CJK fonts embedded, A4 with the GB/T 9704-2012
margins and page numbers, font stacks that always end in a CJK family, and a url_fetcher
that loads local static files only.

The PDF is rendered once for the module (a small ledger, a few pages) to keep the suite fast.
"""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from campaign.reports import data as report_data
from campaign.reports import pdf as report_pdf

from .support import END, MM, START, TITLE, MonthLedger, pdftotext_available, word_boxes

CJK_FAMILIES = {
    "Noto Serif CJK SC",
    "Noto Sans CJK SC",
    "LXGW WenKai",
    "FandolFang",
    "FandolSong",
    "FandolHei",
    "FandolKai",
}
GENERIC = {"serif", "sans-serif", "monospace"}
# GB/T 9704-2012 in points: the text block (版心) is 156 × 225 mm at 28 mm from the left and 37 mm from the top.
LEFT, RIGHT, TOP, BOTTOM = 28 * MM, (210 - 26) * MM, 37 * MM, (297 - 35) * MM
TOLERANCE = 1.5 * MM


_RENDERED: dict = {}


@pytest.fixture
def rendered(org, tmp_path_factory):
    """(html, pdf path, page count) for the fixture month with enough rows for several pages.

    Rendered once per test run (the ledger is the same every time) and reused, so the
    suite renders this PDF once; each test still gets its own database (rolled back).
    """
    if not _RENDERED:
        ledger = MonthLedger(org)
        for _ in range(3):  # more rows, so that tables run over pages and even pages exist
            ledger.build()
        data = report_data.collect(START, END)
        html = report_pdf.render_html(data)
        result = report_pdf.render_pdf(html)
        path = tmp_path_factory.mktemp("report") / "report.pdf"
        path.write_bytes(result.pdf)
        _RENDERED.update(html=html, path=path, pages=result.pages)
    return _RENDERED["html"], _RENDERED["path"], _RENDERED["pages"]


def test_the_html_is_chinese_and_loads_nothing_from_outside(rendered):
    html, _, _ = rendered
    assert '<html lang="zh-CN">' in html
    assert TITLE.replace("活动", "活动<br>") in html
    assert not re.search(r"""(src|href)=["'](https?:)?//""", html)


def test_the_pdf_has_the_chinese_title_and_body_as_text(rendered):
    _, path, pages = rendered
    reader = PdfReader(path)
    assert len(reader.pages) == pages >= 3
    first = re.sub(r"\s+", "", reader.pages[0].extract_text())
    assert TITLE in first
    assert "一、总体进展情况" in first
    assert "整改完成率40.0%" in first
    last = re.sub(r"\s+", "", reader.pages[-1].extract_text())
    assert settings.BUREAU_NAME in last and "2026年" in last


def _fonts(reader):
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font["/BaseFont"]).split("+", 1)[-1]] = embedded
    return fonts


def test_cjk_fonts_are_embedded(rendered):
    _, path, _ = rendered
    fonts = _fonts(PdfReader(path))
    cjk = {name: embedded for name, embedded in fonts.items() if "CJK" in name or "WenKai" in name or "Fandol" in name}
    # The body is 仿宋 (GB/T 9704): FandolFang, installed by `make system-packages`.
    assert "FandolFang" in cjk, "FandolFang is not installed: run `make fonts`"
    assert {"Noto-Serif-CJK-SC-Bold", "Noto-Sans-CJK-SC", "LXGW-WenKai"} <= set(cjk)
    assert all(cjk.values()), cjk
    # Nothing fell back to a non-CJK font (which would draw boxes for Chinese).
    assert set(fonts) == set(cjk), fonts


def test_a4_page_and_gbt_9704_text_block(rendered):
    pdftotext_available()
    _, path, _ = rendered
    reader = PdfReader(path)
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width), 1), round(float(box.height), 1)) == (595.3, 841.9)
    pages = word_boxes(path)
    for number, words in enumerate(pages, start=1):
        body = [w for w in words if w["yMax"] < BOTTOM + TOLERANCE]
        assert body, number
        assert min(w["xMin"] for w in body) >= LEFT - TOLERANCE
        assert max(w["xMax"] for w in body) <= RIGHT + TOLERANCE
        assert min(w["yMin"] for w in body) >= TOP - TOLERANCE
    # The first line of the body starts at the top margin and the table rules reach both sides.
    first = pages[0]
    assert abs(min(w["yMin"] for w in first) - TOP) < 4 * MM


def test_page_numbers_at_the_outer_corners_below_the_text_block(rendered):
    pdftotext_available()
    _, path, _ = rendered
    pages = word_boxes(path)
    assert len(pages) >= 2
    for number, words in enumerate(pages, start=1):
        footer = [w for w in words if w["yMin"] > BOTTOM]
        assert "".join(w["text"] for w in footer).replace(" ", "") == f"—{number}—", footer
        top = min(w["yMin"] for w in footer)
        assert 4 * MM < top - BOTTOM < 10 * MM  # about 7 mm below the text block
        if number % 2:  # odd pages: right, one character (14 pt) in from the text block's edge
            assert abs(max(w["xMax"] for w in footer) - (RIGHT - 14)) < 3
        else:  # even pages: left
            assert abs(min(w["xMin"] for w in footer) - (LEFT + 14)) < 3


def test_every_font_stack_names_a_cjk_family_and_ends_in_one():
    css = (Path(settings.BASE_DIR) / "static/css/report_pdf.css").read_text()
    stacks = re.findall(r"font-family:\s*([^;]+);", css) + [report_pdf.CHART_FONT]
    assert len(stacks) >= 8
    for stack in stacks:
        families = [f.strip().strip('"') for f in stack.split(",")]
        named = [f for f in families if f not in GENERIC]
        assert named and named[-1] in CJK_FAMILIES, stack
        assert any(f in {"Noto Serif CJK SC", "Noto Sans CJK SC", "LXGW WenKai"} for f in named), stack
    # Page numbers live in @page margin boxes, with their own CJK stack.
    assert re.search(r"@bottom-right\s*{[^}]*font-family:\s*\"Noto Serif CJK SC\"", css)
    assert re.search(r"@bottom-left\s*{[^}]*font-family:\s*\"Noto Serif CJK SC\"", css)


def test_the_fetcher_serves_local_static_files_only():
    fetcher = report_pdf.make_fetcher()
    response = fetcher.fetch(report_pdf.STATIC_PREFIX + report_pdf.STYLESHEET)
    assert b"@page" in response.read()
    for url in (
        "http://example.com/x.css",
        "file:///etc/passwd",
        report_pdf.STATIC_PREFIX + "../config/settings.py",
        report_pdf.BASE_URL + "media/reports/x.pdf",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_an_image_from_outside_is_not_fetched(caplog):
    html = '<html lang="zh-CN"><body><p>测试</p><img src="http://127.0.0.1:9/x.png"></body></html>'
    result = report_pdf.render_pdf(html)
    assert PdfReader(io.BytesIO(result.pdf)).pages
    assert "local static files only" in caplog.text


def test_the_title_splits_after_the_campaign_name():
    assert report_pdf.title_lines(TITLE) == ["关于“能力作风建设年”活动", "整改工作进展情况的报告"]


def test_long_tables_repeat_their_header_and_keep_each_measure_together(tmp_path):
    pdftotext_available()
    bodies = "".join(
        f'<tbody><tr><td rowspan="2">{i}</td><td>第{i}条整改措施</td></tr><tr><td>进展：第{i}条的进展</td></tr></tbody>'
        for i in range(1, 61)
    )
    html = (
        '<html lang="zh-CN"><body><table class="list"><thead><tr><th>序号</th><th>整改措施及最新进展</th></tr>'
        f"</thead>{bodies}</table></body></html>"
    )
    path = tmp_path / "table.pdf"
    path.write_bytes(report_pdf.render_pdf(html).pdf)
    pages = word_boxes(path)
    assert len(pages) >= 3
    for words in pages:
        texts = [w["text"] for w in words]
        assert texts[0] == "序号", texts[:3]  # the header comes first on every page
        # Each measure's two rows are on the same page.
        joined = "".join(texts)
        for i in range(1, 61):
            assert (f"第{i}条整改措施" in joined) == (f"第{i}条的进展" in joined), i
