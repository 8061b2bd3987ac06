"""In the browser: hr opens the planner, starts a draft plan, adds two people (the head and
the deputy of one department), sees the conflict, resolves it and submits (issue 11)."""

import pytest

from cadres.models import Cadre, RotationPlan
from core import dates
from tests.conftest import browser_login
from tests.factories import PostFactory

from .factories import cadre_in_post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_drafts_a_plan_the_checks_catch_resolves_it_and_submits(page, org, artifacts_dir):
    today = dates.today()
    head = cadre_in_post(org.dept_a, years=6.5, key=True, level=Cadre.PostLevel.PRINCIPAL, name="蒋国庆", on=today)
    deputy = cadre_in_post(org.dept_a, years=5.5, key=True, level=Cadre.PostLevel.DEPUTY, name="于慧敏", on=today)
    to_head = PostFactory(department=org.dept_b, title="负责人岗")
    to_deputy = PostFactory(department=org.dept_b, title="执纪执法岗")

    browser_login(page, "hr")
    page.goto(page.base_url + "/cadres/rotation/")
    due = page.locator("#list-due")
    assert "蒋国庆" in due.inner_text() and "于慧敏" in due.inner_text()  # who is due, and why
    assert "5.5" in due.inner_text()
    page.fill(".plan-create input[name=title]", "2026年第二批中层干部交流轮岗")
    page.locator(".plan-create button").click()
    page.wait_for_load_state("networkidle")
    plan = RotationPlan.objects.get()
    assert page.url.endswith(plan.get_absolute_url())

    for cadre, post in ((head, to_head), (deputy, to_deputy)):
        page.fill("#person-search", cadre.name)  # the picker offers whom a search finds
        page.locator(".person-search button").click()
        page.wait_for_load_state("networkidle")
        form = page.locator("#add-item form.cadres-form")
        form.locator("select[name=cadre]").select_option(str(cadre.pk))
        form.locator("select[name=to_post]").select_option(str(post.pk))
        form.locator("button").click()
        page.wait_for_load_state("networkidle")
    assert plan.items.count() == 2

    checks = page.locator("#plan-checks")
    assert "正副职" in checks.inner_text() and "蒋国庆" in checks.inner_text()
    submit = page.locator(".plan-actions button", has_text="提交党组研究")
    assert submit.is_disabled()
    page.screenshot(path=str(artifacts_dir / "cadres-plan-conflict.png"), full_page=True)

    page.locator(f"#item-{plan.items.get(cadre=deputy).pk} button[name=delete]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#plan-checks .check-error").count() == 0
    page.locator(".plan-actions button", has_text="提交党组研究").click()
    page.wait_for_load_state("networkidle")
    assert "提交党组" in page.locator("#plan-status").inner_text()
    plan.refresh_from_db()
    assert plan.status == RotationPlan.Status.SUBMITTED and list(plan.items.values_list("cadre__name", flat=True)) == [
        "蒋国庆"
    ]
    assert page.console_errors == []
    page.screenshot(path=str(artifacts_dir / "cadres-plan-submitted.png"), full_page=True)
