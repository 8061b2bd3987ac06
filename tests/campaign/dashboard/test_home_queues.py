"""Home pages as work queues (issue 12 item 4): each role sees what waits for them, one
click from the work, and each queue's link lists exactly its measures in the ledger."""

import re

import pytest
from django.urls import reverse

from rectification import extensions, workflow
from rectification.models import InspectionRound, SignoffStep
from tests.conftest import login
from tests.rectification.factories import ProgressFactory, RoundFactory
from tests.rectification.ledger_support import Ledger, S, T, text_of

pytestmark = pytest.mark.django_db


def home(client, user):
    login(client, user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def queue_count(html, key):
    match = re.search(rf'id="queue-{key}" data-count="(\d+)"', html)
    assert match, key
    return int(match.group(1))


def queue_link(html, key):
    block = html[html.index(f'id="queue-{key}"') :]
    return re.search(r'<a href="([^"]+)"', block).group(1).replace("&amp;", "&")


def test_staff_see_overdue_first_in_red_then_due_soon_then_the_rest(client, org):
    ledger = Ledger(org)
    long_term = ledger.measure(term=T.LONG_TERM, description="长期坚持的措施")
    later = ledger.measure(deadline=ledger.days(90), description="九十天后到期")
    soon = ledger.measure(deadline=ledger.days(2), description="两天后到期")
    overdue = ledger.measure(deadline=ledger.days(-7), description="已逾期七天")
    html = home(client, org.users["staff"])
    block = html[html.index('id="my-measures"') :]
    order = [m.pk for m in (overdue, soon, later, long_term)]
    positions = [block.index(f"/rectification/measures/{pk}/#progress") for pk in order]
    assert positions == sorted(positions)
    first = block[: block.index("</a>")]
    assert 'data-level="red"' in first and "my-measure-overdue" in first and "逾期 7 天" in text_of_html(first)


def text_of_html(fragment):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))


def test_the_head_sees_the_departments_queues(client, org):
    ledger = Ledger(org)
    u = org.users
    ledger.measure(person=None, description="没有责任人")
    returned = ledger.measure(status=S.IN_PROGRESS, description="被退回的措施")
    SignoffStep.objects.create(
        measure=returned, action="return", from_status="submitted", to_status="in_progress", actor=u["leader"]
    )
    ready = ledger.measure(description="可以申请销号")
    ProgressFactory(measure=ready, percent=100, author=u["staff"])
    asking = ledger.measure(description="申请延期中")
    extensions.request(asking.pk, u["staff"], ledger.days(200), "需配合")
    ledger.measure(deadline=ledger.days(-3), description="逾期的措施")
    ledger.measure(dept=org.dept_b, person=None, description="别的科室的措施")
    html = home(client, u["head"])
    counts = {key: queue_count(html, key) for key in ("unassigned", "returned", "ready", "extension", "overdue")}
    assert counts == {"unassigned": 1, "returned": 1, "ready": 1, "extension": 1, "overdue": 1}
    assert "别的科室的措施" not in html
    texts = {"unassigned": "没有责任人", "returned": "被退回的措施", "ready": "可以申请销号", "overdue": "逾期的措施"}
    for key, text in texts.items():
        page = text_of(client.get(queue_link(html, key)))
        assert text in page, key
        assert not any(other in page for other in texts.values() if other != text), key


def test_a_leaders_home_puts_their_decisions_on_top_of_the_dashboard(client, org, django_capture_on_commit_callbacks):
    ledger = Ledger(org)
    u = org.users
    submitted = ledger.measure(status=S.SUBMITTED, description="待审核的销号申请")
    asking = ledger.measure(description="待审批的延期")
    extensions.request(asking.pk, u["staff"], ledger.days(200), "需配合")
    ledger.measure(status=S.SUBMITTED, leader="other_leader", dept=org.dept_b, description="别人的")
    html = home(client, u["leader"])
    assert html.index('id="work-queues"') < html.index("dash-tiles")
    assert queue_count(html, "signoff") == 1 and queue_count(html, "leader_extension") == 1
    assert f"{submitted.get_absolute_url()}#signoff" in html and f"{asking.get_absolute_url()}#extension" in html
    assert "别人的" not in html
    # The leader approves the extension: it leaves their queue for the office's.
    with django_capture_on_commit_callbacks(execute=True):
        extensions.decide(asking.extensions.get().pk, u["leader"], extensions.Action.LEADER_APPROVE)
    assert queue_count(home(client, u["leader"]), "leader_extension") == 0
    office = home(client, u["office"])
    assert queue_count(office, "office_extension") == 1


def test_the_offices_home_lists_confirmations_extensions_and_rounds_to_import(client, org):
    ledger = Ledger(org)
    ledger.measure(status=S.LEADER_APPROVED, description="待确认销号")
    RoundFactory(title="市审计局经济责任审计反馈")
    html = home(client, org.users["office"])
    waiting = InspectionRound.objects.filter(problems__isnull=True).count()  # the new one and the Ledger's spare
    assert queue_count(html, "confirm") == 1 and queue_count(html, "rounds") == waiting == 2
    assert "市审计局经济责任审计反馈" in html and "/rectification/import/?round=" in html
    # The dashboard itself (/dashboard/) stays the dashboard.
    assert 'id="work-queues"' not in client.get(reverse("campaign:dashboard")).content.decode()


def test_a_workflow_step_updates_the_cached_home_page(client, org, settings, django_capture_on_commit_callbacks):
    settings.DASHBOARD_CACHE_SECONDS = 300
    ledger = Ledger(org)
    m = ledger.measure(status=S.SUBMITTED)
    assert queue_count(home(client, org.users["leader"]), "signoff") == 1
    with django_capture_on_commit_callbacks(execute=True):
        workflow.leader_approve(m.pk, org.users["leader"])
    html = home(client, org.users["leader"])
    assert 'id="work-queues"' in html and 'id="queue-signoff"' not in html  # nothing waits now
