"""The office's text of the monthly report (主要做法和成效, 存在的问题, 下一步工作打算):
written on the reports page, kept per month, pre-filled from the previous month, printed
in the PDF and in the editable .docx with the same headings and tables."""

import datetime as dt
import io
import os
import subprocess

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from campaign.reports import build
from campaign.reports.models import Report, ReportNarrative
from campaign.reports.narrative import narrative_for

from .support import END, START, MonthLedger

pytestmark = pytest.mark.django_db
TEXT_URL = reverse("campaign:report_text", args=["2026-03"])
PRACTICES = (
    "（一）压实整改责任\n党组专题研究整改工作4次，逐项明确责任领导和牵头科室。\n（二）建立长效机制\n修订制度12项。"
)


def test_the_office_writes_the_text_and_the_next_month_starts_from_it(client_as):
    client = client_as("office")
    page = client.get(reverse("campaign:reports"), {"text_month": "2026-03"}).content.decode()
    assert "2026年3月报告正文" in page and "尚未填写" in page
    r = client.post(
        TEXT_URL, {"practices": PRACTICES, "problems": "个别科室整改进度偏慢。", "plans": "四月底前完成全部销号。"}
    )
    assert r.status_code == 302 and r["Location"].endswith("?text_month=2026-03#report-text")
    saved = ReportNarrative.objects.get()
    assert saved.month == dt.date(2026, 3, 1) and saved.problems == "个别科室整改进度偏慢。"
    april = narrative_for(dt.date(2026, 4, 1))
    assert not april.saved and april.plans == "四月底前完成全部销号。" and april.source == saved
    page = client.get(reverse("campaign:reports"), {"text_month": "2026-04"}).content.decode()
    assert "已带出2026年3月的内容供修改" in page and "四月底前完成全部销号。" in page


def test_only_the_office_writes_it(client_as):
    for role in ("staff", "head", "leader"):
        assert client_as(role).post(TEXT_URL, {"practices": "越权"}).status_code == 403
    assert not ReportNarrative.objects.exists()


def test_a_too_long_text_is_refused_and_kept(client_as):
    r = client_as("office").post(TEXT_URL, {"practices": "长" * 10001, "problems": "保留"})
    assert r.status_code == 400 and "正文未保存" in r.content.decode() and "保留" in r.content.decode()
    assert not ReportNarrative.objects.exists()


@pytest.fixture
def built(org, on_report_day):
    MonthLedger(org).build()
    ReportNarrative.objects.create(
        month=START, practices=PRACTICES, problems="个别科室整改进度偏慢。", plans="四月底前完成全部销号。"
    )
    report = Report.objects.create(period_start=START, period_end=END)
    assert build.build(report.pk) is build.Outcome.BUILT
    report.refresh_from_db()
    return report


def test_the_pdf_and_the_docx_carry_the_text_under_the_same_headings(built):
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(built.pdf.read())).pages)
    pdf_text = pdf_text.replace(" ", "").replace("\n", "")
    document = Document(io.BytesIO(built.docx.read()))
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    headings = [p for p in paragraphs if p[:2] in {f"{n}、" for n in "一二三四五六七八九"}]
    assert headings == [
        "一、总体进展情况",
        "二、主要做法和成效",
        "三、各科室整改情况",
        "四、2026年3月整改进展",
        "五、逾期未完成的整改措施",
        "六、整改工作趋势",
        "七、党建和干部工作情况",
        "八、存在的问题",
        "九、下一步工作打算",
    ]
    for heading in headings:
        assert heading in pdf_text, heading
    for line in ("（一）压实整改责任", "修订制度12项。", "个别科室整改进度偏慢。", "四月底前完成全部销号。"):
        assert line in paragraphs and line in pdf_text
    assert "截至2026年3月31日" in pdf_text and "截至2026年3月31日" in "".join(paragraphs)
    # The same tables: figures by source (with the total) and by department, then the lists.
    first = [c.text for c in document.tables[0].rows[0].cells]
    assert first == ["问题来源", "问题数", "措施数", "已销号", "阶段性完成", "整改中", "未启动", "逾期", "完成率"]
    assert [c.text for c in document.tables[0].rows[-1].cells][:3] == ["合计", "7", "10"]
    assert [c.text for c in document.tables[1].rows[0].cells][0] == "牵头科室"
    # A4 with the GB/T 9704 margins, body 3号 仿宋.
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    assert document.styles["Normal"].font.size.pt == 16


def test_the_docx_opens_in_libreoffice(built, tmp_path):
    import shutil

    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice must be installed in CI (make's system-packages installs it)")
        pytest.skip("LibreOffice is not installed: make system-packages")
    path = tmp_path / "report.docx"
    path.write_bytes(built.docx.read())
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)], check=True, timeout=120
    )
    assert (tmp_path / "report.pdf").stat().st_size > 10_000
