"""The sign-off workflow (issue 3, item 4), through the pages as each person does it."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import Notice
from rectification import services, workflow
from rectification.models import Measure, SignoffStep
from rectification.signals import ledger_changed
from tests.conftest import login

from .ledger_support import Ledger, S, T, pdf_upload, text_of


def post(client, user, url, data=None):
    login(client, user)
    return client.post(url, data or {})


def step_url(m, action):
    return reverse("rectification:transition", args=[m.pk, action])


def status_of(m):
    return Measure.objects.get(pk=m.pk).status


def test_from_not_started_to_signed_off(client, org, django_capture_on_commit_callbacks):
    ledger = Ledger(org)
    u = org.users
    m = ledger.measure(status=S.NOT_STARTED)
    progress_url = reverse("rectification:progress_add", args=[m.pk])

    # The first progress entry starts the rectification.
    r = post(
        client,
        u["staff"],
        progress_url,
        {
            "text": "召开专题会议",
            "date": ledger.today.isoformat(),
            "percent": "30",
            "submission_token": str(uuid.uuid4()),
        },
    )
    assert r.status_code == 302
    assert status_of(m) == S.IN_PROGRESS

    # The head submits a completion summary with evidence; the responsible leader is told.
    with django_capture_on_commit_callbacks(execute=True):
        r = post(
            client, u["head"], step_url(m, "submit"), {"summary": "制度已印发", "files": pdf_upload("制度文件.pdf")}
        )
    assert r.status_code == 302
    assert status_of(m) == S.SUBMITTED
    assert Notice.objects.filter(recipient=u["leader"], link=m.get_absolute_url()).exists()
    assert m.evidence.filter(original_name="制度文件.pdf").exists()

    # The leader approves; the office is told.
    r = post(client, u["leader"], step_url(m, "leader_approve"), {"leader_approve-comment": "同意销号"})
    assert status_of(m) == S.LEADER_APPROVED
    assert Notice.objects.filter(recipient=u["office"], link=m.get_absolute_url()).exists()

    # The office confirms: 已销号 with the completion date.
    r = post(client, u["office"], step_url(m, "office_confirm"), {"office_confirm-comment": "经审核同意"})
    assert r.status_code == 302
    m.refresh_from_db()
    assert m.status == S.CLOSED and m.completed_on == ledger.today

    steps = list(SignoffStep.objects.filter(measure=m).values_list("action", "actor__username", "comment"))
    assert steps == [
        ("start", "staff", "填报首条进展，启动整改。"),
        ("submit", "head", "制度已印发"),
        ("leader_approve", "leader", "同意销号"),
        ("office_confirm", "office", "经审核同意"),
    ]
    page = text_of(client.get(m.get_absolute_url()))
    assert "已销号" in page and "同意销号" in page and "经审核同意" in page
    # No progress on a closed measure.
    r = post(
        client,
        u["staff"],
        progress_url,
        {"text": "又一条", "date": ledger.today.isoformat(), "submission_token": str(uuid.uuid4())},
    )
    assert r.status_code == 403


def test_every_write_announces_itself_after_commit(org, django_capture_on_commit_callbacks):
    ledger = Ledger(org)
    m = ledger.measure(status=S.SUBMITTED)
    seen = []

    def receiver(sender, measure_ids, **kwargs):
        seen.append(measure_ids)

    ledger_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            workflow.leader_approve(m.pk, org.users["leader"])
        assert seen == []  # not before the commit
        for callback in callbacks:
            callback()
        assert seen == [[m.pk]]
    finally:
        ledger_changed.disconnect(receiver)


@pytest.mark.parametrize(
    "status,action",
    [
        (S.IN_PROGRESS, "office_confirm"),
        (S.IN_PROGRESS, "leader_approve"),
        (S.NOT_STARTED, "submit"),
        (S.SUBMITTED, "submit"),
        (S.SUBMITTED, "office_confirm"),
        (S.CLOSED, "return"),
        (S.CLOSED, "start"),
        (S.LEADER_APPROVED, "leader_approve"),
    ],
)
def test_an_invalid_transition_is_refused_with_a_message(client, org, status, action):
    m = Ledger(org).measure(status=status)
    data = {"summary": "完成", "files": pdf_upload(), f"{action}-comment": "理由"}
    r = post(client, org.users["office"], step_url(m, action), data)
    assert r.status_code == 302
    assert status_of(m) == status
    page = text_of(client.get(m.get_absolute_url()))
    assert "现在不能" in page
    assert not SignoffStep.objects.filter(measure=m).exists()


def test_an_unknown_action_is_not_found(client, org):
    m = Ledger(org).measure()
    assert post(client, org.users["office"], step_url(m, "close_everything")).status_code == 404


def test_returning_needs_a_reason_and_goes_back_to_the_department(client, org):
    m = Ledger(org).measure(status=S.IN_PROGRESS)
    u = org.users
    workflow.submit(m.pk, u["head"], "完成了", [pdf_upload()])
    r = post(client, u["leader"], step_url(m, "return"), {"return-comment": "  "})
    assert r.status_code == 400
    assert "请填写退回原因" in text_of(r)
    assert status_of(m) == S.SUBMITTED

    r = post(client, u["leader"], step_url(m, "return"), {"return-comment": "佐证材料不完整"})
    assert r.status_code == 302
    assert status_of(m) == S.IN_PROGRESS
    step = SignoffStep.objects.filter(measure=m).last()
    assert (step.action, step.comment, step.actor) == ("return", "佐证材料不完整", u["leader"])
    # The head who submitted and the responsible person both hear of it.
    assert Notice.objects.filter(recipient=u["head"], title__contains="已退回").exists()
    assert Notice.objects.filter(recipient=u["staff"], title__contains="已退回").exists()
    # The service refuses an empty reason too.
    workflow.submit(m.pk, u["head"], "补充了材料")
    with pytest.raises(ValidationError):
        workflow.return_measure(m.pk, u["office"], "")


def test_the_office_may_return_after_the_leader_approved(client, org):
    m = Ledger(org).measure(status=S.LEADER_APPROVED)
    r = post(client, org.users["office"], step_url(m, "return"), {"return-comment": "成效不明显"})
    assert r.status_code == 302
    assert status_of(m) == S.IN_PROGRESS


def test_submitting_needs_a_summary_and_evidence(client, org):
    m = Ledger(org).measure(status=S.IN_PROGRESS)
    r = post(client, org.users["head"], step_url(m, "submit"), {"summary": "已完成"})
    assert r.status_code == 400
    assert "至少需要一份佐证材料" in text_of(r)
    r = post(client, org.users["head"], step_url(m, "submit"), {"summary": "", "files": pdf_upload()})
    assert r.status_code == 400
    assert status_of(m) == S.IN_PROGRESS
    assert not m.evidence.exists()  # nothing half-written


def test_evidence_already_uploaded_counts_for_the_submission(client, org):
    m = Ledger(org).measure(status=S.IN_PROGRESS)
    services.add_progress(m.pk, org.users["staff"], text="上传方案", files=[pdf_upload()])
    r = post(client, org.users["head"], step_url(m, "submit"), {"summary": "全部完成"})
    assert r.status_code == 302
    assert status_of(m) == S.SUBMITTED


def test_long_term_measures_reach_stage_complete_and_keep_reporting(client, org):
    ledger = Ledger(org)
    m = ledger.measure(status=S.LEADER_APPROVED, term=T.LONG_TERM)
    r = post(client, org.users["office"], step_url(m, "office_confirm"), {})
    assert status_of(m) == S.LEADER_APPROVED
    assert "长期坚持的措施不销号" in text_of(client.get(m.get_absolute_url()))

    r = post(client, org.users["office"], step_url(m, "stage_complete"), {"stage_complete-comment": "转入常态化"})
    assert r.status_code == 302
    m.refresh_from_db()
    assert m.status == S.STAGE_COMPLETE and m.completed_on == ledger.today
    # Still reporting.
    r = post(
        client,
        org.users["staff"],
        reverse("rectification:progress_add", args=[m.pk]),
        {"text": "本季度持续推进", "date": ledger.today.isoformat(), "submission_token": str(uuid.uuid4())},
    )
    assert r.status_code == 302
    assert m.progress.count() == 1
    assert status_of(m) == S.STAGE_COMPLETE

    # A measure with a deadline is closed, never "stage complete".
    d = ledger.measure(status=S.LEADER_APPROVED, term=T.DEADLINE)
    post(client, org.users["office"], step_url(d, "stage_complete"), {})
    assert status_of(d) == S.LEADER_APPROVED


def test_the_measure_page_offers_only_what_this_user_may_do(client, org):
    m = Ledger(org).measure(status=S.SUBMITTED)
    login(client, org.users["leader"])
    html = client.get(m.get_absolute_url()).content.decode()
    assert 'id="form-leader_approve"' in html and 'id="form-return"' in html
    assert 'id="submit-form"' not in html and 'id="form-office_confirm"' not in html
    login(client, org.users["staff"])
    html = client.get(m.get_absolute_url()).content.decode()
    assert 'id="form-leader_approve"' not in html and 'id="progress-form"' in html


def test_options_say_what_a_user_may_do_now_and_why_not(org):
    m = Ledger(org).measure(status=S.SUBMITTED)
    by_action = {o.action: o for o in workflow.options(org.users["leader"], m)}
    assert [a for a, o in by_action.items() if o.allowed] == ["leader_approve", "return"]
    assert "无权" in by_action["submit"].reason  # a leader never submits
    office_submit = workflow.option(org.users["office"], m, workflow.Action.SUBMIT)
    assert not office_submit.allowed and "现在不能" in office_submit.reason  # the office may, but not now
    staff_submit = workflow.option(org.users["staff"], m, workflow.Action.SUBMIT)
    assert not staff_submit.allowed and "无权" in staff_submit.reason
    with pytest.raises(PermissionDenied):
        workflow.check(org.users["staff"], m, workflow.Action.LEADER_APPROVE)
    with pytest.raises(workflow.WorkflowError):
        workflow.check(org.users["office"], m, workflow.Action.OFFICE_CONFIRM)
