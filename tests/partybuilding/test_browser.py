"""In the browser, on a 390-px phone: a member signs in through the URL the QR code
carries, and the secretary records the 主题党日 with two members on leave (issue 10, item 15)."""

import datetime as dt

import pytest
import segno
from django.utils import timezone

from core import dates
from partybuilding.models import Attendance, Meeting
from tests.conftest import browser_login

from .factories import meeting_with_list

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
A = Attendance.Status
PHONE = {"width": 390, "height": 844}


def test_member_signs_in_by_qr_and_secretary_records_on_a_phone(page, party, live_server, settings, artifacts_dir):
    settings.SITE_URL = live_server.url
    meeting = meeting_with_list(
        party.a,
        planned_at=timezone.now() + dt.timedelta(minutes=10),
        topic="重温入党誓词",
        kind=Meeting.Kind.ACTIVITY_DAY,
    )
    page.set_viewport_size(PHONE)

    # The host opens the QR page; the QR code is the sign-in URL.
    browser_login(page, "sec_a")
    page.goto(f"{live_server.url}/partybuilding/meetings/{meeting.pk}/qr/")
    url = page.locator("#signin-url").get_attribute("href")
    assert url.startswith(live_server.url + f"/partybuilding/meetings/{meeting.pk}/sign-in/?code=")
    expected_svg = segno.make(url, error="m").svg_inline(scale=8, border=2, dark="#000", light="#fff")
    assert page.locator("#qr svg").evaluate("e => e.outerHTML").count("<path") == expected_svg.count("<path")
    page.screenshot(path=str(artifacts_dir / "partybuilding-qr-390.png"), full_page=True)

    # A member, logged in on their own phone, opens that URL and confirms.
    member = page.context.browser.new_context(locale="zh-CN", viewport=PHONE)
    phone = member.new_page()
    phone.base_url = live_server.url
    browser_login(phone, "m1")
    phone.goto(url)
    phone.locator("#sign-in-button").click()
    phone.wait_for_load_state("networkidle")
    assert "签到成功" in phone.locator("body").inner_text()
    phone.screenshot(path=str(artifacts_dir / "partybuilding-signed-in-390.png"), full_page=True)
    member.close()
    assert meeting.attendance.get(cadre=party.users["m1"].cadre).signed_in_how == Attendance.SignIn.QR

    # The secretary records the meeting on the phone: two members on leave with reasons.
    page.goto(f"{live_server.url}/partybuilding/meetings/{meeting.pk}/")
    page.locator("#record-link").click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    page.fill("input[name=held_on]", dates.today().isoformat())
    page.fill("textarea[name=content]", "全体党员重温入党誓词，交流学习体会。")
    for name, reason in (("m2", "出差"), ("p1", "病假")):
        row = meeting.attendance.get(cadre=party.users[name].cadre)
        item = page.locator(f"#att-row-{row.pk}")
        item.locator("label", has_text="请假").click()
        item.locator(f"input[name='att-reason_{row.pk}']").fill(reason)
    page.screenshot(path=str(artifacts_dir / "partybuilding-record-390.png"), full_page=True)
    page.locator("#save-meeting").click()
    page.wait_for_load_state("networkidle")

    assert "会议记录已保存" in page.locator("body").inner_text()
    assert page.locator("#count-present").inner_text() == "3"  # 5 due (one member away is not counted), 2 on leave
    meeting.refresh_from_db()
    assert meeting.held_on == dates.today()
    statuses = dict(meeting.attendance.values_list("cadre__user__username", "status"))
    assert statuses["m2"] == statuses["p1"] == A.LEAVE and statuses["m1"] == A.PRESENT
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    page.screenshot(path=str(artifacts_dir / "partybuilding-recorded-390.png"), full_page=True)
    assert not page.console_errors
