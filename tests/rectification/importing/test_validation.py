"""Validation: untidy sheets read as a person reads them, every bad row named by row and column."""

import datetime as dt

import pytest

from rectification import importing
from rectification.models import Measure, Problem

from .. import xlsx_fixtures as fx
from ..xlsx_fixtures import HEADER, row, xlsx
from .conftest import messages

pytestmark = pytest.mark.django_db


def test_untidy_sheet_is_read_as_a_person_would(round_, org):
    preview = importing.validate(fx.untidy(), round_)
    assert preview.ok, messages(preview)
    assert preview.header_row == 3
    # Three measures under the merged problem, two under the one with an empty cell.
    assert [len(p.rows) for p in preview.problems] == [3, 2, 1, 1]

    importing.import_feedback_xlsx(fx.untidy(), round_, org.users["office"])

    problems = list(Problem.objects.filter(round=round_).order_by("number"))
    assert [p.category for p in problems] == ["政治建设方面", "作风建设方面", "作风建设", "作风建设"]
    study = problems[0].measures.order_by("number")
    assert [m.description for m in study] == ["制定学习计划", "开展专题研讨", "建立学习长效机制"]
    assert all(m.responsible_leader.name == "李红梅" for m in study)  # " 李 红梅 " had stray spaces
    assert [m.deadline for m in study] == [dt.date(2026, 6, 30), dt.date(2026, 7, 15), None]
    assert [m.term for m in study] == ["deadline", "deadline", "long_term"]
    for m in study:  # 、 ， ; separated partners
        assert set(m.partner_departments.all()) == {org.dept_a, org.dept_b}
    approval = problems[1].measures.order_by("number")
    assert [m.deadline for m in approval] == [dt.date(2026, 6, 30), dt.date(2026, 8, 1)]
    assert approval[0].lead_department == org.dept_a  # " 行政审批科 "
    assert approval[0].responsible_person == org.users["staff"].cadre  # "staff "
    assert set(approval[1].partner_departments.all()) == {org.office_dept, org.dept_b}  # 办公室；执法监督科
    # No term given but a date: 限期整改. "2026年6月底前": end of June.
    assert problems[2].measures.get().term == "deadline"
    assert problems[3].measures.get().deadline == dt.date(2026, 6, 30)
    assert Measure.objects.count() == 7


def test_every_date_form_in_a_sheet(round_):
    dates = [dt.date(2026, 6, 30), "2026年6月30日", "2026.6.30", "2026/6/30", "2026-06-30"]
    rows = [HEADER] + [
        row(i, "", f"问题{i}", "", "措施", "李红梅", "行政审批科", "", "", "限期整改", d)
        for i, d in enumerate(dates, start=1)
    ]
    preview = importing.validate(xlsx(rows), round_)
    assert preview.ok, messages(preview)
    assert {r.deadline for r in preview.rows} == {dt.date(2026, 6, 30)}


def test_header_variants_and_two_row_header(round_):
    top = [
        "序号",
        "问题类别",
        "问题描述",
        "整改目标",
        "整改措施",
        "责任分工",
        None,
        None,
        None,
        "整改时限",
        None,
        "备注",
    ]
    sub = [None, None, None, None, None, "责任领导", "牵头单位", "配合单位", "具体责任人", "时限类别", "完成时间", None]
    data = row(1, "", "问题甲", "", "措施甲", "张志强", "执法监督科", "", "staff_b", "立行立改", "")
    preview = importing.validate(xlsx([top, sub, data], merges=["F1:I1", "J1:K1"]), round_)
    assert preview.ok, messages(preview)
    assert preview.rows[0].row == 3 and preview.rows[0].lead.name == "执法监督科"
    assert preview.rows[0].person.name == "staff_b"


def test_pre_numbered_empty_rows_are_skipped(round_):
    rows = [HEADER, row(1, "", "问题甲", "", "措施甲", "李红梅", "行政审批科", "", "", "长期坚持")]
    rows += [row(n) for n in range(2, 30)]
    preview = importing.validate(xlsx(rows), round_)
    assert preview.ok and preview.measure_count == 1


def test_reimport_of_the_same_problem_is_flagged(round_, org):
    importing.import_feedback_xlsx(fx.tidy(), round_, org.users["office"])
    preview = importing.validate(fx.tidy(), round_)
    assert "本批次已有相同的问题（第1号）" in "\n".join(preview.messages("warnings"))


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(round_):
    rows = [
        HEADER,
        row(
            1, "", "问题甲", "", "措施甲", "李红梅", "综合科", "办公室、宣传科", "王小明", "限期整改", "明年6月"
        ),  # row 2
        row("", "", "", "", "", "李红梅", "行政审批科", "", "", "长期坚持"),  # row 3
        row(2, "", "问题乙", "", "措施乙", "staff", "行政审批科", "", "", "限期整改", ""),  # row 4
        row(3, "", "问题丙", "", "措施丙", "", "", "", "", "马上办", ""),  # row 5
    ]
    data = xlsx(rows)
    preview = importing.validate(data, round_)
    assert not preview.ok
    text = messages(preview)
    for expected in [
        "第2行“牵头科室”：未知科室“综合科”",
        "第2行“配合科室”：未知科室“宣传科”",
        "第2行“责任人”：未知人员“王小明”",
        "第2行“完成时限”：无法识别的日期“明年6月”",
        "第3行“整改措施”：缺少整改措施",
        "第4行“责任领导”：“staff”不是局领导",
        "第4行“完成时限”：限期整改须填写完成时限",
        "第5行“责任领导”：缺少责任领导",
        "第5行“牵头科室”：缺少牵头科室",
        "第5行“时限类别”：无法识别的时限类别“马上办”",
    ]:
        assert expected in text, text
    with pytest.raises(importing.ImportInvalid):
        importing.import_feedback_xlsx(data, round_, None)
    assert Problem.objects.count() == 0 and Measure.objects.count() == 0


def test_ambiguous_names(round_, org):
    from tests.factories import CadreFactory

    CadreFactory(name="王伟", department=org.dept_a)
    CadreFactory(name="王伟", department=org.dept_b)
    CadreFactory(name="李红梅", department=org.dept_a, is_leader=True)
    rows = [
        HEADER,
        row(1, "", "问题甲", "", "措施甲", "张志强", "执法监督科", "", "王伟", "长期坚持"),  # settled by the department
        row(2, "", "问题乙", "", "措施乙", "张志强", "办公室", "", "王伟", "长期坚持"),
        row(3, "", "问题丙", "", "措施丙", "李红梅", "办公室", "", "", "长期坚持"),
    ]
    preview = importing.validate(xlsx(rows), round_)
    assert preview.rows[0].ok and preview.rows[0].person.department == org.dept_b
    text = messages(preview)
    assert "第3行“责任人”：人员“王伟”重名（2人：行政审批科、执法监督科），无法确定" in text, text
    assert "第4行“责任领导”：人员“李红梅”重名（2人），无法确定" in text, text


def test_missing_required_column(round_):
    header = [h for h in HEADER if h != "牵头科室"]
    preview = importing.validate(xlsx([header, ["1", "", "问题", "", "措施", "李红梅"]]), round_)
    assert preview.messages() == ["表头（第1行）缺少必填列“牵头科室”。"]


def test_no_header(round_):
    preview = importing.validate(xlsx([["姓名", "年龄"], ["张三", 30]]), round_)
    assert not preview.ok and "未找到表头" in messages(preview)


def test_header_without_rows(round_):
    preview = importing.validate(xlsx([HEADER]), round_)
    assert not preview.ok and "没有可导入的行" in messages(preview)
