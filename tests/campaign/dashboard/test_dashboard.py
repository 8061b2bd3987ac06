"""The leaders' dashboard: scoping, click-through counts, cache invalidation, empty state,
constant query count, landing page."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from campaign.dashboard import cache as dashboard_cache
from campaign.dashboard import charts
from campaign.models import Campaign, GroupMember
from rectification.models import Measure
from rectification.selectors import visible_measures
from rectification.signals import ledger_changed

from .support import Ledger, ledger_count, page_links, query_of

pytestmark = pytest.mark.django_db
S = Measure.Status


@pytest.fixture(autouse=True)
def own_cache(settings):
    """A private in-memory cache: other test runs sharing the file cache cannot interfere."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "dashboard-tests"}
    }
    settings.DASHBOARD_CACHE_SECONDS = 60
    # The tests read the figures from the template context; the whole-page cache (which
    # sends stored HTML, no context) has its own tests below.
    settings.DASHBOARD_PAGE_CACHE = False
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ledger(org):
    data = Ledger(org)
    data.made = data.scenario()
    return data


def get_dashboard(client, query=""):
    response = client.get(reverse("campaign:dashboard") + query)
    assert response.status_code == 200
    return response


def headline(response):
    return response.context["figures"]["headline"]


# --- scoping -------------------------------------------------------------------------------


def test_leader_sees_overseen_departments_by_default_and_can_switch(client_as, org, ledger):
    client = client_as("leader")
    own = get_dashboard(client)
    leader = org.users["leader"]
    expected = visible_measures(leader).count()
    assert headline(own)["total"] == expected
    # dept_a's nine, dept_b's measure with dept_a as partner, and the one `leader` is responsible for;
    # not dept_b's own measures.
    assert expected == 11
    assert not own.context["scope"].whole_bureau
    html = own.content.decode()
    assert "分管科室" in html and "全局" in html and "行政审批科" in html

    whole = get_dashboard(client, "?scope=all")
    assert headline(whole)["total"] == Measure.objects.count() == 14
    assert whole.context["scope"].whole_bureau
    # Every link of the whole-bureau view asks the ledger for the whole bureau.
    links = page_links(whole.content.decode())
    assert links and all(query_of(url).get("scope") == ["all"] for url, _n, what in links if what != "tile waiting")


def test_other_leader_counts_only_their_departments(client_as, org, ledger):
    response = get_dashboard(client_as("other_leader"))
    assert headline(response)["total"] == visible_measures(org.users["other_leader"]).count()
    overdue = {row["description"] for row in response.context["figures"]["overdue_list"]}
    assert ledger.made["b_overdue_long"].description in overdue
    assert ledger.made["overdue_3"].description not in overdue


def test_main_leader_and_office_see_the_whole_bureau(client_as, org, ledger):
    campaign = Campaign.objects.create(
        name="2026年“能力作风建设年”活动", year=2026, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    GroupMember.objects.create(campaign=campaign, cadre=org.users["leader"].cadre, role=GroupMember.Role.LEADER)
    client = client_as("leader")
    response = get_dashboard(client)
    assert response.context["scope"].whole_bureau and response.context["scope"].is_main_leader
    assert headline(response)["total"] == 14
    narrowed = get_dashboard(client, "?scope=own")
    assert headline(narrowed)["total"] == 11

    office = get_dashboard(client_as("office"))
    assert headline(office)["total"] == 14
    assert not office.context["scope"].can_switch
    assert "dash-switch" not in office.content.decode()


def test_staff_sees_their_department_without_switch_or_waiting_tile(client_as, org, ledger):
    response = get_dashboard(client_as("staff_b"))
    assert headline(response)["total"] == visible_measures(org.users["staff_b"]).count()
    assert response.context["waiting"] is None
    assert 'data-figure="waiting"' not in response.content.decode()
    # ?scope=all does not widen a non-leader's view.
    assert headline(get_dashboard(client_as("staff_b"), "?scope=all"))["total"] == headline(response)["total"]


# --- every figure and bar links to exactly its measures -------------------------------------


@pytest.mark.parametrize(
    "username,query",
    [
        ("leader", ""),
        ("leader", "?scope=all"),
        ("other_leader", ""),
        ("office", ""),
        ("head", ""),
        ("staff_b", ""),
        ("admin", ""),
    ],
)
def test_every_link_lists_as_many_measures_as_its_figure(client_as, org, ledger, username, query):
    response = get_dashboard(client_as(username), query)
    links = page_links(response.content.decode())
    kinds = {what.split()[0] for _url, _n, what in links}
    assert {"tile", "source", "department", "closed", "overdue", "leader"} <= kinds
    user = org.users[username]
    mismatches = [(what, url, n, ledger_count(user, url)) for url, n, what in links if ledger_count(user, url) != n]
    assert not mismatches
    # The figures behind the links are not all zero: the scenario has something everywhere.
    assert sum(n for _url, n, _what in links) > 0
    # And dashboard.figure_links (the pairs the page is built from) agree too.
    scope = response.context["scope"]
    for url, n in charts.figure_links(response.context["figures"], scope):
        assert ledger_count(user, url) == n, url


def test_specific_figures(client_as, org, ledger):
    h = headline(get_dashboard(client_as("office")))
    assert h["total"] == 14
    assert h["closed"] == 3 and h["stage_complete"] == 1 and h["done"] == 4
    assert h["overdue"] == 5  # -3, -20, -100 (submitted), -50, -200
    assert [h[f"bucket{i}"] for i in range(4)] == [1, 1, 1, 2]
    assert h["due_soon"] >= 1


def test_waiting_for_me(client_as, org, ledger):
    # `leader` reviews dept_a's submitted requests (as overseer, even with another
    # responsible leader) — not dept_b's.
    leader = get_dashboard(client_as("leader")).context["waiting"]
    assert leader["count"] == 2
    assert ledger_count(org.users["leader"], leader["url"]) == 2
    office = get_dashboard(client_as("office")).context["waiting"]
    assert office["count"] == 1 and query_of(office["url"])["status"] == ["leader_approved"]
    assert ledger_count(org.users["office"], office["url"]) == 1


def test_the_ledger_page_shows_the_same_counts(client_as, org, ledger):
    try:
        ledger_url = reverse("rectification:ledger")
    except NoReverseMatch:
        pytest.fail("the ledger (rectification:ledger) does not exist")
    client = client_as("leader")
    for query in ("", "?scope=all"):
        response = get_dashboard(client, query)
        links = page_links(response.content.decode())
        checked = 0
        for url, n, what in links:
            assert url.startswith(ledger_url)
            if what.startswith(("tile", "overdue", "department")):
                page = client.get(url)
                assert page.status_code == 200
                assert page.context["page"].paginator.count == n, (what, url)
                checked += 1
        assert checked >= 8


# --- cache ---------------------------------------------------------------------------------------


def test_figures_are_cached_and_a_write_shows_at_once(client_as, org, ledger):
    client = client_as("office")
    first = headline(get_dashboard(client))
    with CaptureQueriesContext(connection) as cached:
        get_dashboard(client, "?x=1")
    dashboard_cache.invalidate()
    with CaptureQueriesContext(connection) as computing:
        get_dashboard(client)
    with CaptureQueriesContext(connection) as warm:
        get_dashboard(client)
    assert len(warm) < len(computing)  # the second request is served from the cache
    assert len(cached) == len(warm)

    # A new progress entry: "progress this month" moves at once.
    before = get_dashboard(client).context["figures"]["progress_month"]["entries"]
    ledger.progress(ledger.made["approved"])
    assert get_dashboard(client).context["figures"]["progress_month"]["entries"] == before + 1

    # A sign-off (status change) moves the closed count and the completion rate.
    measure = ledger.made["approved"]
    measure.status, measure.completed_on = S.CLOSED, ledger.today
    measure.save()
    after = headline(get_dashboard(client))
    assert after["closed"] == first["closed"] + 1 and after["done"] == first["done"] + 1

    # A bulk write that sends no model signal, announced with ledger_changed (imports do).
    Measure.objects.filter(pk=ledger.made["overdue_3"].pk).update(status=S.CLOSED, completed_on=ledger.today)
    assert headline(get_dashboard(client))["closed"] == after["closed"]  # still cached
    ledger_changed.send(sender=None, measure_ids=[ledger.made["overdue_3"].pk])
    assert headline(get_dashboard(client))["closed"] == after["closed"] + 1


def test_partner_change_and_oversight_change_invalidate(client_as, org, ledger):
    client = client_as("other_leader")
    total = headline(get_dashboard(client))["total"]
    ledger.made["overdue_3"].partner_departments.add(org.dept_b)
    assert headline(get_dashboard(client))["total"] == total + 1
    org.dept_a.overseen_by = org.users["other_leader"].cadre
    org.dept_a.save()
    assert headline(get_dashboard(client))["total"] == Measure.objects.exclude(lead_department=org.office_dept).count()


def test_cache_can_be_switched_off(client_as, org, ledger, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    client = client_as("office")
    get_dashboard(client)
    with CaptureQueriesContext(connection) as again:
        get_dashboard(client)
    dashboard_cache.invalidate()
    with CaptureQueriesContext(connection) as fresh:
        get_dashboard(client)
    assert len(again) == len(fresh)


# --- empty state ------------------------------------------------------------------------------


def test_new_campaign_with_no_data_shows_what_to_do(client_as, org):
    Campaign.objects.create(
        name="2027年“能力作风建设年”活动", year=2027, start=dt.date(2027, 1, 1), end=dt.date(2027, 12, 31)
    )
    for username in ("office", "leader", "staff"):
        response = get_dashboard(client_as(username))
        html = response.content.decode()
        assert 'id="dash-empty"' in html
        assert "当前范围内还没有整改措施" in html and "问题清单" in html
        assert "chart-source" not in html
        assert headline(response)["total"] == 0
        assert "党建工作" in html and "干部工作" in html
        # The office is offered the import page; nobody else is.
        assert ('href="/rectification/import/"' in html) == (username == "office")


def test_no_campaign_at_all(client_as, org, ledger):
    assert Campaign.objects.count() == 0
    response = get_dashboard(client_as("office"))
    assert response.context["figures"]["campaign"] is None
    assert response.context["figures"]["closed_per_month"]  # months of the current year so far


# --- performance -------------------------------------------------------------------------------


def _queries(client, query=""):
    dashboard_cache.invalidate()
    with CaptureQueriesContext(connection) as ctx:
        get_dashboard(client, query)
    return len(ctx)


def test_query_count_does_not_grow_with_the_data(client_as, org, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    data = Ledger(org)
    data.scenario()
    counts = {}
    views = (("office", ""), ("leader", ""), ("leader", "?scope=all"), ("staff", ""))
    for username, query in views:
        _queries(client_as(username), query)  # once-per-process lookups (the working-day calendar) out of the way
    for username, query in views:
        counts[username, query] = _queries(client_as(username), query)
    for _ in range(9):
        data.scenario()
    assert Measure.objects.count() == 140
    for (username, query), n in counts.items():
        assert _queries(client_as(username), query) == n, (username, query)


# --- landing page ---------------------------------------------------------------------------------


def test_leaders_and_office_land_on_the_dashboard(client_as):
    for username in ("leader", "office"):
        response = client_as(username).get("/")
        assert response.status_code == 200 and "领导驾驶舱" in response.content.decode()
        stay = client_as(username).get("/?stay=1").content.decode()
        assert "我的工作入口" in stay and "各反馈来源整改措施状态" not in stay
    assert client_as("staff").get("/").status_code == 200


def test_dashboard_is_chinese_with_local_echarts_and_sweep_status(client_as, org, ledger):
    html = get_dashboard(client_as("leader")).content.decode()
    assert "领导驾驶舱" in html and "各反馈来源整改措施状态" in html and "逾期措施" in html
    assert "/static/vendor/echarts/echarts.min.js" in html and "cdn" not in html.lower()
    assert 'id="dashboard-data"' in html
    assert "tile-partybuilding" in html and "tile-cadres" in html


def test_the_sweep_status_shows_at_once_when_a_sweep_runs(client_as, org, ledger):
    from django.utils import timezone

    from campaign.models import SweepRun

    client = client_as("leader")
    html = get_dashboard(client).content.decode()
    assert 'id="sweep-status"' in html and "尚未运行" in html
    SweepRun.objects.create(day=ledger.today, status=SweepRun.Status.DONE, finished_at=timezone.now())
    html = get_dashboard(client).content.decode()
    assert "尚未运行" not in html


# --- the whole-page cache ----------------------------------------------------------------------------


def tile_counts(response) -> dict:
    html = response.content.decode()
    return {key: int(n) for key, n in re.findall(r'data-figure="(\w+)" data-count="(\d+)"', html)}


def test_the_page_cache_serves_a_warm_page_cheaply_and_a_write_shows_at_once(client_as, org, ledger, settings):
    settings.DASHBOARD_PAGE_CACHE = True
    client = client_as("office")
    first = get_dashboard(client)
    assert first.context is not None
    with CaptureQueriesContext(connection) as warm:
        second = get_dashboard(client)
    assert second.context is None  # sent from the cache
    assert second.content == first.content
    assert len(warm) <= 3  # session, user, unread notices
    closed = tile_counts(second)["closed"]
    measure = ledger.made["approved"]
    measure.status, measure.completed_on = S.CLOSED, ledger.today
    measure.save()
    assert tile_counts(get_dashboard(client))["closed"] == closed + 1


def test_the_page_cache_keeps_badge_messages_and_people_apart(client_as, org, ledger, settings, client):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest

    from core.models import Notice

    settings.DASHBOARD_PAGE_CACHE = True
    office = client_as("office")
    get_dashboard(office)
    get_dashboard(office)
    Notice.objects.create(recipient=org.users["office"], title="整改时限提醒", link="/dashboard/")
    assert 'id="unread-badge">1<' in get_dashboard(office).content.decode()

    value = CookieStorage(HttpRequest())._encode([Message(constants.SUCCESS, "领导小组成员已保存。")])
    office.cookies["messages"] = value
    assert "领导小组成员已保存。" in get_dashboard(office).content.decode()

    # Another person's session never receives this page.
    from django.test import Client

    from tests.conftest import login

    other = login(Client(), org.users["leader"])
    html = get_dashboard(other).content.decode()
    assert "李红梅" in html and "待我审核的销号" in html
    assert html != get_dashboard(office).content.decode()
