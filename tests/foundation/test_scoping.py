"""A user never sees another department's people through any list, detail or search."""

import pytest
from django.db.models.functions import Collate
from django.urls import reverse

from cadres.models import STROKE_COLLATION, Cadre
from cadres.scoping import visible_department_ids
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org):
    return {
        "a": CadreFactory(name="甲科员", department=org.dept_a),
        "b": CadreFactory(name="乙科员", department=org.dept_b),
    }


def test_staff_sees_only_own_department(client_as, org, people):
    client = client_as("staff")
    html = client.get(reverse("cadres:cadre_list")).content.decode()
    assert "甲科员" in html and "乙科员" not in html
    assert client.get(reverse("cadres:cadre_list"), {"q": "乙"}).content.decode().count("乙科员") == 0
    assert client.get(reverse("cadres:cadre_detail", args=[people["b"].pk])).status_code == 404
    assert client.get(reverse("cadres:department_detail", args=[org.dept_b.pk])).status_code == 404
    assert "执法监督科" not in client.get(reverse("cadres:department_list")).content.decode()


def test_export_is_scoped_too(client_as, people):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_as("staff").get(reverse("cadres:cadre_list"), {"format": "xlsx"})
    names = [row[0] for row in load_workbook(BytesIO(response.content)).active.iter_rows(min_row=3, values_only=True)]
    assert "甲科员" in names and "乙科员" not in names


def test_leader_sees_overseen_departments(client_as, org, people):
    client = client_as("leader")
    assert client.get(reverse("cadres:cadre_detail", args=[people["a"].pk])).status_code == 200
    assert client.get(reverse("cadres:cadre_detail", args=[people["b"].pk])).status_code == 404
    assert visible_department_ids(org.users["leader"], "cadres") == {org.leadership.pk, org.dept_a.pk}


@pytest.mark.parametrize("role", ["office", "hr", "admin"])
def test_office_hr_and_admin_see_everyone(client_as, people, role):
    html = client_as(role).get(reverse("cadres:cadre_list")).content.decode()
    assert "甲科员" in html and "乙科员" in html


def test_personnel_section_sees_all_cadres_but_not_all_measures(org):
    hr = org.users["hr"]
    assert visible_department_ids(hr, "cadres") is None
    assert visible_department_ids(hr, "rectification") == {org.office_dept.pk}


def test_people_sort_by_surname_strokes_not_latin_letters(org):
    names = ["赵六", "张三", "王伟", "丁一", "李四", "马云", "刘洋", "卜凡", "乔丹"]
    for name in names:
        CadreFactory(name=name, department=org.dept_b)
    ordered = list(
        Cadre.objects.filter(name__in=names).order_by(Collate("name", STROKE_COLLATION)).values_list("name", flat=True)
    )
    assert ordered == ["丁一", "卜凡", "马云", "王伟", "乔丹", "刘洋", "张三", "李四", "赵六"]


def test_official_order_puts_principal_before_deputy(org):
    from cadres.selectors import in_official_order

    CadreFactory(name="丁副", department=org.dept_b, post_level=Cadre.PostLevel.DEPUTY)
    CadreFactory(name="赵正", department=org.dept_b, post_level=Cadre.PostLevel.PRINCIPAL)
    names = list(in_official_order(Cadre.objects.filter(name__in=["丁副", "赵正"])).values_list("name", flat=True))
    assert names == ["赵正", "丁副"]
