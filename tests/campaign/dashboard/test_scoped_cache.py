"""A write makes cold only the dashboards whose figures it changes (issue 14, item 3): the
departments of the measure (lead and partners), its responsible leader and person, and the
whole bureau; every other leader's figures stay cached."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaign.dashboard import views
from tests.conftest import login

from .support import Ledger

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "scoped"}}
    settings.DASHBOARD_CACHE_SECONDS = 60
    settings.DASHBOARD_PAGE_CACHE = False  # the figures part only: the tests read the context
    cache.clear()
    yield
    cache.clear()


def visit(client):
    """(progress entries this month, queries of the request)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("campaign:dashboard"))
    assert response.status_code == 200
    return response.context["figures"]["progress_month"]["entries"], len(ctx)


def warm(clients) -> dict:
    """Each client's warm figures and query count (the second request of each)."""
    for client in clients.values():
        visit(client)
    return {name: visit(client) for name, client in clients.items()}


def test_a_progress_entry_leaves_other_departments_leaders_warm(org):
    ledger = Ledger(org)
    in_a = ledger.measure(dept=org.dept_a)  # 行政审批科: overseen by `leader`
    ledger.measure(dept=org.dept_b, leader="other_leader", person="staff_b")
    clients = {name: login(Client(), org.users[name]) for name in ("leader", "other_leader", "office", "staff_b")}
    before = warm(clients)

    ledger.progress(in_a)

    after = {name: visit(client) for name, client in clients.items()}
    # Dept A's leader and the whole bureau (the office) see the entry at once, computed afresh.
    for name in ("leader", "office"):
        assert after[name][0] == before[name][0] + 1, name
        assert after[name][1] > before[name][1], name
    # Dept B's leader and staff: the same figures, served from the cache (no more queries).
    for name in ("other_leader", "staff_b"):
        assert after[name] == before[name], name


def test_moving_a_measure_refreshes_both_departments(org):
    ledger = Ledger(org)
    measure = ledger.measure(dept=org.dept_a, leader="leader", person=None)
    ledger.progress(measure)
    clients = {name: login(Client(), org.users[name]) for name in ("leader", "other_leader")}
    before = warm(clients)

    measure.lead_department = org.dept_b
    measure.save()

    after = {name: visit(client)[0] for name, client in clients.items()}
    # The responsible leader is still `leader`: the measure stays in her view.
    assert after == {"leader": before["leader"][0], "other_leader": before["other_leader"][0] + 1}
    # Handing it to the other leader: it leaves her view (the old values count too).
    measure.responsible_leader = org.users["other_leader"].cadre
    measure.save()
    assert visit(clients["leader"])[0] == before["leader"][0] - 1


def test_a_progress_entry_leaves_the_party_and_cadre_tiles_cached(org, monkeypatch):
    """After a ledger write the leader's ledger figures are computed again, but the party-building
    tile and the cadre card (which no ledger write changes) are read from the cache."""
    computed = []
    for name in ("tile", "cadre_card"):
        target = views.partybuilding if name == "tile" else views
        original = getattr(target, name)
        monkeypatch.setattr(target, name, lambda *a, _f=original, _n=name: computed.append(_n) or _f(*a))
    ledger = Ledger(org)
    in_a = ledger.measure(dept=org.dept_a)
    client = login(Client(), org.users["leader"])
    visit(client)
    assert computed == ["tile", "cadre_card"]
    ledger.progress(in_a)
    assert visit(client)[0] == 1
    assert computed == ["tile", "cadre_card"]
    cache.clear()
    visit(client)
    assert computed == ["tile", "cadre_card"] * 2
