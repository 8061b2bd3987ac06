"""A staff member logs progress with a file from the home page, in the browser, on a
desktop and on a 390-px phone (issue 3, items 3 and 11)."""

import pytest

from rectification.models import Evidence, Progress
from tests.conftest import browser_login

from .files import tiny_pdf
from .ledger_support import Ledger, S

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_opens_an_assigned_measure_adds_progress_with_a_file_and_sees_it(page, org, artifacts_dir, tmp_path):
    ledger = Ledger(org)
    m = ledger.measure(status=S.IN_PROGRESS, description="梳理审批事项，压缩办理时限", deadline=ledger.days(2))
    evidence_file = tmp_path / "专题会议纪要.pdf"
    evidence_file.write_bytes(tiny_pdf("Minutes"))

    browser_login(page, "staff")
    page.locator("#my-measures a", has_text="梳理审批事项").click()  # one click from the home page
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(m.get_absolute_url() + "#progress")  # straight to the form
    form = page.locator("#progress-form")
    assert form.is_visible()
    form.locator("textarea[name=text]").fill("已召开专题会议，明确压缩时限的具体措施。")
    form.locator("input[name=percent]").fill("40")
    form.locator("input[type=file]").set_input_files(str(evidence_file))
    assert "专题会议纪要.pdf" in form.inner_text()  # the chosen files are listed
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")

    timeline = page.locator("#progress-timeline")
    assert "已召开专题会议，明确压缩时限的具体措施。" in timeline.inner_text()
    assert "专题会议纪要.pdf" in timeline.inner_text()
    assert "进展已保存" in page.locator("body").inner_text()
    entry = Progress.objects.get(measure=m)
    assert entry.percent == 40 and entry.author == org.users["staff"]
    assert Evidence.objects.get(progress=entry).original_name == "专题会议纪要.pdf"
    page.screenshot(path=str(artifacts_dir / "rectification-progress-added.png"), full_page=True)

    # The evidence downloads as an attachment.
    with page.expect_download() as download:
        timeline.locator("a", has_text="专题会议纪要.pdf").click()
    assert download.value.suggested_filename == "专题会议纪要.pdf"

    # On a phone the form is the first thing under the heading, and nothing overflows.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    form_top = page.locator("#progress").bounding_box()["y"]
    assert form_top < page.locator("#problem").bounding_box()["y"]
    page.screenshot(path=str(artifacts_dir / "rectification-measure-390.png"), full_page=True)
    assert not page.console_errors


def test_the_ledger_on_a_phone(page, org, artifacts_dir):
    ledger = Ledger(org)
    for i in range(5):
        ledger.measure(description=f"整改措施{i}：建立审批台账", deadline=ledger.days(i * 7 - 7))
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, "staff")
    page.goto(page.base_url + "/rectification/")
    rows = page.locator("#ledger-table tbody tr")
    assert rows.count() == 5
    assert page.locator("#ledger-table thead").is_hidden()  # rows read as cards on a phone
    assert rows.first.bounding_box()["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    page.screenshot(path=str(artifacts_dir / "rectification-ledger-390.png"), full_page=True)
    assert not page.console_errors
