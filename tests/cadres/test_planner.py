"""The rotation planner and plan pages: who may open them, the lists with their reasons,
the plan's checks before submission, the 党组 decision, execution, the PDF and the xlsx;
the planner's queries do not grow with people or work history."""

import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cadres.models import Cadre, PostHolding, RotationPlan
from core import dates
from tests.factories import CadreFactory, DepartmentFactory, PostFactory

from .factories import DAY, ItemFactory, PlanFactory, cadre_in_post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(dates, "today", lambda: DAY)


@pytest.mark.parametrize(
    ("role", "status"), [("hr", 200), ("leader", 200), ("office", 403), ("head", 403), ("staff", 403)]
)
def test_the_planner_is_for_the_personnel_section_and_leaders(client_as, role, status):
    assert client_as(role).get(reverse("cadres:planner")).status_code == status


def test_the_lists_say_why(client_as, org):
    cadre_in_post(org.dept_b, years=11.9, key=True, name="潘明轩")
    html = client_as("hr").get(reverse("cadres:planner")).content.decode()
    assert "潘明轩" in html and "11.9" in html and "必须交流" in html


def test_xlsx_has_one_sheet_per_list(client_as, org):
    cadre_in_post(org.dept_b, years=11.9, key=True, name="潘明轩")
    response = client_as("leader").get(reverse("cadres:planner"), {"format": "xlsx"})
    wb = load_workbook(BytesIO(response.content))
    assert len(wb.sheetnames) == 5
    names = [row[0] for row in wb.worksheets[0].iter_rows(min_row=3, values_only=True)]
    assert names == ["潘明轩"]


def test_leaders_read_plans_but_only_the_personnel_section_changes_them(client_as, org):
    plan = PlanFactory()
    assert client_as("leader").get(plan.get_absolute_url()).status_code == 200
    response = client_as("leader").post(reverse("cadres:plan_action", args=[plan.pk, "submit"]))
    assert response.status_code == 403


def test_full_cycle_through_the_pages(client_as, org):
    client = client_as("hr")
    mover = cadre_in_post(org.dept_a, years=6, key=True, name="甲")
    client.post(reverse("cadres:plan_create"), {"title": "2026年第二批"})
    plan = RotationPlan.objects.get()
    to = PostFactory(department=org.dept_b, title="综合业务岗")
    response = client.post(
        plan.get_absolute_url(),
        {
            "cadre": mover.pk,
            "to_post": to.pk,
            "kind": "rotation",
            "planned_date": "2026-07-01",
            "handover_note": "交接",
        },
    )
    assert response.status_code == 302 and plan.items.count() == 1
    client.post(reverse("cadres:plan_action", args=[plan.pk, "submit"]))
    client.post(
        reverse("cadres:plan_action", args=[plan.pk, "decide"]),
        {"decision_date": "2026-06-15", "document_number": "党组〔2026〕5号"},
    )
    client.post(reverse("cadres:plan_action", args=[plan.pk, "execute"]))
    plan.refresh_from_db()
    mover.refresh_from_db()
    assert plan.status == RotationPlan.Status.EXECUTED and plan.document_number == "党组〔2026〕5号"
    assert mover.post == to and mover.holdings.filter(how=PostHolding.How.ROTATION, start=DAY).exists()


def test_the_plan_prints_and_exports(client_as, org):
    plan = PlanFactory(title="2026年第二批")
    ItemFactory(plan=plan, cadre=cadre_in_post(org.dept_a, years=6, key=True, name="甲"))
    client = client_as("hr")
    pdf = client.get(reverse("cadres:plan_pdf", args=[plan.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Security-Policy"] == "sandbox"
    xlsx = client.get(plan.get_absolute_url(), {"format": "xlsx"})
    rows = list(load_workbook(BytesIO(xlsx.content)).active.iter_rows(min_row=3, values_only=True))
    assert rows[0][1] == "甲"


def _people(n: int, history_years: int):
    """n cadres in five departments, each with a work history of `history_years` rows."""
    departments = [DepartmentFactory(name=f"科室{i}") for i in range(5)]
    posts = [PostFactory(department=d, is_key=True) for d in departments]
    holdings = []
    for i in range(n):
        dept = departments[i % 5]
        cadre = CadreFactory(
            name=f"人员{i}",
            department=dept,
            post=posts[i % 5],
            is_middle_level=i % 2 == 0,
            in_post_since=dt.date(2026 - (i % 12), 1, 1),
            post_level=Cadre.PostLevel.DEPUTY,
            birth_date=dt.date(1980, 1, 1),
        )
        for year in range(history_years):
            start = dt.date(2026 - history_years + year, 1, 1)
            end = None if year == history_years - 1 else dt.date(2026 - history_years + year, 12, 31)
            holdings.append(PostHolding(cadre=cadre, department=dept, start=start, end=end))
    PostHolding.objects.bulk_create(holdings)


def _planner_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("cadres:planner")).status_code == 200
    return len(ctx)


def test_planner_queries_do_not_grow_with_people_or_history(client_as, org):
    client = client_as("hr")
    _people(10, 2)
    small = _planner_queries(client)
    _people(60, 8)
    assert _planner_queries(client) == small


def test_the_planner_shows_who_must_and_should_rotate_first_and_every_list_on_request(client_as, org):
    cadre_in_post(org.dept_b, years=11.9, key=True, name="潘明轩")  # must, and a long stay
    client = client_as("hr")
    default = client.get(reverse("cadres:planner"))
    assert [key for key, _label, _page in default.context["lists"]] == ["must", "due"]
    assert 'id="list-long_stay"' not in default.content.decode()
    assert dict((k, n) for k, _label, n in default.context["tiles"])["long_stay"] == 1  # still counted
    every = client.get(reverse("cadres:planner"), {"list": "all"})
    assert [key for key, _label, _page in every.context["lists"]] == ["must", "due", "exempt", "long_stay", "frequent"]
    alone = client.get(reverse("cadres:planner"), {"list": "long_stay"}).content.decode()
    assert 'id="list-long_stay"' in alone and "潘明轩" in alone and 'id="list-must"' not in alone


def test_a_long_list_is_paginated_and_the_export_stays_complete(client_as, org):
    _people(60, 1)  # in_post_since up to 11 years back: everyone middle-level 10+ years must rotate
    client = client_as("hr")
    must = Cadre.objects.filter(is_middle_level=True, in_post_since__lte=dt.date(2016, 6, 15)).count()
    assert must > 2
    from cadres.views import rotation as views

    views.PAGE_SIZE, size = 2, views.PAGE_SIZE
    try:
        first = client.get(reverse("cadres:planner"))
        page = first.context["lists"][0][2]
        assert len(page.object_list) == 2 and page.paginator.count == must
        assert "?list=must#list-must" in first.content.decode()
        second = client.get(reverse("cadres:planner"), {"list": "must", "page": 2}).context["lists"][0][2]
        assert second.number == 2
    finally:
        views.PAGE_SIZE = size
    wb = load_workbook(BytesIO(client.get(reverse("cadres:planner"), {"format": "xlsx"}).content))
    assert len(list(wb.worksheets[0].iter_rows(min_row=3, values_only=True))) == must


def test_the_plan_page_offers_whom_a_search_finds_not_everyone(client_as, org):
    plan = PlanFactory()
    _people(30, 1)
    client = client_as("hr")
    choices = lambda response: [v for v, _label in response.context["item_form"].fields["cadre"].widget.choices if v]  # noqa: E731
    assert choices(client.get(plan.get_absolute_url())) == []
    found = client.get(plan.get_absolute_url(), {"q": "人员1"})  # 人员1, 人员10–19
    assert len(choices(found)) == 11
    linked = Cadre.objects.get(name="人员7")
    assert choices(client.get(plan.get_absolute_url(), {"cadre": linked.pk})) == [linked.pk]
    with CaptureQueriesContext(connection) as few:
        client.get(plan.get_absolute_url())
    _people(60, 1)
    with CaptureQueriesContext(connection) as more:
        client.get(plan.get_absolute_url())
    assert len(more) == len(few)
