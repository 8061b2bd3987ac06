"""The ledger pages as their users see them (issue 3, item 2)."""

import datetime as dt
import re

import pytest
from django.http import QueryDict
from django.urls import reverse

from rectification.filters import MeasureFilter
from rectification.models import InspectionRound, Measure, Problem
from rectification.selectors import visible_measures
from tests.conftest import login

from .ledger_support import Ledger, S, T, text_of


def shown_count(response) -> int:
    match = re.search(r'id="ledger-count">\s*共 (\d+) 项措施', response.content.decode())
    assert match, "the ledger shows no count"
    return int(match.group(1))


def codes(response):
    return re.findall(
        r'<td class="nowrap cell-code"><a href="/rectification/measures/(\d+)/">', response.content.decode()
    )


@pytest.fixture
def ledger(org):
    ledger = Ledger(org)
    ledger.a_overdue = ledger.measure(description="整改窗口作风问题", deadline=ledger.days(-5))
    ledger.a_soon = ledger.measure(description="修订审批制度", deadline=ledger.days(1), status=S.SUBMITTED)
    ledger.a_long = ledger.measure(description="建立长效机制", term=T.LONG_TERM, status=S.STAGE_COMPLETE)
    ledger.b_partner = ledger.measure(
        dept=org.dept_b,
        leader="other_leader",
        person="staff_b",
        partners=[org.dept_a],
        description="联合执法检查",
        round_=ledger.other_round,
    )
    ledger.b_only = ledger.measure(
        dept=org.dept_b,
        leader="other_leader",
        person="staff_b",
        description="执法案卷评查",
        status=S.CLOSED,
        round_=ledger.other_round,
        problem_text="执法案卷不规范",
    )
    return ledger


@pytest.mark.parametrize(
    "query,expected",
    [
        ("", {"a_overdue", "a_soon", "a_long", "b_partner", "b_only"}),
        ("source=provincial", {"b_partner", "b_only"}),
        ("round={other_round}", {"b_partner", "b_only"}),
        ("department={dept_a}", {"a_overdue", "a_soon", "a_long", "b_partner"}),
        ("leader={other_leader}", {"b_partner", "b_only"}),
        ("status=submitted&status=closed", {"a_soon", "b_only"}),
        ("term=long_term", {"a_long"}),
        ("flag=overdue", {"a_overdue"}),
        ("flag=due_soon", {"a_soon"}),
        ("q=执法", {"b_partner", "b_only"}),
        ("q=案卷不规范", {"b_only"}),
        ("person={staff_b}", {"b_partner", "b_only"}),
    ],
)
def test_each_filter_narrows_the_ledger_and_the_count_says_so(client, org, ledger, query, expected):
    query = query.format(
        other_round=ledger.other_round.pk,
        dept_a=org.dept_a.pk,
        other_leader=org.users["other_leader"].cadre.pk,
        staff_b=org.users["staff_b"].cadre.pk,
    )
    login(client, org.users["office"])
    r = client.get(reverse("rectification:ledger") + "?" + query)
    assert r.status_code == 200
    assert set(codes(r)) == {str(getattr(ledger, name).pk) for name in expected}
    assert shown_count(r) == len(expected)
    # The dashboard's contract: the same filter over the same queryset gives the same count.
    user = org.users["office"]
    params = QueryDict(query)
    assert MeasureFilter(params, queryset=visible_measures(user, params.get("scope") == "all")).qs.count() == len(
        expected
    )


def test_each_role_sees_its_scope(client, org, ledger):
    expected = {
        "office": 5,
        "admin": 5,
        "staff": 4,
        "head": 4,
        "leader": 4,
        "staff_b": 2,
        "other_leader": 2,
        "hr": 0,
    }
    for role, n in expected.items():
        login(client, org.users[role])
        assert shown_count(client.get(reverse("rectification:ledger"))) == n, role


def test_a_leader_may_look_at_the_whole_bureau(client, org, ledger):
    login(client, org.users["leader"])
    r = client.get(reverse("rectification:ledger") + "?scope=all")
    assert shown_count(r) == 5
    assert 'id="scope-switch"' in r.content.decode()
    # ... but still acts only on their own.
    assert (
        client.post(
            reverse("rectification:transition", args=[ledger.b_only.pk, "return"]), {"return-comment": "x"}
        ).status_code
        == 404
    )
    login(client, org.users["staff"])
    assert shown_count(client.get(reverse("rectification:ledger") + "?scope=all")) == 4


def test_sorting_and_pagination_of_fifty(client, org):
    ledger = Ledger(org)
    for i in range(55):
        ledger.measure(deadline=ledger.days(i + 1))
    login(client, org.users["office"])
    url = reverse("rectification:ledger")
    first = client.get(url + "?sort=-deadline")
    assert shown_count(first) == 55
    ids = codes(first)
    assert len(ids) == 50
    deadlines = [Measure.objects.get(pk=int(i)).deadline for i in ids]
    assert deadlines == sorted(deadlines, reverse=True)
    second = client.get(url + "?sort=-deadline&page=2")
    assert len(codes(second)) == 5
    assert "显示第 51–55 条" in text_of(second)
    # The column header flips the sort and keeps the filters.
    html = client.get(url + "?sort=deadline&term=deadline").content.decode()
    header = re.search(r'<a href="\?([^"]*sort=-deadline[^"]*)" aria-label="按整改时限排序"', html)
    assert header and "term=deadline" in header.group(1)
    # An unknown sort falls back to the ledger order.
    assert client.get(url + "?sort=drop table").status_code == 200


def test_the_ledger_offers_export_to_all_and_import_to_the_office(client, org, ledger):
    login(client, org.users["office"])
    html = client.get(reverse("rectification:ledger") + "?term=deadline").content.decode()
    if 'id="export-button"' in html:
        assert "export/?term=deadline" in html
    login(client, org.users["staff"])
    assert 'id="import-button"' not in client.get(reverse("rectification:ledger")).content.decode()


def test_empty_states_say_what_to_do(client, org):
    login(client, org.users["office"])
    assert "请导入反馈问题清单" in text_of(client.get(reverse("rectification:ledger")))
    Ledger(org).measure()
    assert "没有符合筛选条件" in text_of(client.get(reverse("rectification:ledger") + "?q=不存在的内容"))
    login(client, org.users["staff_b"])
    assert "台账中还没有本科室的整改措施" in text_of(client.get(reverse("rectification:ledger")))


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
    assert f'href="{link}"' in home
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


def test_an_unknown_measure_is_not_found(client, org):
    login(client, org.users["office"])
    assert client.get(reverse("rectification:measure_detail", args=[4242])).status_code == 404


def test_the_pages_read_in_english_too(client, org, ledger):
    login(client, org.users["office"])
    client.cookies["django_language"] = "en"
    text = text_of(client.get(ledger.a_overdue.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Log progress" in text and "overdue 5 days" in text


def test_dates_read_in_chinese(client, org):
    ledger = Ledger(org)
    m = ledger.measure(deadline=dt.date(2026, 3, 28), status=S.CLOSED)
    login(client, org.users["office"])
    assert "2026年3月28日" in text_of(client.get(m.get_absolute_url()))
