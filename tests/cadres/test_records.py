"""Cadre records as each role sees them: personal data only for the personnel section,
bureau leaders and the person; heads see names and posts; 404 outside the scope; only the
personnel section edits, in the app's own pages, with every change in the history."""

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cadres.models import Cadre, Department, PostHolding
from tests.factories import CadreFactory, PostFactory

from .factories import cadre_in_post

pytestmark = pytest.mark.django_db
BIRTH = "1985-03-12"


@pytest.fixture
def person(org):
    """Someone in dept_a (the department of `head`, `staff` and the one `leader` oversees)."""
    cadre = cadre_in_post(
        org.dept_a,
        years=6,
        key=True,
        name="甲科员",
        birth_date=dt.date(1985, 3, 12),
        ethnicity="回族",
        political_status=Cadre.Political.MEMBER,
    )
    return cadre


@pytest.mark.parametrize(
    ("role", "sees_personal"),
    [("hr", True), ("leader", True), ("head", False), ("staff", False), ("office", False), ("admin", False)],
)
def test_personal_data_only_for_personnel_leaders_and_the_person(client_as, person, role, sees_personal):
    response = client_as(role).get(reverse("cadres:cadre_detail", args=[person.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "甲科员" in html and person.post.title in html  # names and posts for everyone in scope
    assert (BIRTH in html) is sees_personal
    assert ("回族" in html) is sees_personal
    assert ('id="work-history"' in html) is sees_personal


def test_the_person_sees_their_own_personal_data(client_as, org):
    own = org.users["staff"].cadre
    own.birth_date = dt.date(1990, 1, 2)
    own.save()
    html = client_as("staff").get(reverse("cadres:cadre_detail", args=[own.pk])).content.decode()
    assert "1990-01-02" in html


def test_staff_export_has_no_personal_columns_and_hr_export_has_them(client_as, person):
    def headers(role):
        response = client_as(role).get(reverse("cadres:cadre_list"), {"format": "xlsx"})
        return [c for c in next(load_workbook(BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))]

    assert "出生年月" not in " ".join(headers("staff")) and "出生日期" not in " ".join(headers("staff"))
    assert "政治面貌" not in headers("head")
    assert "政治面貌" in headers("hr")


def test_outside_the_scope_answers_404_also_for_edit_pages(client_as, org):
    other = cadre_in_post(org.dept_b, years=2, name="乙科员")
    client = client_as("staff")
    for name in ("cadre_detail", "cadre_edit", "cadre_move", "deferral_create"):
        assert client.get(reverse(f"cadres:{name}", args=[other.pk])).status_code == 404, name


def test_in_scope_but_not_personnel_the_edit_pages_refuse_with_a_reason(client_as, person):
    response = client_as("head").get(reverse("cadres:cadre_edit", args=[person.pk]))
    assert response.status_code == 403
    assert "组织人事科" in response.content.decode()


def test_roster_filters(client_as, org, person):
    cadre_in_post(org.dept_a, years=1, name="新科员", level=Cadre.PostLevel.MEMBER, birth_date=dt.date(2000, 1, 1))
    client = client_as("hr")

    def names(**params):
        html = client.get(reverse("cadres:cadre_list"), params).content.decode()
        return {n for n in ("甲科员", "新科员") if n in html}

    assert names(middle="1") == {"甲科员"}
    assert names(key="1") == {"甲科员"}
    assert names(age="-35") == {"新科员"}
    assert names(years="5-10") == {"甲科员"}
    assert names(years="-2") == {"新科员"}
    assert names(department=org.dept_b.pk) == set()


def test_hr_creates_edits_and_moves_a_person_and_the_history_shows_it(client_as, org, person):
    client = client_as("hr")
    response = client.post(
        reverse("cadres:cadre_edit", args=[person.pk]),
        {
            "name": "甲科员",
            "gender": "F",
            "birth_date": BIRTH,
            "ethnicity": "回族",
            "political_status": "member",
            "rank": "一级主任科员",
            "post_level": 2,
            "is_middle_level": "on",
            "active": "on",
        },
    )
    assert response.status_code == 302
    to = PostFactory(department=org.dept_b, title="新岗位")
    response = client.post(
        reverse("cadres:cadre_move", args=[person.pk]),
        {"department": org.dept_b.pk, "post": to.pk, "start": "2026-06-01", "how": "rotation", "rank": ""},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.department == org.dept_b and person.gender == "F"
    html = client.get(reverse("cadres:cadre_detail", args=[person.pk])).content.decode()
    assert "一级主任科员" in html and "新岗位" in html
    assert "性别：男 → 女" in html  # who, when, old → new


def test_date_sanity_warnings_on_the_record(client_as, org):
    cadre = CadreFactory(
        name="早党员", department=org.dept_a, birth_date=dt.date(1990, 1, 1), joined_party_on=dt.date(2006, 1, 1)
    )
    PostHolding.objects.create(cadre=cadre, department=org.dept_a, start=dt.date(2012, 1, 1), end=dt.date(2016, 1, 1))
    PostHolding.objects.create(cadre=cadre, department=org.dept_b, start=dt.date(2015, 6, 1))
    html = client_as("hr").get(reverse("cadres:cadre_detail", args=[cadre.pk])).content.decode()
    assert 'id="record-warnings"' in html
    assert "16" in html and "重叠" in html


def test_department_edit_page_has_no_oversight_field(client_as, org):
    client = client_as("hr")
    html = client.get(reverse("cadres:department_edit", args=[org.dept_a.pk])).content.decode()
    assert 'name="overseen_by"' not in html
    client.post(
        reverse("cadres:department_edit", args=[org.dept_a.pk]),
        {
            "name": "行政审批科",
            "kind": "section",
            "order": 5,
            "active": "on",
            "overseen_by": org.users["other_leader"].cadre.pk,
        },
    )
    department = Department.objects.get(pk=org.dept_a.pk)
    assert department.order == 5 and department.overseen_by == org.users["leader"].cadre


def test_roster_import_is_all_or_nothing_with_row_errors(client_as, org, roster_file):
    client = client_as("hr")
    bad = roster_file(
        [
            [
                "张三",
                "行政审批科",
                "",
                "科员",
                "否",
                "男",
                "1990.05",
                "汉族",
                "中共党员",
                "",
                "大学本科",
                "2020-01-01",
                "",
            ],
            ["李四", "不存在科", "", "科员", "否", "男", "1991-02-03", "汉族", "群众", "", "", "", ""],
            ["王五", "执法监督科", "", "科员", "否", "男", "某年", "汉族", "群众", "", "", "", ""],
        ]
    )
    response = client.post(reverse("cadres:roster_import"), {"file": bad})
    html = response.content.decode()
    assert "第4行，科室" in html and "第5行，出生年月" in html and "第3行" not in html
    assert not Cadre.objects.filter(name="张三").exists()
    good = roster_file(
        [
            [
                "张三",
                "行政审批科",
                "",
                "科员",
                "否",
                "男",
                "1990.05",
                "汉族",
                "中共党员",
                "2012.07",
                "大学本科",
                "2020-01-01",
                "",
            ],
            ["staff", "执法监督科", "", "科员", "否", "女", "", "", "", "", "", "2026-05-01", ""],
        ]
    )
    response = client.post(reverse("cadres:roster_import"), {"file": good})
    assert response.status_code == 302
    zhang = Cadre.objects.get(name="张三")
    assert zhang.birth_date == dt.date(1990, 5, 1) and zhang.joined_party_on == dt.date(2012, 7, 1)
    assert zhang.holdings.get().start == dt.date(2020, 1, 1)
    moved = org.users["staff"].cadre
    moved.refresh_from_db()
    assert moved.department == org.dept_b  # an update with a new department is a move


@pytest.fixture
def roster_file():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    headers = [
        "姓名",
        "科室",
        "岗位",
        "职务职级",
        "中层干部",
        "性别",
        "出生年月",
        "民族",
        "政治面貌",
        "入党时间",
        "学历",
        "任现职时间",
        "进局时间",
    ]

    def build(rows):
        wb = Workbook()
        ws = wb.active
        ws.append(["干部花名册"])
        ws.append(headers)
        for row in rows:
            ws.append(row)
        buffer = BytesIO()
        wb.save(buffer)
        return SimpleUploadedFile("花名册.xlsx", buffer.getvalue())

    return build
