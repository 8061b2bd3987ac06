"""Helpers for the ledger tests: the Ledger builder (on the factories), uploads made from
real bytes, the page's text without tags."""

import datetime as dt
import io
import re
import zipfile
from html import unescape

from django.core.files.uploadedfile import SimpleUploadedFile

from core import dates
from rectification.models import InspectionRound, Measure

from .factories import MeasureFactory, ProblemFactory, RoundFactory
from .files import tiny_pdf, tiny_png

S = Measure.Status
T = Measure.Term


class Ledger:
    """Rounds, problems and measures for the `org` fixture, made with the factories."""

    def __init__(self, org):
        self.org = org
        self.today = dates.today()
        self.round = RoundFactory(title="市委第一巡察组反馈问题整改", feedback_date=dt.date(2026, 1, 10))
        self.other_round = RoundFactory(
            source=InspectionRound.Source.PROVINCIAL, title="省委巡视反馈问题整改", feedback_date=dt.date(2026, 2, 1)
        )
        self.count = 0

    def measure(
        self,
        *,
        dept=None,
        status=S.IN_PROGRESS,
        term=T.DEADLINE,
        deadline="default",
        leader="leader",
        person="staff",
        partners=(),
        round_=None,
        description=None,
        problem_text=None,
    ) -> Measure:
        self.count += 1
        problem = ProblemFactory(
            round=round_ or self.round,
            number=self.count,
            description=problem_text or f"问题{self.count}：窗口服务效率不高",
        )
        if deadline == "default":
            deadline = None if term == T.LONG_TERM else self.today + dt.timedelta(days=60)
        return MeasureFactory(
            problem=problem,
            number=1,
            description=description or f"措施{self.count}：修订窗口服务制度",
            responsible_leader=self.org.users[leader].cadre,
            lead_department=dept or self.org.dept_a,
            responsible_person=self.org.users[person].cadre if person else None,
            status=status,
            term=term,
            deadline=deadline,
            partner_departments=list(partners),
        )

    def days(self, n):
        return self.today + dt.timedelta(days=n)


def pdf_upload(name="整改方案.pdf", text="Evidence"):
    return SimpleUploadedFile(name, tiny_pdf(text), content_type="application/pdf")


def png_upload(name="现场照片.png"):
    return SimpleUploadedFile(name, tiny_png(), content_type="image/png")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "整改台账"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ole_bytes(stream="WordDocument") -> bytes:
    # The OLE2 header, then a directory entry naming the stream (UTF-16LE), as in a real .doc/.xls.
    return bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504 + stream.encode("utf-16-le") + b"\x00" * 512


def text_of(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
