import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from cadres import roles
from cadres.models import Cadre, Department
from partybuilding.models import Branch

pytestmark = pytest.mark.django_db

LOGINS = ["office", "leader", "head", "staff", "secretary", "hr", "admin"]


def counts():
    return (Department.objects.count(), Cadre.objects.count(), User.objects.count(), Branch.objects.count())


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def test_seed_builds_a_believable_bureau(seeded):
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


def test_the_party_building_page_lists_the_branches(seeded, client):
    client.force_login(User.objects.get(username="secretary"), backend="django.contrib.auth.backends.ModelBackend")
    html = client.get("/partybuilding/").content.decode()
    assert "机关第二党支部" in html and "马文博" in html and "每月28日" in html


def test_seed_is_idempotent(seeded):
    before = counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert counts() == before


def test_seed_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert Department.objects.count() == 0
