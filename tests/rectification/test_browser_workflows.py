"""In the browser (issue 12): a refused form shows its error at the top and brings the field
into view; the deadline extension goes from the department to the leader to the office."""

import pytest

from rectification.models import Measure
from tests.conftest import browser_login

from .ledger_support import Ledger, S, pdf_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_empty_sign_off_request_shows_the_error_on_top_and_scrolls_to_the_field(page, org):
    ledger = Ledger(org)
    m = ledger.measure(status=S.IN_PROGRESS)
    from rectification import services

    services.add_progress(m.pk, org.users["staff"], text="已完成", files=[pdf_upload()])
    browser_login(page, "head")
    page.goto(page.base_url + m.get_absolute_url())
    page.locator("#submit-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    summary = page.locator("#form-errors")
    assert "未保存，请更正" in summary.inner_text() and "请填写整改完成情况说明" in summary.inner_text()
    field = page.locator("#submit-form textarea[name=summary]")
    assert field.evaluate("el => el === document.activeElement")
    box = field.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"]  # in view, not below the fold
    assert Measure.objects.get(pk=m.pk).status == S.IN_PROGRESS


def test_the_extension_path_for_every_role(page, org):
    ledger = Ledger(org)
    m = ledger.measure(deadline=ledger.days(10))
    new = ledger.days(70)
    browser_login(page, "staff")
    page.goto(page.base_url + m.get_absolute_url())
    page.locator("#extension-request-box summary").click()
    page.fill("input[name=extension-new_deadline]", new.isoformat())
    page.fill("textarea[name=extension-reason]", "需市政务服务平台配合")
    page.locator("#extension-request button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "延期申请中" in page.locator("h1 + span, #extension-badge").all_inner_texts()[-1]

    for user, button in (
        ("leader", "#extension-leader_approve button"),
        ("office", "#extension-office_confirm button"),
    ):
        page.context.clear_cookies()
        browser_login(page, user)
        page.locator("#work-queues a", has_text=m.description[:8]).first.click()  # from the home page's queue
        page.wait_for_load_state("networkidle")
        page.locator(button).click()
        page.wait_for_load_state("networkidle")
    m.refresh_from_db()
    assert m.deadline == new
    assert "延期1次，共60天" in page.locator("#extension").inner_text()
