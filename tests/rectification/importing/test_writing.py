"""Writing: all or nothing, numbered after the round's problems, history records the importer."""

import datetime as dt

import pytest

from rectification import importing
from rectification.models import Measure, Problem
from rectification.signals import ledger_changed

from .. import xlsx_fixtures as fx
from ..xlsx_fixtures import HEADER, row, xlsx
from .conftest import messages

pytestmark = pytest.mark.django_db


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


def test_one_bad_row_among_many_writes_nothing(round_):
    rows = [HEADER] + [
        row(i, "", f"问题{i}", "", "措施", "李红梅", "行政审批科", "", "", "长期坚持") for i in range(1, 50)
    ]
    rows.append(row(50, "", "问题50", "", "措施", "李红梅", "不存在科", "", "", "长期坚持"))
    with pytest.raises(importing.ImportInvalid) as caught:
        importing.import_feedback_xlsx(xlsx(rows), round_, None)
    assert caught.value.preview.messages() == ["第51行“牵头科室”：未知科室“不存在科”"]
    assert Problem.objects.count() == 0
