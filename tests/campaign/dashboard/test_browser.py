"""The dashboard in headless Chromium: charts drawn, Chinese labels, no console errors,
usable at 390 px, a bar click opens the ledger, and printing gives clean A4 pages."""

import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import browser_login

from .support import Ledger

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = ["chart-source", "chart-departments", "chart-closed", "chart-overdue"]


def charts_drawn(page) -> dict:
    return page.evaluate(
        """ids => Object.fromEntries(ids.map(id => {
            const el = document.getElementById(id);
            const svg = el && el.querySelector('svg');
            return [id, svg ? svg.querySelectorAll('path').length : 0];
        }))""",
        CHARTS,
    )


def wait_for_charts(page):
    page.wait_for_function(
        """ids => ids.every(id => { const s = document.querySelector('#' + id + ' svg');
                                    return s && s.querySelectorAll('path').length > 3; })""",
        arg=CHARTS,
        timeout=10000,
    )


def test_leader_dashboard_in_the_browser(page, org, artifacts_dir):
    Ledger(org).scenario()
    browser_login(page, "leader")
    # Leaders land on the dashboard after logging in: their home page is the dashboard.
    assert urlsplit(page.url).path == "/"
    assert "领导驾驶舱" in page.title()
    wait_for_charts(page)
    drawn = charts_drawn(page)
    assert all(n > 3 for n in drawn.values()), drawn
    text = page.inner_text("main")
    for label in (
        "领导驾驶舱",
        "完成率",
        "逾期",
        "临期",
        "本月整改进展",
        "待我审核的销号",
        "各反馈来源整改措施状态",
        "各牵头科室整改完成率",
        "每月销号措施数",
        "逾期措施按逾期天数分布",
        "党建工作",
        "干部工作",
    ):
        assert label in text, label
    # The charts' own words are Chinese too (status legend, department names, bucket labels).
    svg_text = page.evaluate(
        "() => Array.from(document.querySelectorAll('.dash-chart svg text')).map(t => t.textContent).join(' ')"
    )
    assert "整改中" in svg_text and "行政审批科" in svg_text and "天" in svg_text
    page.screenshot(path=str(artifacts_dir / "dashboard.png"), full_page=True)
    assert page.console_errors == []

    # Usable on a phone: no horizontal scrolling at 390 px, charts still drawn.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_load_state("networkidle")
    wait_for_charts(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    page.screenshot(path=str(artifacts_dir / "dashboard-390.png"), full_page=True)
    assert page.console_errors == []


def test_clicking_a_bar_opens_the_ledger_with_its_measures(page, org):
    Ledger(org).scenario()
    browser_login(page, "office")
    page.goto(page.base_url + "/dashboard/")
    wait_for_charts(page)
    # The ">90 days" bucket: click the middle of its bar, where ECharts draws it.
    page.locator("#chart-overdue").scroll_into_view_if_needed()
    page.wait_for_timeout(600)  # the bars' short grow animation
    point = page.evaluate(
        """() => { const el = document.getElementById('chart-overdue');
                   const chart = echarts.getInstanceByDom(el);
                   const [x, y] = chart.convertToPixel({seriesIndex: 0}, [3, 1]);
                   const r = el.getBoundingClientRect();
                   return {x: r.left + x, y: r.top + y - 3}; }"""
    )
    with page.expect_navigation():
        page.mouse.click(point["x"], point["y"])
    query = parse_qs(urlsplit(page.url).query)
    assert urlsplit(page.url).path == "/rectification/"
    assert query["overdue_min"] == ["91"] and "overdue_max" not in query
    assert re.findall(r"\d+", page.inner_text("#ledger-count"))[0] == "2"


def test_printing_gives_clean_a4_pages(page, org, artifacts_dir):
    from pypdf import PdfReader

    Ledger(org).scenario()
    browser_login(page, "leader")
    page.goto(page.base_url + "/dashboard/?scope=all")
    wait_for_charts(page)
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert not page.locator("nav.app-topbar").is_visible()
    assert not page.locator(".dash-switch").is_visible()
    # Every chart fits within the A4 text width (210 mm - 2 × 12 mm ≈ 703 px at 96 dpi).
    widths = page.evaluate("ids => ids.map(id => document.getElementById(id).getBoundingClientRect().right)", CHARTS)
    assert max(widths) <= 703, widths
    pdf = page.pdf(format="A4", print_background=True)
    (artifacts_dir / "dashboard.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595) < 2 and abs(float(box.height) - 842) < 2  # A4: 210 × 297 mm
    assert len(reader.pages) == 1  # one clean page
    assert page.console_errors == []
