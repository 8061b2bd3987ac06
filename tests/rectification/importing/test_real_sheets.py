"""Sheets as inspection groups send them (issue 12 item 2): a two-row header read as parent
and child, the many names of the problem column, the date forms offices write, the mapping
shown and corrected, a deadline before the feedback date refused."""

import datetime as dt

import pytest
from django.urls import reverse

from rectification import importing
from rectification.models import Measure
from tests.conftest import login

from .. import xlsx_fixtures as fx
from ..ledger_support import text_of
from ..xlsx_fixtures import xlsx
from .conftest import messages

pytestmark = pytest.mark.django_db
T = Measure.Term


def test_a_two_row_header_sheet_imports_every_term_and_date_right(round_, org):
    # round_'s feedback date is 2026-03-01: "3月底前" is 2026-03-31, "年底前" 2026-12-31.
    preview = importing.validate(fx.inspection_sheet(), round_)
    assert preview.ok, messages(preview)
    assert preview.header_rows == "2–3"
    by_letter = {c.letter: c.key for c in preview.mapping}
    assert by_letter == {
        "A": "number",
        "B": "problem",
        "C": "measure",
        "D": "leader",
        "E": "lead",
        "F": "partners",
        "G": "person",
        "H": "term",  # 类别 under 整改时限: the term, not the problem's category
        "I": "deadline",
        "J": "note",
    }
    assert [(r.term, r.deadline) for r in preview.rows] == [
        (T.IMMEDIATE, dt.date(2026, 3, 31)),
        (T.DEADLINE, dt.date(2026, 3, 31)),
        (T.LONG_TERM, None),
        (T.DEADLINE, dt.date(2026, 12, 31)),
        (T.DEADLINE, dt.date(2026, 6, 30)),
        (T.DEADLINE, dt.date(2026, 9, 30)),
        (T.IMMEDIATE, dt.date(2026, 6, 30)),
        (T.DEADLINE, dt.date(2026, 6, 30)),
    ]
    assert preview.rows[1].readings["deadline"] == "“3月底前”读作2026年3月31日"
    assert "deadline" not in preview.rows[6].readings  # 2026.6.30 names the day itself

    result = importing.import_feedback_xlsx(fx.inspection_sheet(), round_, org.users["office"])
    assert (result.problems, result.measures) == (6, 8)
    terms = list(Measure.objects.order_by("problem__number", "number").values_list("term", flat=True))
    assert terms.count(T.IMMEDIATE) == 2 and terms.count(T.LONG_TERM) == 1


@pytest.mark.parametrize(
    "header", ["巡察反馈问题", "巡视反馈问题", "反馈问题", "存在问题", "问题表现", "具体问题", "问题内容"]
)
def test_the_problem_column_by_any_of_its_names(round_, header):
    rows = [
        ["序号", header, "整改措施", "责任领导", "牵头科室", "时限类别"],
        [1, "问题甲", "措施甲", "李红梅", "行政审批科", "长期坚持"],
    ]
    preview = importing.validate(xlsx(rows), round_)
    assert preview.ok, messages(preview)
    assert preview.rows[0].values["problem"] == "问题甲"


def test_a_lone_ambiguous_header_is_read_by_its_content_and_flagged(round_):
    rows = [
        ["序号", "问题描述", "整改措施", "责任领导", "牵头科室", "类别", "完成时限"],
        [1, "问题甲", "措施甲", "李红梅", "行政审批科", "立行立改", "2026-04-30"],
        [2, "问题乙", "措施乙", "李红梅", "行政审批科", "限期整改", "2026-06-30"],
    ]
    preview = importing.validate(xlsx(rows), round_)
    assert preview.ok, messages(preview)
    assert preview.columns["term"] == 6 and "category" not in preview.columns
    notes = "\n".join(preview.mapping_notes)
    assert "F列“类别”" in notes and "时限类别" in notes


def test_a_deadline_before_the_feedback_date_is_an_error(round_):
    rows = [
        ["序号", "问题描述", "整改措施", "责任领导", "牵头科室", "时限类别", "完成时限"],
        [1, "问题甲", "措施甲", "李红梅", "行政审批科", "限期整改", "2025-06-30"],
    ]
    preview = importing.validate(xlsx(rows), round_)
    assert not preview.ok
    assert "第2行“完成时限”：整改时限2025-06-30早于本批次的反馈日期（2026-03-01）" in messages(preview)


def test_a_missing_column_names_the_header_rows(round_):
    top = ["序号", "问题", "责任分工", None, "备注"]
    sub = [None, None, "责任领导", "牵头单位", None]
    preview = importing.validate(xlsx([top, sub, [1, "问题甲", "李红梅", "办公室", ""]], merges=["C1:D1"]), round_)
    assert "表头（第1–2行）缺少必填列“整改措施”" in messages(preview)


def test_the_office_corrects_the_mapping_before_confirming(client, org, round_):
    rows = [
        ["序号", "问题描述", "整改措施", "责任领导", "牵头科室", "类别", "完成时限"],
        [1, "问题甲", "措施甲", "李红梅", "行政审批科", "作风建设", "2026-04-30"],
    ]
    data = xlsx(rows)
    login(client, org.users["office"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("rectification:import_feedback")
    r = client.post(url, {"round": round_.pk, "file": SimpleUploadedFile("清单.xlsx", data)})
    page = text_of(r)
    assert "F列“类别”" in page  # read as 问题类别, and said so
    pending = r.context["pending"].initial
    # The office says column F is not to be read, and confirms.
    mapping = {f"map-{c.index}": c.key or "" for c in r.context["preview"].mapping}
    mapping["map-6"] = ""
    r = client.post(url, {"token": pending["token"], "sha256": pending["sha256"], "remap": "1", **mapping})
    assert r.status_code == 200 and r.context["preview"].ok
    assert "category" not in r.context["preview"].columns
    r = client.post(url, {"token": pending["token"], "sha256": pending["sha256"], **mapping})
    assert r.status_code == 302
    assert Measure.objects.get().problem.category == ""


def test_the_import_page_links_to_a_new_round(client, org, round_):
    login(client, org.users["office"])
    page = client.get(reverse("rectification:import_feedback")).content.decode()
    assert 'href="/rectification/rounds/new/?next=import"' in page
    r = client.post(
        "/rectification/rounds/new/?next=import",
        {"source": "audit", "title": "审计反馈", "feedback_date": "2026-04-01"},
    )
    assert r.status_code == 302 and r["Location"].startswith("/rectification/import/?round=")
