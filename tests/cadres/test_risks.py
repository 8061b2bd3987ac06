"""The post integrity-risk ledger at /cadres/risks/: the usual columns in order on screen
and in the xlsx, scoped by department, imported all or nothing; the annual review with
its progress and the re-review flag when a post's holder or duties change."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cadres import services
from cadres.models import Cadre, Post, PostHolding, PostRisk, RiskReview
from cadres.selectors import review_progress, review_rows
from core import dates
from tests.factories import PostFactory

from .factories import DAY, RiskFactory

pytestmark = pytest.mark.django_db
COLUMNS = [
    "序号",
    "科室",
    "岗位",
    "风险类别",
    "风险点",
    "主要表现形式",
    "风险等级",
    "防控措施",
    "部门负责人",
    "责任领导",
]


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(dates, "today", lambda: DAY)


@pytest.fixture
def risks(org):
    org.users["head"].cadre.post_level = Cadre.PostLevel.PRINCIPAL
    org.users["head"].cadre.save()
    a = RiskFactory(post=PostFactory(department=org.dept_a, title="项目审批岗"), point="违规审批")
    b = RiskFactory(post=PostFactory(department=org.dept_b, title="执纪执法岗"), point="选择性执法")
    return a, b


def test_xlsx_has_the_usual_columns_in_order_and_defaults_head_and_leader(client_as, org, risks):
    response = client_as("hr").get(reverse("cadres:risk_list"), {"format": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert list(rows[0]) == COLUMNS
    first = dict(zip(COLUMNS, rows[1], strict=True))
    assert first["序号"] == 1 and first["科室"] == "行政审批科" and first["风险等级"] == "高"
    assert first["部门负责人"] == "head" and first["责任领导"] == "李红梅"


def test_the_ledger_is_scoped_by_department(client_as, risks):
    html = client_as("staff").get(reverse("cadres:risk_list")).content.decode()
    assert "违规审批" in html and "选择性执法" not in html
    assert client_as("staff").get(reverse("cadres:risk_edit", args=[risks[1].pk])).status_code == 404


def risk_file(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    for row in rows:
        ws.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("风险点.xlsx", buffer.getvalue())


def test_import_is_all_or_nothing_and_updates_by_risk_point(client_as, org, risks):
    client = client_as("hr")
    bad = risk_file(
        [
            [1, "行政审批科", "项目审批岗", "行政审批", "违规审批", "吃拿卡要", "高", "双人审核", "", ""],
            [2, "行政审批科", "窗口岗", "服务", "推诿扯皮", "", "极高", "", "", ""],
        ]
    )
    html = client.post(reverse("cadres:risk_import"), {"file": bad}).content.decode()
    assert "第3行，风险等级" in html
    assert PostRisk.objects.count() == 2
    good = risk_file(
        [
            [1, "行政审批科", "项目审批岗", "行政审批", "违规审批", "吃拿卡要", "高", "双人审核", "", "李红梅"],
            [2, "行政审批科", "窗口岗", "服务", "推诿扯皮", "", "低", "", "", ""],
        ]
    )
    assert client.post(reverse("cadres:risk_import"), {"file": good}).status_code == 302
    updated = PostRisk.objects.get(point="违规审批")
    assert updated.manifestation == "吃拿卡要" and updated.responsible_leader.name == "李红梅"
    assert PostRisk.objects.get(point="推诿扯皮").post.title == "窗口岗"  # a new post, named in the message


def test_review_progress_and_re_review_when_the_holder_changes(org, risks):
    hr = org.users["hr"]
    review = services.start_review(
        hr, year=2026, title="2026年度排查", start=dt.date(2026, 1, 1), due=dt.date(2026, 12, 20)
    )
    post_a, post_b = risks[0].post, risks[1].post
    services.record_post_review(review, post_a, hr, result="unchanged")
    progress = review_progress(review, Post.objects.filter(pk__in=[post_a.pk, post_b.pk]))
    assert (progress.reviewed, progress.posts, progress.rereview) == (1, 2, 0)
    # A new holder after the review: look at the post again.
    newcomer = org.users["staff"].cadre
    PostHolding.objects.create(cadre=newcomer, department=org.dept_a, post=post_a, start=DAY + dt.timedelta(days=3))
    rows = review_rows(review, Post.objects.filter(pk=post_a.pk))
    assert rows[0]["rereview"] and "2026-06-18" in rows[0]["rereview"]


def test_the_head_reviews_only_their_departments_posts(client_as, org, risks):
    RiskReview.objects.create(year=2026, title="排查", start=DAY, due=DAY, created_by=org.users["hr"])
    client = client_as("head")
    ok = client.post(reverse("cadres:review_post", args=[risks[0].post.pk]), {"result": "updated"})
    assert ok.status_code == 302
    assert client.post(reverse("cadres:review_post", args=[risks[1].post.pk]), {"result": "updated"}).status_code == 404
    staff = client_as("staff").post(reverse("cadres:review_post", args=[risks[0].post.pk]), {"result": "updated"})
    assert staff.status_code == 403


def test_changing_a_risk_point_flags_the_post_for_re_review(org, risks, monkeypatch):
    hr = org.users["hr"]
    review = services.start_review(hr, year=2026, title="排查", start=dt.date(2026, 1, 1), due=dt.date(2026, 12, 20))
    services.record_post_review(review, risks[0].post, hr, result="unchanged")
    monkeypatch.setattr(dates, "today", lambda: DAY + dt.timedelta(days=1))
    risk = risks[0]
    risk.controls = "双人审核、全程留痕"
    services.save_risk(risk, hr)
    assert review_rows(review, Post.objects.filter(pk=risk.post_id))[0]["rereview"]
