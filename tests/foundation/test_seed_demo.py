"""The demo bureau, seeded once for this whole module (about 5 s) instead of once per test.

The `demo` fixture seeds every app's part inside one transaction that is rolled back when
the module ends; each test runs in a savepoint inside it (pytest-django's `db`), so tests
may change the demo without affecting each other, and no other module ever sees it.
"""

import datetime as dt
import importlib
import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test.utils import override_settings

from cadres import roles
from cadres.models import Cadre, Department
from campaign.group.selectors import group_members, main_leader
from campaign.management.commands.seed_demo import DEMO_MODULES
from campaign.models import Campaign, GroupMember
from partybuilding.models import Branch

pytestmark = pytest.mark.django_db
R = GroupMember.Role
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as every test (tests/conftest.py)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """{module name: its seed summary} of the one seeding of this module."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(DEBUG=True, PASSWORD_HASHERS=FAST_HASHERS):
                yield {name: importlib.import_module(name).seed() or {} for name in DEMO_MODULES}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_seed_refuses_with_debug_off_unless_forced(settings):
    # First in the module: it runs before the demo is seeded.
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert Department.objects.count() == 0


LOGINS = ["office", "leader", "head", "staff", "secretary", "hr", "admin"]


def counts():
    return (Department.objects.count(), Cadre.objects.count(), User.objects.count(), Branch.objects.count())


def test_seed_builds_a_believable_bureau(demo):
    assert 10 <= Department.objects.count() <= 14
    assert 70 <= Cadre.objects.count() <= 100
    assert Cadre.objects.filter(is_leader=True).count() == 5
    leader = User.objects.get(username="leader").cadre
    head = User.objects.get(username="head").cadre
    staff = User.objects.get(username="staff").cadre
    assert head.department == staff.department
    assert head.department.overseen_by == leader
    for name in LOGINS:
        assert User.objects.get(username=name).check_password("demo2026"), name
    assert User.objects.get(username="office").groups.filter(name=roles.OFFICE).exists()
    branches = Branch.objects.all()
    assert branches.count() == 3 and all(b.secretary and b.departments.exists() for b in branches)
    assert Branch.objects.get(secretary__user__username="secretary").name == "机关第二党支部"


def test_the_party_building_page_lists_the_branches(demo, client):
    client.force_login(User.objects.get(username="secretary"), backend="django.contrib.auth.backends.ModelBackend")
    html = client.get("/partybuilding/").content.decode()
    assert "机关第二党支部" in html and "马文博" in html and "每月28日" in html


def test_seed_is_idempotent(demo, settings):
    settings.DEBUG = True
    before = counts()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert counts() == before and "demo data ready" in out.getvalue()


def test_the_2026_campaign_and_its_leadership_group(demo):
    campaign = Campaign.objects.get(year=2026)
    assert campaign.name == "2026年“能力作风建设年”活动"
    assert campaign.phases.count() == 3 and campaign.office_department.name == "办公室"
    members = list(group_members(campaign))
    assert members[0].role == R.LEADER and members[0].cadre.name == "王建国"
    assert {m.cadre.name for m in members if m.role == R.DEPUTY} == {"李红梅", "张志强", "赵立新", "刘文静"}
    assert sum(1 for m in members if m.role == R.MEMBER) >= 10
    director = next(m for m in members if m.role == R.OFFICE_DIRECTOR)
    assert director.cadre.department.name == "办公室"
    assert any(m.role == R.LIAISON for m in members)
    assert main_leader(dt.date(2026, 6, 1)).name == "王建国"
    assert GroupMember.objects.count() == len(members)
