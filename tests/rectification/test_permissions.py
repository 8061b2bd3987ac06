"""The permission matrix (issue 3, item 6): every action tried as every role of `org`.

Allowed: the action happens. Forbidden but visible: 403 with a Chinese reason, nothing
changes. Outside the user's scope: 404, nothing changes."""

import uuid
from types import SimpleNamespace

import pytest
from django.urls import reverse

from rectification import permissions, services, workflow
from rectification.models import Measure, Progress
from tests.conftest import login

from .ledger_support import Ledger, S, T, pdf_upload, text_of

ROLES = ["office", "admin", "leader", "other_leader", "head", "staff", "staff_b", "head_b", "hr"]
VISIBLE = {"office", "admin", "leader", "head", "staff"}
DEPT_A = {"office", "admin", "head", "staff"}
ALLOWED = {
    "view": VISIBLE,
    "edit": DEPT_A,
    "progress": DEPT_A,
    "start": DEPT_A,
    "submit": {"office", "admin", "head"},
    "leader_approve": {"office", "admin", "leader"},
    "office_confirm": {"office", "admin"},
    "stage_complete": {"office", "admin"},
    "return_submitted": {"office", "admin", "leader"},
    "return_approved": {"office", "admin"},
    "download": VISIBLE,
    "create": {"office", "admin"},
    "round_create": {"office", "admin"},
}
OBJECTLESS = {"create", "round_create"}


@pytest.fixture
def world(org):
    ledger = Ledger(org)
    w = SimpleNamespace(ledger=ledger, org=org)
    w.in_progress = ledger.measure(status=S.IN_PROGRESS)
    w.not_started = ledger.measure(status=S.NOT_STARTED)
    w.submitted = ledger.measure(status=S.SUBMITTED)
    w.approved = ledger.measure(status=S.LEADER_APPROVED)
    w.approved_long = ledger.measure(status=S.LEADER_APPROVED, term=T.LONG_TERM)
    entry, _ = services.add_progress(
        w.in_progress.pk, org.users["office"], text="已制定方案", files=[pdf_upload()], check=False
    )
    w.evidence = entry.evidence.get()
    return w


def edit_data(measure, **changes):
    data = {
        "problem": measure.problem_id,
        "number": measure.number,
        "goal": measure.goal,
        "description": measure.description,
        "responsible_leader": measure.responsible_leader_id,
        "lead_department": measure.lead_department_id,
        "responsible_person": measure.responsible_person_id or "",
        "term": measure.term,
        "deadline": measure.deadline.isoformat() if measure.deadline else "",
        "note": measure.note,
        "version": measure.version,
        "deadline_reason": "",
        "partner_departments": [d.pk for d in measure.partner_departments.all()],
    }
    data.update(changes)
    return data


def transition_url(measure, action):
    return reverse("rectification:transition", args=[measure.pk, action])


# action -> (measure attribute, request maker, check that it happened)
def _request(w, action):
    today = w.ledger.today.isoformat()
    if action == "view":
        return w.in_progress, "get", reverse("rectification:measure_detail", args=[w.in_progress.pk]), None
    if action == "edit":
        m = w.in_progress
        return m, "post", reverse("rectification:measure_edit", args=[m.pk]), edit_data(m, description="改过的措施")
    if action == "progress":
        m = w.in_progress
        return (
            m,
            "post",
            reverse("rectification:progress_add", args=[m.pk]),
            {"text": "新的进展", "date": today, "submission_token": str(uuid.uuid4())},
        )
    if action == "start":
        return w.not_started, "post", transition_url(w.not_started, "start"), {}
    if action == "submit":
        m = w.in_progress
        return (
            m,
            "post",
            transition_url(m, "submit"),
            {"summary": "已完成整改", "files": pdf_upload("完成报告.pdf", text="Report")},
        )
    if action == "leader_approve":
        return w.submitted, "post", transition_url(w.submitted, "leader_approve"), {"leader_approve-comment": "同意"}
    if action == "office_confirm":
        return w.approved, "post", transition_url(w.approved, "office_confirm"), {"office_confirm-comment": ""}
    if action == "stage_complete":
        return w.approved_long, "post", transition_url(w.approved_long, "stage_complete"), {}
    if action == "return_submitted":
        return w.submitted, "post", transition_url(w.submitted, "return"), {"return-comment": "材料不全"}
    if action == "return_approved":
        return w.approved, "post", transition_url(w.approved, "return"), {"return-comment": "材料不全"}
    if action == "download":
        return w.in_progress, "get", reverse("rectification:evidence_download", args=[w.evidence.pk]), None
    if action == "create":
        return None, "get", reverse("rectification:measure_create"), None
    if action == "round_create":
        return None, "get", reverse("rectification:round_create"), None
    raise AssertionError(action)


def _snapshot(measure):
    if measure is None:
        return None
    measure = Measure.objects.get(pk=measure.pk)
    return (measure.status, measure.description, measure.version, Progress.objects.filter(measure=measure).count())


@pytest.mark.parametrize("action", list(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_each_action_as_each_role(client, world, role, action):
    measure, method, url, data = _request(world, action)
    before = _snapshot(measure)
    login(client, world.org.users[role])
    response = client.get(url) if method == "get" else client.post(url, data)
    allowed = role in ALLOWED[action]
    if allowed:
        assert response.status_code in (200, 302), response.content[:500]
        if method == "post":
            assert _snapshot(measure) != before, "the allowed action changed nothing"
        return
    expected = 403 if (role in VISIBLE or action in OBJECTLESS) else 404
    assert response.status_code == expected
    if expected == 403:
        text = text_of(response)
        assert "403" in text and ("无权" in text or "只有" in text or "只能" in text), text[:300]
    assert _snapshot(measure) == before, "a refused action changed the measure"


def test_partner_department_staff_may_log_progress_but_its_head_may_not_submit(client, org):
    ledger = Ledger(org)
    # Led by dept_b, dept_a is a partner: dept_a's staff work on it, dept_b's head submits it.
    m = ledger.measure(dept=org.dept_b, leader="other_leader", person="staff_b", partners=[org.dept_a])
    assert permissions.can_edit(org.users["staff"], m)
    assert permissions.can_add_progress(org.users["staff"], m)
    assert not workflow.may_submit(org.users["head"], m)
    assert workflow.may_submit(org.users["head_b"], m)
    assert not workflow.may_leader_review(org.users["leader"], m)
    assert workflow.may_leader_review(org.users["other_leader"], m)

    login(client, org.users["head"])
    response = client.post(transition_url(m, "submit"), {"summary": "完成", "files": pdf_upload()})
    assert response.status_code == 403
    assert Measure.objects.get(pk=m.pk).status == S.IN_PROGRESS
    login(client, org.users["staff"])
    response = client.post(
        reverse("rectification:progress_add", args=[m.pk]),
        {"text": "配合完成", "date": ledger.today.isoformat(), "submission_token": str(uuid.uuid4())},
    )
    assert response.status_code == 302
    assert m.progress.count() == 1


def test_a_leader_reviews_what_they_are_responsible_for_outside_their_departments(client, org):
    ledger = Ledger(org)
    m = ledger.measure(dept=org.dept_b, leader="leader", person="staff_b", status=S.SUBMITTED)
    login(client, org.users["leader"])
    assert client.get(reverse("rectification:measure_detail", args=[m.pk])).status_code == 200
    response = client.post(transition_url(m, "leader_approve"), {"leader_approve-comment": "同意"})
    assert response.status_code == 302
    assert Measure.objects.get(pk=m.pk).status == S.LEADER_APPROVED


def test_what_a_user_may_do_follows_the_status(org):
    ledger = Ledger(org)
    m = ledger.measure(status=S.SUBMITTED)
    assert workflow.allowed(org.users["leader"], m) == ["leader_approve", "return"]
    assert "submit" not in workflow.allowed(org.users["head"], m)
    m.status = S.CLOSED
    staff, hr = org.users["staff"], org.users["hr"]
    assert permissions.can_edit(staff, m) and not permissions.can_add_progress(staff, m)
    assert workflow.allowed(staff, m) == []
    assert not permissions.can_edit(hr, m) and not permissions.can_add_progress(hr, m)
    assert workflow.allowed(hr, m) == []


def test_anonymous_users_are_sent_to_the_login_page(client, world):
    for url in [
        reverse("rectification:ledger"),
        reverse("rectification:measure_detail", args=[world.in_progress.pk]),
        reverse("rectification:evidence_download", args=[world.evidence.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_service_refuses_whoever_calls_it(org):
    ledger = Ledger(org)
    m = ledger.measure(status=S.SUBMITTED)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        workflow.leader_approve(m.pk, org.users["staff"])
    with pytest.raises(PermissionDenied):
        services.add_progress(m.pk, org.users["staff_b"], text="越权填报")
    assert Measure.objects.get(pk=m.pk).status == S.SUBMITTED
