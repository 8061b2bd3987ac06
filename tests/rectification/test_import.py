"""The feedback-list import: untidy sheets read right, bad files and rows refused with
Chinese messages naming row and column, all or nothing, history records the importer."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from rectification import importing
from rectification.models import InspectionRound, Measure, Problem
from rectification.signals import ledger_changed

from . import xlsx_fixtures as fx
from .xlsx_fixtures import HEADER, row, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(org):
    return InspectionRound.objects.create(
        source="municipal", title="市委第一巡察组反馈", feedback_date=dt.date(2026, 3, 1)
    )


def messages(preview):
    return "\n".join(preview.messages())


# ------------------------------------------------------------------- reading sheets


def test_tidy_sheet_imports_problems_and_measures(round_, org):
    preview = importing.validate(fx.tidy(), round_)
    assert preview.ok, messages(preview)
    assert (preview.problem_count, preview.measure_count) == (2, 3)

    result = importing.import_feedback_xlsx(fx.tidy(), round_, org.users["office"])

    assert (result.problems, result.measures) == (2, 3)
    first, second = Problem.objects.filter(round=round_).order_by("number")
    assert (first.number, first.category, first.description) == (1, "作风建设", "审批事项办理时限偏长")
    m = first.measures.get()
    assert m.goal == "办理时限压缩一半" and m.description == "压缩办理时限，公布办事指南"
    assert m.responsible_leader.name == "李红梅" and m.lead_department == org.dept_a
    assert list(m.partner_departments.all()) == [org.office_dept]
    assert m.responsible_person == org.users["staff"].cadre
    assert (m.term, m.deadline, m.status, m.note) == ("deadline", dt.date(2026, 6, 30), "not_started", "首批")
    immediate, long_term = second.measures.order_by("number")
    assert (immediate.number, immediate.term, immediate.deadline) == (1, "immediate", None)
    assert (long_term.number, long_term.term, long_term.deadline) == (2, "long_term", None)
    assert long_term.responsible_person is None


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


@pytest.mark.parametrize(
    "value, expected",
    [
        (dt.date(2026, 6, 30), dt.date(2026, 6, 30)),
        (dt.datetime(2026, 6, 30, 0, 0), dt.date(2026, 6, 30)),
        ("2026年6月30日", dt.date(2026, 6, 30)),
        ("2026.6.30", dt.date(2026, 6, 30)),
        ("2026/6/30", dt.date(2026, 6, 30)),
        ("2026-06-30", dt.date(2026, 6, 30)),
        ("２０２６年６月３０日", dt.date(2026, 6, 30)),
        (" 2026 年 6 月 30 日前", dt.date(2026, 6, 30)),
        ("2026-06-30 00:00:00", dt.date(2026, 6, 30)),
        ("20260630", dt.date(2026, 6, 30)),
        ("2026年6月底", dt.date(2026, 6, 30)),
        ("2026年2月", dt.date(2026, 2, 28)),
        ("2026年底", dt.date(2026, 12, 31)),
        (46203, dt.date(2026, 6, 30)),  # an Excel serial number in a General cell
    ],
)
def test_every_date_form(value, expected):
    assert importing.parse_date(value) == expected


@pytest.mark.parametrize("value", ["明年", "2026-02-30", "6月30日", "2026-13-01", "尽快"])
def test_unparseable_dates(value):
    with pytest.raises(ValueError):
        importing.parse_date(value)


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


def test_new_problems_are_numbered_after_the_rounds_existing_ones(round_, org):
    importing.import_feedback_xlsx(fx.tidy(), round_, org.users["office"])
    importing.import_feedback_xlsx(fx.untidy(), round_, org.users["office"])
    assert list(Problem.objects.filter(round=round_).order_by("number").values_list("number", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]


def test_reimport_of_the_same_problem_is_flagged(round_, org):
    importing.import_feedback_xlsx(fx.tidy(), round_, org.users["office"])
    preview = importing.validate(fx.tidy(), round_)
    assert "本批次已有相同的问题（第1号）" in "\n".join(preview.messages("warnings"))


def test_history_records_the_importer_and_partners(round_, org):
    office = org.users["office"]
    result = importing.import_feedback_xlsx(fx.tidy(), round_, office)
    m = Measure.objects.get(description="压缩办理时限，公布办事指南")
    record = m.history.get()
    assert record.history_user == office and record.history_change_reason == "导入"
    assert record.history_type == "+"
    assert [p.department for p in record.partner_departments.all()] == [org.office_dept]
    problem_record = m.problem.history.get()
    assert problem_record.history_user == office and problem_record.history_change_reason == "导入"
    assert len(result.measure_ids) == 3


def test_ledger_changed_is_sent_on_commit(round_, org, django_capture_on_commit_callbacks):
    seen = []

    def receiver(sender, measure_ids, **kwargs):
        seen.append(sorted(measure_ids))

    ledger_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            result = importing.import_feedback_xlsx(fx.tidy(), round_, org.users["office"])
            assert seen == []
    finally:
        ledger_changed.disconnect(receiver)
    assert seen == [sorted(result.measure_ids)]


# ------------------------------------------------------------------------ bad rows


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


def test_one_bad_row_among_many_writes_nothing(round_):
    rows = [HEADER] + [
        row(i, "", f"问题{i}", "", "措施", "李红梅", "行政审批科", "", "", "长期坚持") for i in range(1, 50)
    ]
    rows.append(row(50, "", "问题50", "", "措施", "李红梅", "不存在科", "", "", "长期坚持"))
    with pytest.raises(importing.ImportInvalid) as caught:
        importing.import_feedback_xlsx(xlsx(rows), round_, None)
    assert caught.value.preview.messages() == ["第51行“牵头科室”：未知科室“不存在科”"]
    assert Problem.objects.count() == 0


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


# ---------------------------------------------------------------------- bad files


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"just some text\n1,2,3\n", "不是 Excel 工作簿"),
        ("序号,问题描述\n1,问题".encode("gbk"), "不是 Excel 工作簿"),
        (fx.docx_renamed(), "不是 Excel 工作簿"),
        (b"PK\x03\x04broken zip", "已损坏"),
        (fx.encrypted(), "已加密"),
        (fx.old_xls(), "旧版"),
        (fx.zip_bomb(), "压缩炸弹"),
        (b"", "文件是空的"),
    ],
)
def test_refused_files(round_, data, expected):
    with pytest.raises(importing.ImportRefused) as caught:
        importing.validate(data, round_)
    assert expected in str(caught.value)
    assert Problem.objects.count() == 0


@override_settings(IMPORT_MAX_BYTES=1024)
def test_too_large(round_):
    with pytest.raises(importing.ImportRefused) as caught:
        importing.check_upload(fx.tidy())
    assert "文件过大" in str(caught.value)


# ------------------------------------------------------------------------ command


def test_command_imports(round_, org, tmp_path):
    path = tmp_path / "问题清单.xlsx"
    path.write_bytes(fx.untidy())
    out = StringIO()
    call_command("import_feedback", str(path), "--round", str(round_.pk), "--user", "office", stdout=out)
    assert "已导入 4 个问题、7 条整改措施" in out.getvalue()
    assert Measure.objects.count() == 7
    assert Measure.objects.first().history.get().history_user == org.users["office"]


def test_command_dry_run_writes_nothing(round_, tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(fx.tidy())
    out = StringIO()
    call_command("import_feedback", str(path), "--round", str(round_.pk), "--dry-run", stdout=out)
    assert "未导入" in out.getvalue() and Measure.objects.count() == 0


def test_command_fails_on_errors_and_writes_nothing(round_, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx([HEADER, row(1, "", "问题", "", "措施", "李红梅", "综合科", "", "", "长期坚持")]))
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_feedback", str(path), "--round", str(round_.pk), stdout=out, stderr=err)
    assert "未导入任何内容" in str(caught.value)
    assert "第2行“牵头科室”：未知科室“综合科”" in err.getvalue()
    assert Problem.objects.count() == 0


def test_command_exit_code(round_, tmp_path, monkeypatch):
    """Run as from the shell: exit status 1 on a refused file, nothing written."""
    from django.core.management import ManagementUtility, base

    # run_from_argv closes the database connections at the end, the test's own included.
    monkeypatch.setattr(base.connections, "close_all", lambda: None)

    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook")
    with pytest.raises(SystemExit) as caught:
        ManagementUtility(["manage.py", "import_feedback", str(path), "--round", str(round_.pk)]).execute()
    assert caught.value.code == 1
    assert Problem.objects.count() == 0
