"""History of a measure (issue 3, items 1 and 5): who, when, field, old → new, in Chinese,
for changes made in a request and outside one (commands, imports, tasks)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from rectification import history, services, workflow
from rectification.models import Measure
from tests.conftest import login

from .ledger_support import Ledger, S, pdf_upload, text_of
from .test_permissions import edit_data


def test_a_status_change_reads_as_a_sentence(org):
    m = Ledger(org).measure(status=S.IN_PROGRESS)
    workflow.submit(m.pk, org.users["head"], "完成了", [pdf_upload()])
    entry = history.measure_timeline(m)[0]
    assert entry.who == "head"
    assert "状态：整改中 → 申请销号" in str(entry)
    when = timezone.localtime(entry.when)
    assert str(entry).startswith(f"{when.year}年{when.month}月{when.day}日 {when:%H:%M} head")


def test_changing_the_deadline_needs_a_reason_that_the_history_keeps(client, org):
    ledger = Ledger(org)
    m = ledger.measure(deadline=dt.date(2026, 6, 30))
    login(client, org.users["office"])
    url = reverse("rectification:measure_edit", args=[m.pk])
    r = client.post(url, edit_data(m, deadline="2026-09-30"))
    assert r.status_code == 400
    assert "请填写调整整改时限的原因" in text_of(r)
    assert Measure.objects.get(pk=m.pk).deadline == dt.date(2026, 6, 30)

    r = client.post(url, edit_data(m, deadline="2026-09-30", deadline_reason="需与市平台对接"))
    assert r.status_code == 302
    assert Measure.objects.get(pk=m.pk).deadline == dt.date(2026, 9, 30)
    page = text_of(client.get(m.get_absolute_url()))
    assert "整改时限：2026年6月30日 → 2026年9月30日" in page
    assert "延期原因：需与市平台对接" in page
    assert "office" in page
    # A later date set by the office counts as an extension of 92 days.
    assert "延期1次，共92天" in page


def test_staff_cannot_move_the_deadline_on_the_edit_form(client, org):
    m = Ledger(org).measure(deadline=dt.date(2026, 6, 30))
    login(client, org.users["staff"])
    url = reverse("rectification:measure_edit", args=[m.pk])
    r = client.post(url, edit_data(m, deadline="2027-03-31", term="long_term", deadline_reason="来不及"))
    assert r.status_code == 302  # the other fields are saved; deadline and term are not the staff's
    m.refresh_from_db()
    assert (m.deadline, m.term) == (dt.date(2026, 6, 30), "deadline")


def test_the_service_refuses_a_deadline_change_without_reason(org):
    m = Ledger(org).measure(deadline=dt.date(2026, 6, 30))
    with pytest.raises(ValidationError):
        services.change_deadline(m.pk, org.users["office"], dt.date(2026, 12, 31), "  ")
    assert Measure.objects.get(pk=m.pk).deadline == dt.date(2026, 6, 30)


def test_changes_outside_a_request_name_their_actor(org):
    """A command or a Celery task calls the service with an actor: no request, same history."""
    m = Ledger(org).measure(deadline=dt.date(2026, 6, 30))
    services.change_deadline(m.pk, org.users["office"], dt.date(2026, 7, 31), "上级要求调整")
    services.update_measure(
        m.pk, org.users["office"], {"responsible_person": org.users["head"].cadre}, Measure.objects.get(pk=m.pk).version
    )
    entries = history.measure_timeline(m)
    texts = [str(e) for e in entries]
    assert any("office 责任人：staff → head" in t for t in texts), texts
    assert any("整改时限：2026年6月30日 → 2026年7月31日" in t and "延期原因：上级要求调整" in t for t in texts), texts


def test_partner_departments_and_choices_are_shown_by_name(org):
    m = Ledger(org).measure()
    services.update_measure(
        m.pk, org.users["office"], {"term": Measure.Term.IMMEDIATE}, m.version, partner_departments=[org.dept_b]
    )
    latest = history.measure_timeline(m)[0]
    text = str(latest)
    assert "时限类别：限期整改 → 立行立改" in text
    assert "配合科室：— → 执法监督科" in text


def test_problem_changes_appear_on_its_measures(org):
    m = Ledger(org).measure(problem_text="旧的问题描述")
    problem = m.problem
    problem.description = "新的问题描述"
    services.save_problem(problem, org.users["office"])
    entry = history.measure_timeline(m)[0]
    assert entry.subject == "problem"
    assert "问题描述：旧的问题描述 → 新的问题描述" in str(entry)


def test_the_timeline_is_shown_only_to_who_may_see_the_measure(client, org):
    m = Ledger(org).measure()
    login(client, org.users["staff_b"])
    assert client.get(m.get_absolute_url()).status_code == 404
