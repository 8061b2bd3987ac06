"""Helpers for the monthly report tests: a fixture month (March 2026, built on the first
working day of April) with a varied ledger made directly with the models."""

import datetime as dt
import shutil
import subprocess

import pytest

from rectification.models import InspectionRound, Measure, Problem
from tests.conftest import IN_CI
from tests.rectification.factories import MeasureFactory, ProblemFactory, ProgressFactory, RoundFactory

S = Measure.Status
T = Measure.Term
MONTH = "2026-03"
START, END = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
AS_OF = dt.date(2026, 4, 1)  # a Wednesday: the first working day of April 2026
TITLE = "关于“能力作风建设年”活动整改工作进展情况的报告"
MM = 72 / 25.4  # PDF points per millimetre


class MonthLedger:
    """Rounds of two sources, measures in every status, progress in and out of March."""

    def __init__(self, org):
        self.org = org
        self.rounds = {
            InspectionRound.Source.MUNICIPAL: RoundFactory(
                source=InspectionRound.Source.MUNICIPAL,
                title="市委第一巡察组反馈问题整改",
                feedback_date=dt.date(2026, 1, 10),
            ),
            InspectionRound.Source.AUDIT: RoundFactory(
                source=InspectionRound.Source.AUDIT,
                title="审计反馈问题整改",
                feedback_date=dt.date(2026, 2, 20),
            ),
        }
        self.numbers: dict = {}

    def problem(self, source=InspectionRound.Source.MUNICIPAL, text="审批事项办理时限偏长"):
        rnd = self.rounds[source]
        self.numbers[rnd.pk] = self.numbers.get(rnd.pk, 0) + 1
        return ProblemFactory(round=rnd, number=self.numbers[rnd.pk], category="作风建设", description=text)

    def measure(
        self,
        problem,
        *,
        status=S.IN_PROGRESS,
        dept=None,
        leader="leader",
        deadline=None,
        term=T.DEADLINE,
        completed_on=None,
        description=None,
        number=1,
        partners=(),
    ):
        return MeasureFactory(
            problem=problem,
            number=number,
            description=description or f"修订完善{problem.description[:6]}相关制度，明确办理时限",
            responsible_leader=self.org.users[leader].cadre,
            lead_department=dept or self.org.dept_a,
            responsible_person=self.org.users["staff"].cadre,
            status=status,
            term=term,
            deadline=deadline,
            completed_on=completed_on,
            partner_departments=list(partners),
        )

    def progress(self, measure, on, text="已召开专题会议研究部署，明确责任分工。"):
        return ProgressFactory(measure=measure, date=on, text=text, author=self.org.users["staff"])

    def build(self) -> dict:
        """The fixture month: 10 measures over 7 problems, 2 sources, 2 departments."""
        org, M, A = self.org, InspectionRound.Source.MUNICIPAL, InspectionRound.Source.AUDIT
        p1, p2, p3, p4 = (
            self.problem(M),
            self.problem(M, "执法案卷不规范"),
            self.problem(M, "公务用车管理不严"),
            self.problem(M),
        )
        p5, p6, p7 = self.problem(A, "政府采购程序不规范"), self.problem(A, "专项资金拨付滞后"), self.problem(A)
        m = {
            "closed_march": self.measure(
                p1, status=S.CLOSED, completed_on=dt.date(2026, 3, 12), deadline=dt.date(2026, 3, 31)
            ),
            "closed_feb": self.measure(
                p1, status=S.CLOSED, completed_on=dt.date(2026, 2, 20), number=2, deadline=dt.date(2026, 2, 28)
            ),
            "stage": self.measure(p2, status=S.STAGE_COMPLETE, term=T.LONG_TERM, completed_on=dt.date(2026, 3, 20)),
            "overdue": self.measure(
                p2,
                status=S.IN_PROGRESS,
                deadline=dt.date(2026, 3, 15),
                number=2,
                dept=org.dept_b,
                leader="other_leader",
                partners=[org.dept_a],
            ),
            "overdue_long": self.measure(
                p3, status=S.NOT_STARTED, deadline=dt.date(2026, 2, 1), dept=org.dept_b, leader="other_leader"
            ),
            "submitted": self.measure(p3, status=S.SUBMITTED, deadline=dt.date(2026, 4, 30), number=2),
            "not_started": self.measure(p4, status=S.NOT_STARTED, deadline=dt.date(2026, 6, 30)),
            "audit_closed": self.measure(
                p5,
                status=S.CLOSED,
                completed_on=dt.date(2026, 3, 28),
                dept=org.dept_b,
                leader="other_leader",
                deadline=dt.date(2026, 3, 30),
            ),
            "audit_progress": self.measure(
                p6,
                status=S.IN_PROGRESS,
                deadline=dt.date(2026, 5, 31),
                description='=HYPERLINK("http://evil.example")建立专项资金拨付台账',
            ),
            "audit_leader_ok": self.measure(
                p7, status=S.LEADER_APPROVED, deadline=dt.date(2026, 3, 31), dept=org.dept_b, leader="other_leader"
            ),
        }
        self.progress(m["overdue"], dt.date(2026, 3, 3), "已完成制度修订初稿，正在征求意见。")
        self.progress(
            m["overdue"], dt.date(2026, 3, 25), "制度修订稿已提交局党组会审议，" + "待审议通过后印发执行" * 8 + "。"
        )
        self.progress(m["submitted"], dt.date(2026, 3, 18), "整改任务基本完成，已整理佐证材料申请销号。")
        self.progress(m["audit_progress"], dt.date(2026, 3, 9), "已建立专项资金拨付台账，逐笔核对。")
        self.progress(m["audit_progress"], dt.date(2026, 4, 1), "四月的进展不计入三月。")
        self.progress(m["closed_feb"], dt.date(2026, 2, 18), "二月的进展不计入三月。")
        backdate_history(RECORDED)
        return m


# When the fixture's ledger "was written": its history records are dated then, so a report
# as of a day in March (the state on that day, from the history) sees the ledger as built.
RECORDED = dt.datetime(2026, 2, 20, 9, 0, tzinfo=dt.UTC)


def backdate_history(moment: dt.datetime) -> None:
    Measure.history.model.objects.update(history_date=moment)
    Problem.history.model.objects.update(history_date=moment)


def pdftotext_available():
    if shutil.which("pdftotext"):
        return True
    if IN_CI:
        pytest.fail("pdftotext (poppler-utils) is missing in CI")
    pytest.skip("pdftotext (poppler-utils) is not installed")


def word_boxes(pdf_path) -> list[list[dict]]:
    """Per page, the words with their boxes in PDF points from the top-left (pdftotext -bbox)."""
    import xml.etree.ElementTree as ET

    out = subprocess.run(["pdftotext", "-bbox", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    out = out.replace('xmlns="http://www.w3.org/1999/xhtml"', "")
    root = ET.fromstring(out[out.index("<html") :])
    pages = []
    for page in root.iter("page"):
        pages.append(
            [
                {"text": w.text or "", **{k: float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")}}
                for w in page.iter("word")
            ]
        )
    return pages
