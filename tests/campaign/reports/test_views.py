"""/reports/: who may build and download, the form's Chinese errors, the polled progress
row, downloads with the Chinese file name, and the font/HarfBuzz warnings."""

from urllib.parse import quote

import pytest
from django.core import checks as django_checks
from django.urls import reverse

from campaign.models import Report
from campaign.reports import build, checks
from campaign.reports import pdf as report_pdf
from campaign.reports import tasks as report_tasks

from .support import END, START, MonthLedger

pytestmark = pytest.mark.django_db
S = Report.Status


@pytest.fixture(autouse=True)
def _stub_render(monkeypatch):
    monkeypatch.setattr(report_pdf, "render_pdf", lambda html: report_pdf.Rendered(pdf=b"%PDF-1.4\n%stub\n", pages=1))


@pytest.fixture
def built(org, on_report_day):
    MonthLedger(org).build()
    report = Report.objects.create(period_start=START, period_end=END, requested_by=org.users["office"])
    build.build(report.pk)
    report.refresh_from_db()
    return report


@pytest.fixture
def no_queue(monkeypatch):
    sent = []
    monkeypatch.setattr(report_tasks.build_report, "delay", lambda pk: sent.append(pk))
    return sent


def urls(report):
    return [
        reverse("campaign:report_row", args=[report.pk]),
        reverse("campaign:report_download", args=[report.pk, "pdf"]),
        reverse("campaign:report_download", args=[report.pk, "xlsx"]),
    ]


@pytest.mark.parametrize("username", ["staff", "head", "leader", "hr", "staff_b"])
def test_only_those_who_see_the_whole_ledger_may_build_or_download(client_as, built, username, no_queue):
    client = client_as(username)
    assert client.get(reverse("campaign:reports")).status_code == 403
    assert client.post(reverse("campaign:report_new"), {"kind": "monthly", "month": "2026-03"}).status_code == 403
    for url in urls(built):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("campaign:report_retry", args=[built.pk])).status_code == 404
    assert Report.objects.count() == 1 and no_queue == []


@pytest.mark.parametrize("username", ["office", "admin"])
def test_the_office_and_admins_may(client_as, built, username):
    client = client_as(username)
    page = client.get(reverse("campaign:reports"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "2026年3月" in html and "生成报告" in html
    for url in urls(built):
        assert client.get(url).status_code == 200, url


def test_building_from_the_page_queues_a_report_row(
    client_as,
    org,
    on_report_day,
    no_queue,
    django_capture_on_commit_callbacks,
):
    client = client_as("office")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("campaign:report_new"), {"kind": "monthly", "month": "2026-03"}, follow=True)
    report = Report.objects.get()
    assert (report.kind, report.period_start, report.period_end) == ("monthly", START, END)
    assert report.requested_by == org.users["office"] and report.status == S.QUEUED
    assert no_queue == [report.pk]
    html = response.content.decode()
    assert "已开始生成2026年3月的报告" in html
    assert f'hx-get="{reverse("campaign:report_row", args=[report.pk])}"' in html and 'hx-trigger="every 2s"' in html


def test_a_date_range_with_a_round(
    client_as,
    org,
    on_report_day,
    no_queue,
    django_capture_on_commit_callbacks,
):
    ledger = MonthLedger(org)
    ledger.build()
    audit = next(iter(r for r in ledger.rounds.values() if r.source == "audit"))
    with django_capture_on_commit_callbacks(execute=True):
        client_as("office").post(
            reverse("campaign:report_new"),
            {
                "kind": "custom",
                "period_start": "2026-03-01",
                "period_end": "2026-03-15",
                "round": audit.pk,
            },
        )
    report = Report.objects.get()
    assert (report.kind, report.round, str(report.period_end)) == ("custom", audit, "2026-03-15")
    assert report.period_label == "2026年3月1日—2026年3月15日"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "monthly", "month": "2026-13"}, "月份格式应为 2026-03。"),
        ({"kind": "monthly", "month": "2027-01"}, "不能为尚未开始的月份生成报告。"),
        ({"kind": "custom", "period_start": "2026-03-10", "period_end": "2026-03-01"}, "截止日期不能早于开始日期。"),
        ({"kind": "custom", "period_start": "2026-03-10"}, "请填写截止日期。"),
    ],
)
def test_bad_input_is_named_in_chinese_and_kept(client_as, on_report_day, no_queue, data, message):
    response = client_as("office").post(reverse("campaign:report_new"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    for value in data.values():
        assert f'value="{value}"' in html or value in ("monthly", "custom")
    assert not Report.objects.exists() and no_queue == []


def test_the_row_stops_polling_when_done_and_offers_downloads(client_as, built):
    html = client_as("office").get(reverse("campaign:report_row", args=[built.pk])).content.decode()
    assert "hx-trigger" not in html
    assert reverse("campaign:report_download", args=[built.pk, "pdf"]) in html
    assert "已完成" in html
    assert "字节" in html or "KB" in html  # the file sizes


def test_a_running_row_shows_the_stage_and_keeps_polling(client_as, org):
    report = Report.objects.create(period_start=START, period_end=END, status=S.RENDERING_PDF, progress=40)
    html = client_as("office").get(reverse("campaign:report_row", args=[report.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert 'aria-valuenow="40"' in html
    for label in ("排队中", "收集数据", "生成 PDF", "写入 Excel", "已完成"):
        assert label in html
    assert '<span class="report-step current">生成 PDF</span>' in html


def test_a_failed_row_shows_the_reason_and_retry_requeues_the_same_row(
    client_as, org, no_queue, django_capture_on_commit_callbacks
):
    report = Report.objects.create(
        period_start=START, period_end=END, status=S.FAILED, error="报告生成失败：RuntimeError: boom。"
    )
    client = client_as("office")
    html = client.get(reverse("campaign:report_row", args=[report.pk])).content.decode()
    assert "报告生成失败：RuntimeError: boom。" in html and "重试" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("campaign:report_retry", args=[report.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'hx-trigger="every 2s"' in response.content.decode()
    report.refresh_from_db()
    assert report.status == S.QUEUED and report.error == ""
    assert no_queue == [report.pk] and Report.objects.count() == 1


def test_downloads_carry_the_chinese_name_and_safe_headers(client_as, built):
    client = client_as("office")
    pdf = client.get(reverse("campaign:report_download", args=[built.pk, "pdf"]))
    name = "整改工作进展情况报告（2026年3月）.pdf"
    assert pdf["Content-Disposition"] == f"attachment; filename*=UTF-8''{quote(name)}"
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["X-Content-Type-Options"] == "nosniff" and pdf["Content-Security-Policy"] == "sandbox"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    xlsx = client.get(reverse("campaign:report_download", args=[built.pk, "xlsx"]))
    assert xlsx["Content-Disposition"].endswith(quote("整改台账（2026年3月）.xlsx"))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    docx = client.get(reverse("campaign:report_download", args=[built.pk, "docx"]))
    assert docx["Content-Disposition"].endswith(quote("整改工作进展情况报告（2026年3月）.docx"))
    assert b"".join(docx.streaming_content).startswith(b"PK")
    assert client.get(reverse("campaign:report_download", args=[built.pk, "doc"])).status_code == 404


def test_a_report_not_built_yet_has_nothing_to_download(client_as, org):
    report = Report.objects.create(period_start=START, period_end=END)
    assert client_as("office").get(reverse("campaign:report_download", args=[report.pk, "pdf"])).status_code == 404


def test_the_empty_archive_says_what_to_do(client_as):
    html = client_as("office").get(reverse("campaign:reports")).content.decode()
    assert "还没有生成过报告" in html


def test_missing_fonts_and_harfbuzz_are_shown_on_the_page_and_by_manage_check(client_as, monkeypatch):
    monkeypatch.setattr(checks, "cjk_font_families", lambda: ())
    monkeypatch.setattr(checks, "harfbuzz_subset_available", lambda: False)
    html = client_as("office").get(reverse("campaign:reports")).content.decode()
    assert "sudo apt-get install -y fonts-noto-cjk fonts-lxgw-wenkai" in html
    assert "sudo apt-get install -y libharfbuzz-subset0" in html
    warnings = [m for m in django_checks.run_checks() if m.id.startswith("campaign.W")]
    assert {w.id for w in warnings} == {"campaign.W001", "campaign.W002"}
    assert all(isinstance(w, django_checks.Warning) for w in warnings)
    assert "apt-get install -y libharfbuzz-subset0" in next(w.hint for w in warnings if w.id == "campaign.W002")


def test_this_machine_has_cjk_fonts_and_harfbuzz_subsetting():
    """In CI the report PDFs must be fast and real: fonts-noto-cjk and libharfbuzz-subset0 installed."""
    checks.cjk_font_families.cache_clear()
    checks.harfbuzz_subset_available.cache_clear()
    assert "Noto Serif CJK SC" in checks.cjk_font_families()
    assert checks.harfbuzz_subset_available()
    assert checks.pdf_environment_problems() == []
