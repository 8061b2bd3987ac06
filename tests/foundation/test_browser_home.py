import pytest

from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_logs_in_and_sees_the_chinese_home_page(page, org, artifacts_dir):
    browser_login(page, "staff")
    assert page.url.rstrip("/") == page.base_url.rstrip("/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    body = page.locator("body").inner_text()
    assert "我的整改任务" in body and "退出登录" not in body  # the user menu is folded
    page.screenshot(path=str(artifacts_dir / "home-staff.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    page.screenshot(path=str(artifacts_dir / "home-staff-390.png"), full_page=True)
    assert not page.console_errors
