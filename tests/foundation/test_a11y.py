"""Accessibility (issue 12 item 6): axe-core, injected into each page a person uses, finds no
critical or serious violation (WCAG 2.1 A/AA rules).

axe-core is an npm dev dependency (package.json); the script is evaluated through the
DevTools protocol, which the strict Content-Security-Policy does not block.
"""

import json
from pathlib import Path

import pytest
from django.conf import settings

from core.notices import create_notices
from rectification import extensions
from tests.conftest import browser_login
from tests.rectification import xlsx_fixtures as fx
from tests.rectification.ledger_support import Ledger, S

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "critical" || v.impact === "serious")
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 4).map(n => n.target.join(" ") + " — " + n.failureSummary)}));
}"""


def violations(page) -> list:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (it is a dev dependency in package.json)")
    page.wait_for_load_state("networkidle")
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    return page.evaluate(RUN_AXE)


def check(page, path: str, found: dict):
    page.goto(page.base_url + path)
    page.wait_for_load_state("networkidle")
    bad = violations(page)
    if bad:
        found[path] = bad


@pytest.fixture
def ledger(org):
    ledger = Ledger(org)
    m = ledger.measure(deadline=ledger.days(-3))
    ledger.measure(status=S.SUBMITTED)
    extensions.request(ledger.measure().pk, org.users["staff"], ledger.days(120), "需配合")
    create_notices(
        [org.users["office"], org.users["staff"]], "延期申请：1.1 修订窗口服务制度", "请审核", m.get_absolute_url()
    )
    return m


def test_no_serious_violations_on_the_pages_people_use(page, org, ledger, tmp_path):
    found: dict = {}
    check(page, "/accounts/login/", found)
    browser_login(page, "office")
    for path in [
        "/",
        "/dashboard/",
        "/rectification/",
        ledger.get_absolute_url(),
        f"/rectification/measures/{ledger.pk}/edit/",
        "/rectification/import/",
        "/reports/",
        "/notices/",
        "/partybuilding/",
        "/cadres/",
    ]:
        check(page, path, found)
    # The import preview, with a sheet that reads.
    sheet = tmp_path / "清单.xlsx"
    sheet.write_bytes(fx.inspection_sheet())
    page.goto(page.base_url + "/rectification/import/")
    page.select_option("select[name=round]", index=1)
    page.set_input_files("input[name=file]", str(sheet))
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#preview").count() == 1
    bad = violations(page)
    if bad:
        found["import preview"] = bad
    # Staff and heads see their own home page.
    for user in ("staff", "head"):
        page.context.clear_cookies()
        browser_login(page, user)
        bad = violations(page)
        if bad:
            found[f"/ ({user})"] = bad
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_axe_finds_what_it_should(page, org):
    """The check can fail: an unlabelled select is a critical violation."""
    page.goto(page.base_url + "/accounts/login/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<select><option>x</option></select>')")
    assert "select-name" in {v["id"] for v in violations(page)}
