"""The import page: office and admin only, template download, preview, confirm."""

import datetime as dt
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from rectification.models import Measure, Problem
from tests.conftest import login

from .. import xlsx_fixtures as fx
from ..factories import RoundFactory
from ..xlsx_fixtures import HEADER, row, xlsx

pytestmark = pytest.mark.django_db
URL = "/rectification/import/"


@pytest.fixture
def round_(org):
    return RoundFactory(source="provincial", title="省委第二巡视组反馈", feedback_date=dt.date(2026, 2, 10))


def upload(client, round_, data, name="问题清单.xlsx"):
    return client.post(URL, {"round": round_.pk, "file": SimpleUploadedFile(name, data)})


def pending_files(settings):
    folder = Path(settings.MEDIA_ROOT) / "imports"
    return sorted(p.name for p in folder.glob("*")) if folder.exists() else []


def test_urls():
    assert reverse("rectification:import_feedback") == URL
    assert reverse("rectification:import_template") == "/rectification/import/template/"
    assert reverse("rectification:ledger_export") == "/rectification/export/"


@pytest.mark.parametrize(
    "user, status", [("office", 200), ("admin", 200), ("staff", 403), ("head", 403), ("leader", 403), ("hr", 403)]
)
def test_only_office_and_admin(client_as, round_, user, status):
    client = client_as(user)
    assert client.get(URL).status_code == status
    assert client.get(reverse("rectification:import_template")).status_code == status
    assert upload(client, round_, fx.tidy()).status_code == status
    assert Measure.objects.count() == 0


def test_anonymous_is_sent_to_login(client, org):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_page_explains_and_offers_the_template(client_as, round_):
    page = client_as("office").get(URL).content.decode()
    assert "导入问题清单" in page and "下载模板" in page and "上传并预览" in page
    assert reverse("rectification:import_template") in page
    assert "省委第二巡视组反馈" in page


def test_page_without_rounds_says_what_to_do(client_as, org):
    page = client_as("office").get(URL).content.decode()
    assert "还没有反馈批次" in page


def test_template_download_round_trips(client_as, round_, org):
    client = client_as("office")
    response = client.get(reverse("rectification:import_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    wb = load_workbook(BytesIO(response.content))
    ws = wb["问题清单"]
    assert [c.value for c in ws[2]] == HEADER
    assert ws.freeze_panes == "A3"
    assert any("行政审批科" in str(v) for r in wb["填写说明"].values for v in r)  # the departments to choose from
    # Filled in and uploaded, the template imports.
    ws.append(
        row(
            1, "作风建设", "问题甲", "", "措施甲", "李红梅", "行政审批科", "", "staff", "限期整改", dt.date(2026, 5, 31)
        )
    )
    buffer = BytesIO()
    wb.save(buffer)
    page = upload(client, round_, buffer.getvalue()).content.decode()
    assert "文件无误" in page and "确认导入" in page


def test_refused_file_is_explained_at_the_field(client_as, round_, settings):
    response = upload(client_as("office"), round_, b"hello", name="问题清单.xlsx")
    page = response.content.decode()
    assert response.status_code == 200
    assert "这不是 Excel 工作簿（.xlsx）文件" in page
    assert pending_files(settings) == [] and Problem.objects.count() == 0


def test_too_large_upload(client_as, round_, settings):
    settings.IMPORT_MAX_BYTES = 2048
    page = upload(client_as("office"), round_, fx.tidy()).content.decode()
    assert "文件过大" in page and Problem.objects.count() == 0


def test_preview_with_errors_highlights_cells_and_offers_no_confirm(client_as, round_, settings):
    data = xlsx([HEADER, row(1, "", "问题甲", "", "", "李红梅", "综合科", "", "", "限期整改", "下个月")])
    page = upload(client_as("office"), round_, data).content.decode()
    assert "未导入任何内容" in page
    assert "第2行“牵头科室”：未知科室“综合科”" in page
    assert "第2行“整改措施”：缺少整改措施" in page
    assert "第2行“完成时限”：无法识别的日期“下个月”" in page
    assert "cell-error" in page
    assert "确认导入" not in page and 'id="confirm-form"' not in page
    # The file is kept only so that the office can correct the column mapping; nothing is written.
    assert len(pending_files(settings)) == 2 and Problem.objects.count() == 0


def test_preview_then_confirm_imports_everything(client_as, round_, org, settings):
    client = client_as("office")
    response = upload(client, round_, fx.untidy())
    page = response.content.decode()
    assert "确认导入" in page and "4 个问题" in page and "7 条措施" in page
    assert Problem.objects.count() == 0  # nothing before the confirmation
    context = response.context
    token, digest = context["confirm"]["token"].value(), context["confirm"]["sha256"].value()
    assert sorted(pending_files(settings)) == sorted([f"{token}.json", f"{token}.xlsx"])

    response = client.post(URL, {"token": token, "sha256": digest})

    assert response.status_code == 302
    assert Problem.objects.filter(round=round_).count() == 4 and Measure.objects.count() == 7
    assert Measure.objects.first().history.get().history_user == org.users["office"]
    assert pending_files(settings) == []
    followed = client.get(response["Location"], follow=True).content.decode()
    assert "已导入 4 个问题、7 条整改措施" in followed

    # The same confirmation again does nothing.
    again = client.post(URL, {"token": token, "sha256": digest}, follow=True).content.decode()
    assert "已过期、已导入或已被改动" in again and Measure.objects.count() == 7


def test_confirm_needs_the_same_file_and_the_same_user(client_as, round_, org, settings):
    client = client_as("office")
    confirm = upload(client, round_, fx.tidy()).context["confirm"]
    token, digest = confirm["token"].value(), confirm["sha256"].value()
    assert client.post(URL, {"token": token, "sha256": "0" * 64}, follow=True).status_code == 200
    assert client.post(URL, {"token": "../../etc/passwd", "sha256": digest}).status_code == 302
    login(client, org.users["admin"])
    page = client.post(URL, {"token": token, "sha256": digest}, follow=True).content.decode()
    assert "已过期、已导入或已被改动" in page
    assert Measure.objects.count() == 0


def test_confirm_validates_again(client_as, round_, org):
    client = client_as("office")
    confirm = upload(client, round_, fx.tidy()).context["confirm"]
    org.dept_b.active = False  # 执法监督科 is closed between preview and confirmation
    org.dept_b.save()
    response = client.post(URL, {"token": confirm["token"].value(), "sha256": confirm["sha256"].value()})
    page = response.content.decode()
    assert response.status_code == 200
    assert "科室“执法监督科”已停用" in page and "未导入任何内容" in page
    assert Measure.objects.count() == 0


def test_page_at_phone_width_uses_a_scrolling_table(client_as, round_):
    page = upload(client_as("office"), round_, fx.tidy()).content.decode()
    assert 'class="table-scroll"' in page and 'name="viewport"' in page
