"""The ledger page: filters and their count, scope, sorting, pages of fifty, empty states, languages."""

import datetime as dt
import re

import pytest
from django.http import QueryDict
from django.urls import reverse

from rectification.filters import MeasureFilter
from rectification.models import Measure
from rectification.selectors import visible_measures
from tests.conftest import login

from ..ledger_support import Ledger, S, text_of


def shown_count(response) -> int:
    match = re.search(r'id="ledger-count">\s*共 (\d+) 项措施', response.content.decode())
    assert match, "the ledger shows no count"
    return int(match.group(1))


def codes(response):
    return re.findall(
        r'<td class="nowrap cell-code"><a href="/rectification/measures/(\d+)/">', response.content.decode()
    )


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
    header = re.search(r'<a href="\?([^"]*sort=-deadline[^"]*)" title="按整改时限排序"', html)
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
