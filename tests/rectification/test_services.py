"""Conflict-safe editing and double submits (issue 3, item 7)."""

import uuid

from django.urls import reverse

from rectification import services, workflow
from rectification.models import Measure, Progress
from tests.conftest import login

from .ledger_support import Ledger, pdf_upload, text_of
from .test_permissions import edit_data


def test_an_edit_of_a_measure_changed_meanwhile_shows_both_versions_and_loses_nothing(client, org):
    m = Ledger(org).measure(description="原措施")
    login(client, org.users["staff"])
    url = reverse("rectification:measure_edit", args=[m.pk])
    opened = client.get(url)
    assert f'name="version" value="{m.version}"' in opened.content.decode()
    mine = edit_data(m, description="我改的措施", note="我的备注")

    # Meanwhile the head saves another change.
    services.update_measure(m.pk, org.users["head"], {"description": "科长改的措施"}, m.version)

    r = client.post(url, mine)
    assert r.status_code == 409
    text = text_of(r)
    assert "您的修改尚未保存" in text
    assert "我改的措施" in text and "科长改的措施" in text  # both versions
    html = r.content.decode()
    assert "我的备注" in html  # the form still carries what was typed
    saved = Measure.objects.get(pk=m.pk)
    assert saved.description == "科长改的措施"  # theirs is intact

    # The form now carries the current version: saving again is a deliberate overwrite.
    again = dict(mine, version=saved.version)
    r = client.post(url, again)
    assert r.status_code == 302
    saved.refresh_from_db()
    assert saved.description == "我改的措施" and saved.note == "我的备注"


def test_the_service_raises_a_conflict_for_a_stale_version(org):
    m = Ledger(org).measure()
    services.update_measure(m.pk, org.users["office"], {"note": "第一次"}, m.version)
    try:
        services.update_measure(m.pk, org.users["office"], {"note": "第二次"}, m.version)
    except services.ConflictError as exc:
        assert exc.current.note == "第一次"
    else:
        raise AssertionError("no conflict raised")


def test_a_workflow_step_also_moves_the_version(org):
    m = Ledger(org).measure()
    version = m.version
    workflow.submit(m.pk, org.users["head"], "完成", [pdf_upload()])
    assert Measure.objects.get(pk=m.pk).version > version


def test_a_double_submitted_progress_form_creates_one_entry(client, org):
    ledger = Ledger(org)
    m = ledger.measure()
    login(client, org.users["staff"])
    url = reverse("rectification:progress_add", args=[m.pk])
    token = str(uuid.uuid4())
    first = client.post(
        url, {"text": "开展自查", "date": ledger.today.isoformat(), "submission_token": token, "files": pdf_upload()}
    )
    second = client.post(
        url, {"text": "开展自查", "date": ledger.today.isoformat(), "submission_token": token, "files": pdf_upload()}
    )
    assert first.status_code == second.status_code == 302
    assert Progress.objects.filter(measure=m).count() == 1
    assert m.evidence.count() == 1
    assert "未重复添加" in text_of(client.get(second["Location"]))


def test_the_service_is_idempotent_on_the_token(org):
    m = Ledger(org).measure()
    token = uuid.uuid4()
    a, created_a = services.add_progress(m.pk, org.users["staff"], text="一", token=token)
    b, created_b = services.add_progress(m.pk, org.users["staff"], text="一", token=token)
    assert created_a and not created_b and a.pk == b.pk


def test_the_progress_form_carries_a_fresh_token_each_time(client, org):
    m = Ledger(org).measure()
    login(client, org.users["staff"])
    tokens = []
    for _ in range(2):
        html = client.get(m.get_absolute_url()).content.decode()
        start = html.index('name="submission_token" value="') + len('name="submission_token" value="')
        tokens.append(html[start : start + 36])
    assert tokens[0] != tokens[1]
    uuid.UUID(tokens[0])
