"""A department name carrying HTML is shown as text in every chart tooltip and runs nothing,
the charts still draw under the strict Content-Security-Policy, and the browser reports
no policy violation."""

import pytest

from tests.conftest import browser_login

from .support import Ledger
from .test_browser import CHARTS, wait_for_charts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVIL = '<img src=x onerror="window.__xss=1">科'


def hover_tooltip(page, chart_id, data_index):
    point = page.evaluate(
        """([id, i]) => { const el = document.getElementById(id);
                          const chart = echarts.getInstanceByDom(el);
                          const opt = chart.getOption();
                          const horizontal = opt.yAxis[0].type === 'category';
                          const [x, y] = horizontal ? chart.convertToPixel({seriesIndex: 0}, [1, i])
                                                    : chart.convertToPixel({seriesIndex: 0}, [i, 0]);
                          const r = el.getBoundingClientRect();
                          return {x: r.left + x, y: r.top + y - 2}; }""",
        [chart_id, data_index],
    )
    page.mouse.move(point["x"], point["y"])
    page.wait_for_timeout(400)
    return page.evaluate(
        """id => Array.from(document.querySelectorAll('#' + id + ' div'))
                 .filter(d => d.querySelector('.dash-tip')).map(d => d.textContent).join('|')""",
        chart_id,
    )


def test_a_department_name_with_html_stays_text(page, org, artifacts_dir):
    org.dept_a.name = EVIL
    org.dept_a.save()
    ledger = Ledger(org)
    ledger.scenario()
    browser_login(page, "office")
    page.goto(page.base_url + "/dashboard/")
    wait_for_charts(page)
    page.locator("#chart-departments").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    categories = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('chart-departments')).getOption().yAxis[0].data"
    )
    text = hover_tooltip(page, "chart-departments", categories.index(EVIL))
    assert EVIL in text, text  # shown literally, not parsed as HTML
    assert page.evaluate("() => window.__xss") is None
    assert page.locator(".dash-chart img").count() == 0
    # The axis tooltips (by source) show the series' values as text too.
    page.locator("#chart-source").scroll_into_view_if_needed()
    assert hover_tooltip(page, "chart-source", 0)
    page.screenshot(path=str(artifacts_dir / "dashboard-xss.png"), full_page=True)
    assert all(
        n > 3
        for n in page.evaluate("ids => ids.map(id => document.querySelectorAll('#' + id + ' svg path').length)", CHARTS)
    )
    assert page.console_errors == [], page.console_errors
