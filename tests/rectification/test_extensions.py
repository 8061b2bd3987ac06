"""Deadline extensions (延期申请, issue 12 item 1): the lead department asks, the responsible
leader approves or refuses, the office confirms or extends directly; until then the
deadline and its warning stay; term and partners are the office's."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import Notice
from rectification import extensions, reminders, services
from rectification.models import Extension, Measure
from tests.conftest import login

from .ledger_support import Ledger, S, T, pdf_upload, text_of

A = extensions.Action


def request_url(m):
    return reverse("rectification:extension_request", args=[m.pk])


def decide_url(e, action):
    return reverse("rectification:extension_decide", args=[e.pk, action])


def deadline_of(m):
    return Measure.objects.get(pk=m.pk).deadline


def test_the_whole_path_through_the_pages(client, org):
    ledger = Ledger(org)
    u = org.users
    m = ledger.measure(deadline=ledger.days(5))
    old = m.deadline
    new = ledger.days(65)

    login(client, u["staff"])
    r = client.post(
        request_url(m),
        {
            "extension-new_deadline": new.isoformat(),
            "extension-reason": "需市平台配合",
            "extension-files": pdf_upload(),
        },
    )
    assert r.status_code == 302
    e = Extension.objects.get(measure=m)
    assert (e.status, e.old_deadline, e.new_deadline, e.days) == ("leader_review", old, new, 60)
    assert e.evidence.count() == 1
    assert deadline_of(m) == old  # nothing moves yet
    page = text_of(client.get(m.get_absolute_url()))
    assert "延期申请中" in page and "待责任领导审批" in page
    assert Notice.objects.filter(recipient=u["leader"], title__contains="延期申请").exists()
    # The ledger shows the request and keeps the warning of the current deadline.
    ledger_page = text_of(client.get(reverse("rectification:ledger")))
    assert "延期申请中" in ledger_page and "剩 5 天" in ledger_page

    # Another leader (not responsible, not overseeing) may not decide.
    login(client, u["other_leader"])
    assert client.post(decide_url(e, A.LEADER_APPROVE)).status_code in (403, 404)

    login(client, u["leader"])
    assert client.post(decide_url(e, A.LEADER_APPROVE), {"ext-leader_approve-comment": "同意"}).status_code == 302
    e.refresh_from_db()
    assert e.status == "office_review" and e.leader == u["leader"] and deadline_of(m) == old
    assert Notice.objects.filter(recipient=u["office"], title__contains="责任领导同意延期").exists()

    login(client, u["office"])
    assert client.post(decide_url(e, A.OFFICE_CONFIRM)).status_code == 302
    e.refresh_from_db()
    assert e.status == "approved" and e.decided_on is not None
    assert deadline_of(m) == new
    page = text_of(client.get(m.get_absolute_url()))
    assert "延期1次，共60天" in page
    assert "延期：需市平台配合" in page  # the history names the reason
    assert Notice.objects.filter(recipient=u["staff"], title__contains="延期已确认").exists()


def test_a_refusal_needs_a_reason_and_keeps_the_deadline(client, org):
    ledger = Ledger(org)
    m = ledger.measure()
    old = m.deadline
    e = extensions.request(m.pk, org.users["staff"], ledger.days(90), "人手不足")
    login(client, org.users["leader"])
    r = client.post(decide_url(e, A.LEADER_REFUSE), {"ext-leader_refuse-comment": "  "})
    assert r.status_code == 400
    assert "请说明不同意延期的理由" in text_of(r)
    assert client.post(decide_url(e, A.LEADER_REFUSE), {"ext-leader_refuse-comment": "理由不充分"}).status_code == 302
    e.refresh_from_db()
    assert e.status == "refused" and deadline_of(m) == old
    assert Notice.objects.filter(recipient=org.users["staff"], title__contains="延期未获同意").exists()


def test_who_may_ask(org):
    ledger = Ledger(org)
    led_by_b = ledger.measure(dept=org.dept_b, partners=[org.dept_a])
    # A partner department works on the measure but does not ask for its extension.
    with pytest.raises(PermissionDenied):
        extensions.request(led_by_b.pk, org.users["staff"], ledger.days(120), "配合科室想延期")
    extensions.request(led_by_b.pk, org.users["staff_b"], ledger.days(120), "牵头科室申请")
    # One pending request at a time.
    with pytest.raises(ValidationError):
        extensions.request(led_by_b.pk, org.users["head_b"], ledger.days(150), "再申请一次")
    long_term = ledger.measure(term=T.LONG_TERM)
    with pytest.raises(ValidationError):
        extensions.request(long_term.pk, org.users["staff"], ledger.days(30), "长期坚持")
    closed = ledger.measure(status=S.CLOSED)
    with pytest.raises(ValidationError):
        extensions.request(closed.pk, org.users["staff"], ledger.days(120), "已销号")


def test_the_new_date_must_be_later(client, org):
    ledger = Ledger(org)
    m = ledger.measure(deadline=ledger.days(30))
    login(client, org.users["head"])
    r = client.post(request_url(m), {"extension-new_deadline": ledger.days(10).isoformat(), "extension-reason": "x"})
    assert r.status_code == 400
    page = text_of(r)
    assert "新的整改时限须晚于现时限" in page
    assert "未保存，请更正" in page  # the error is summed up at the top of the page
    assert not Extension.objects.exists()


def test_the_office_extends_directly_with_a_reason(client, org):
    ledger = Ledger(org)
    m = ledger.measure(deadline=ledger.days(-3))
    login(client, org.users["office"])
    r = client.post(request_url(m), {"kind": "direct", "direct-new_deadline": ledger.days(30).isoformat()})
    assert r.status_code == 400 and deadline_of(m) == ledger.days(-3)
    r = client.post(
        request_url(m),
        {"kind": "direct", "direct-new_deadline": ledger.days(30).isoformat(), "direct-reason": "市政府统一部署调整"},
    )
    assert r.status_code == 302
    e = Extension.objects.get(measure=m)
    assert e.direct and e.status == "approved" and e.days == 33
    assert deadline_of(m) == ledger.days(30)
    # Staff cannot extend directly.
    login(client, org.users["staff"])
    r = client.post(request_url(m), {"kind": "direct", "direct-new_deadline": ledger.days(60).isoformat()})
    assert r.status_code == 403


def test_term_and_partners_are_the_offices(org):
    ledger = Ledger(org)
    m = ledger.measure()
    staff = org.users["staff"]
    with pytest.raises(PermissionDenied):
        services.update_measure(m.pk, staff, {"term": T.LONG_TERM, "deadline": None}, m.version)
    with pytest.raises(PermissionDenied):
        services.update_measure(m.pk, staff, {"note": "加个配合科室"}, m.version, partner_departments=[org.dept_b])
    with pytest.raises(PermissionDenied):
        services.update_measure(m.pk, staff, {"deadline": ledger.days(400)}, m.version, reason="想延后")
    m.refresh_from_db()
    assert m.term == T.DEADLINE and not m.partner_departments.exists()
    services.update_measure(m.pk, staff, {"note": "已对接"}, m.version)  # their own fields are fine
    office = org.users["office"]
    services.update_measure(m.pk, office, {"term": T.LONG_TERM, "deadline": None}, m.version + 1, reason="转为长期坚持")
    assert Measure.objects.get(pk=m.pk).term == T.LONG_TERM


def test_the_reviewer_whose_turn_it_is_is_reminded(org, monkeypatch):
    ledger = Ledger(org)
    m = ledger.measure()
    e = extensions.request(m.pk, org.users["staff"], ledger.days(120), "需配合")
    today = ledger.today
    same_day = list(reminders.extension_reminders(today))
    assert same_day == []  # the notice told the leader today
    items = list(reminders.extension_reminders(today + dt.timedelta(days=1)))
    assert [(i.recipient_id, i.kind) for i in items] == [(org.users["leader"].pk, "extension.leader_review")]
    monkeypatch.setattr("core.dates.today", lambda: today)
    extensions.decide(e.pk, org.users["leader"], A.LEADER_APPROVE)
    items = list(reminders.extension_reminders(today + dt.timedelta(days=2)))
    assert {i.recipient_id for i in items} == {org.users["office"].pk}
    assert all(i.kind == "extension.office_confirm" and "#extension" in i.link for i in items)


def test_the_ledger_filter_finds_pending_requests(client, org):
    ledger = Ledger(org)
    waiting = ledger.measure(description="等待审批的措施")
    ledger.measure(description="没有申请的措施")
    extensions.request(waiting.pk, org.users["staff"], ledger.days(120), "需配合")
    login(client, org.users["office"])
    page = text_of(client.get(reverse("rectification:ledger"), {"extension": "pending"}))
    assert "等待审批的措施" in page and "没有申请的措施" not in page
