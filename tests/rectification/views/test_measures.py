"""A measure's page, the home page's way to it, creating a measure, 404 outside scope."""

from django.urls import reverse

from rectification.models import Measure, Problem
from tests.conftest import login

from ..ledger_support import Ledger, S, T, text_of


def test_the_measure_page_shows_everything_about_the_measure(client, org, ledger):
    m = ledger.a_overdue
    login(client, org.users["staff"])
    r = client.get(m.get_absolute_url())
    text = text_of(r)
    for expected in [
        "窗口服务效率不高",
        "整改窗口作风问题",
        "李红梅",
        "行政审批科",
        "逾期 5 天",
        "整改中",
        "限期整改",
        "整改进展",
        "佐证材料",
        "销号流程记录",
        "变更记录",
    ]:
        assert expected in text, expected
    html = r.content.decode()
    assert 'id="progress"' in html and 'enctype="multipart/form-data"' in html
    assert f'name="date" value="{ledger.today.isoformat()}"' in html


def test_the_home_page_leads_to_the_progress_form_in_one_click(client, org, ledger):
    login(client, org.users["staff"])
    home = client.get("/").content.decode()
    link = ledger.a_overdue.get_absolute_url()
    assert f'href="{link}#progress"' in home  # straight to the progress form
    assert 'id="progress-form"' in client.get(link).content.decode()


def test_the_office_creates_a_measure(client, org):
    ledger = Ledger(org)
    problem = Problem.objects.create(round=ledger.round, number=7, description="审批时限偏长")
    login(client, org.users["office"])
    url = reverse("rectification:measure_create")
    assert client.get(url + f"?problem={problem.pk}").status_code == 200
    data = {
        "problem": problem.pk,
        "number": "",
        "goal": "压缩时限",
        "description": "梳理审批事项，压缩办理时限",
        "responsible_leader": org.users["leader"].cadre.pk,
        "lead_department": org.dept_a.pk,
        "partner_departments": [org.dept_b.pk],
        "responsible_person": org.users["staff"].cadre.pk,
        "term": T.DEADLINE,
        "deadline": "",
        "note": "",
    }
    r = client.post(url, data)
    assert r.status_code == 200
    assert "立行立改、限期整改的措施必须填写整改时限" in text_of(r)
    assert "梳理审批事项，压缩办理时限" in r.content.decode()  # kept
    data["deadline"] = "2026-12-31"
    r = client.post(url, data)
    m = Measure.objects.get(description="梳理审批事项，压缩办理时限")
    assert r["Location"] == m.get_absolute_url()
    assert (m.number, m.status, list(m.partner_departments.all())) == (1, S.NOT_STARTED, [org.dept_b])
    assert m.history.first().history_user == org.users["office"]


def test_an_unknown_measure_is_not_found(client, org):
    login(client, org.users["office"])
    assert client.get(reverse("rectification:measure_detail", args=[4242])).status_code == 404
