"""Rounds and their problems: set up by the office, shown within scope."""

from django.urls import reverse

from rectification.models import InspectionRound, Problem
from tests.conftest import login

from ..ledger_support import text_of


def test_the_office_sets_up_a_round_and_its_problems(client, org):
    login(client, org.users["office"])
    r = client.post(
        reverse("rectification:round_create"),
        {
            "source": InspectionRound.Source.AUDIT,
            "title": "2026年度经济责任审计反馈",
            "feedback_date": "2026-03-01",
            "document_number": "审计〔2026〕3号",
            "report_due": "2026-06-01",
        },
    )
    round_ = InspectionRound.objects.get(title="2026年度经济责任审计反馈")
    assert r["Location"] == round_.get_absolute_url()
    r = client.post(
        reverse("rectification:problem_create", args=[round_.pk]),
        {"number": "", "category": "财务管理", "description": "公务卡使用不规范"},
    )
    assert r.status_code == 302
    problem = Problem.objects.get(round=round_)
    assert problem.number == 1
    r = client.post(
        reverse("rectification:problem_edit", args=[problem.pk]),
        {"number": "1", "category": "财务管理", "description": "公务卡结算不规范"},
    )
    assert r.status_code == 302
    assert "公务卡结算不规范" in text_of(client.get(round_.get_absolute_url()))
    assert "审计" in text_of(client.get(reverse("rectification:round_list")))


def test_rounds_show_only_what_the_user_may_see(client, org, ledger):
    login(client, org.users["staff_b"])
    text = text_of(client.get(ledger.round.get_absolute_url()))
    assert "整改窗口作风问题" not in text  # dept_a's measures
    r = client.get(reverse("rectification:round_list"))
    assert r.status_code == 200
    login(client, org.users["hr"])
    assert client.get(ledger.round.get_absolute_url()).status_code == 404
