"""The forms say what is wrong at the field, in Chinese (issue 3, items 2, 3, 5)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from core import dates
from rectification.forms import MeasureForm, ProblemForm, ProgressForm, ReviewForm, RoundForm, SubmitForm
from rectification.models import InspectionRound, Problem

from .ledger_support import Ledger, S, T, pdf_upload, png_upload


def test_progress_form_defaults_to_today_and_a_token():
    form = ProgressForm()
    assert form.initial["date"] == dates.today()
    assert form.initial["submission_token"]
    assert form.fields["files"].widget.attrs["multiple"]
    assert ".pdf" in form.fields["files"].widget.attrs["accept"]


def _progress(data, files=None):
    base = {
        "text": "已完成自查",
        "date": dates.today().isoformat(),
        "submission_token": "5f1c9c8e-5d6e-4f55-9a8e-4d7c1b2a3e4f",
    }
    base.update(data)
    return ProgressForm(base, MultiValueDict({"files": files or []}))


def test_progress_form_accepts_several_files(db):
    form = _progress({"percent": "60"}, [pdf_upload(), png_upload()])
    assert form.is_valid(), form.errors
    assert len(form.cleaned_data["files"]) == 2
    assert form.cleaned_data["percent"] == 60


def test_progress_form_errors_are_at_the_field(db):
    form = _progress(
        {"text": "", "date": (dates.today() + dt.timedelta(days=1)).isoformat(), "percent": "120"},
        [SimpleUploadedFile("说明.txt", b"hello")],
    )
    assert not form.is_valid()
    assert form.errors["text"] == ["这个字段是必填项。"]
    assert form.errors["date"] == ["进展日期不能晚于今天。"]
    assert "100" in form.errors["percent"][0]
    assert "“说明.txt”：不支持此类文件" in form.errors["files"][0]


def test_submit_form_needs_a_summary():
    form = SubmitForm({"summary": ""})
    assert not form.is_valid()
    assert "summary" in form.errors


def test_return_needs_a_reason_but_approval_does_not():
    assert not ReviewForm({"return-comment": ""}, action="return", prefix="return").is_valid()
    form = ReviewForm({"return-comment": ""}, action="return", prefix="return")
    form.is_valid()
    assert form.errors["comment"] == ["请填写退回原因。"]
    assert ReviewForm({"leader_approve-comment": ""}, action="leader_approve", prefix="leader_approve").is_valid()


def _measure_data(ledger, **changes):
    org = ledger.org
    problem, _ = Problem.objects.get_or_create(round=ledger.round, number=99, defaults={"description": "问题"})
    data = {
        "problem": problem.pk,
        "number": "",
        "goal": "",
        "description": "建立台账",
        "responsible_leader": org.users["leader"].cadre.pk,
        "lead_department": org.dept_a.pk,
        "responsible_person": org.users["staff"].cadre.pk,
        "term": T.DEADLINE,
        "deadline": "2026-12-31",
        "note": "",
    }
    data.update(changes)
    return data


def test_measure_form_numbers_a_new_measure_after_the_last(org):
    ledger = Ledger(org)
    form = MeasureForm(_measure_data(ledger))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["number"] == 1


def test_a_measure_with_a_term_other_than_long_term_needs_a_deadline(org):
    ledger = Ledger(org)
    form = MeasureForm(_measure_data(ledger, deadline=""))
    assert not form.is_valid()
    assert form.errors["deadline"] == ["立行立改、限期整改的措施必须填写整改时限。"]
    assert MeasureForm(_measure_data(ledger, deadline="", term=T.LONG_TERM)).is_valid()


def test_the_lead_department_is_not_a_partner(org):
    ledger = Ledger(org)
    form = MeasureForm(_measure_data(ledger, partner_departments=[org.dept_a.pk, org.dept_b.pk]))
    assert not form.is_valid()
    assert "牵头科室不能同时作为配合科室" in form.errors["partner_departments"][0]


def test_a_bad_date_is_named(org):
    form = MeasureForm(_measure_data(Ledger(org), deadline="2026-13-45"))
    assert not form.is_valid()
    assert form.errors["deadline"] == ["输入一个有效的日期。"]


def test_editing_the_deadline_needs_a_reason(org):
    ledger = Ledger(org)
    m = ledger.measure(status=S.IN_PROGRESS, deadline=dt.date(2026, 6, 30))
    data = _measure_data(ledger, problem=m.problem_id, number=m.number, deadline="2026-08-31", version=m.version)
    form = MeasureForm(data, instance=m)
    assert not form.is_valid()
    assert "deadline_reason" in form.errors
    data["deadline_reason"] = "因上级政策调整"
    assert MeasureForm(data, instance=m).is_valid()


def test_department_users_cannot_move_a_measure_to_another_department(org):
    ledger = Ledger(org)
    m = ledger.measure()
    data = _measure_data(
        ledger,
        problem=m.problem_id,
        number=m.number,
        lead_department=org.dept_b.pk,
        deadline=m.deadline.isoformat(),
        version=m.version,
    )
    form = MeasureForm(data, instance=m, office=False)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["lead_department"] == org.dept_a


def test_round_form_checks_the_report_date(db):
    form = RoundForm(
        {
            "source": InspectionRound.Source.MUNICIPAL,
            "title": "巡察反馈",
            "feedback_date": "2026-03-01",
            "report_due": "2026-02-01",
        }
    )
    assert not form.is_valid()
    assert form.errors["report_due"] == ["报告报送时限不能早于反馈日期。"]


def test_problem_form_refuses_a_taken_number_and_numbers_the_next(org):
    ledger = Ledger(org)
    ledger.measure()  # problem 1 in ledger.round
    form = ProblemForm(
        {"number": "1", "description": "重复"}, instance=Problem(round=ledger.round), round_=ledger.round
    )
    assert not form.is_valid()
    assert form.errors["number"] == ["本批次已有序号为 1 的问题。"]
    form = ProblemForm(
        {"number": "", "description": "新问题"}, instance=Problem(round=ledger.round), round_=ledger.round
    )
    assert form.is_valid()
    assert form.cleaned_data["number"] == 2
