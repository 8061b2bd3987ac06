"""The demo bureau, seeded once for this whole module (about 5 s) instead of once per test.

The `demo` fixture seeds every app's part inside one transaction that is rolled back when
the module ends; each test runs in a savepoint inside it (pytest-django's `db`), so tests
may change the demo without affecting each other, and no other module ever sees it.
"""

import datetime as dt
import importlib
import io
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.test.utils import override_settings

from cadres import roles
from cadres.models import Cadre, Department
from campaign.group.selectors import group_members, main_leader
from campaign.management.commands.seed_demo import DEMO_MODULES
from campaign.models import Campaign, GroupMember
from core import dates
from partybuilding.models import Branch
from rectification import deadlines, history, workflow
from rectification import demo as rectification_demo
from rectification.models import Evidence, Extension, InspectionRound, Measure, Progress, SignoffStep
from rectification.selectors import assigned_to, visible_measures

pytestmark = pytest.mark.django_db
R = GroupMember.Role
S = Measure.Status
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as every test (tests/conftest.py)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The one seeding of this module: each demo module's summary, and where its files are."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(DEBUG=True, PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media):
                summaries = {name: importlib.import_module(name).seed() or {} for name in DEMO_MODULES}
            yield SimpleNamespace(summaries=summaries, media=media)
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
    branches = Branch.objects.filter(kind=Branch.Kind.BRANCH)  # the centre group is recorded beside them
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


def test_the_demo_ledger_covers_every_status_and_term_and_is_idempotent(demo, settings):
    settings.MEDIA_ROOT = demo.media  # where the seed wrote the evidence files
    first = demo.summaries["rectification.demo"]
    again = rectification_demo.seed()
    assert again["measures"] == first["measures"] == Measure.objects.count()
    assert InspectionRound.objects.count() == 3
    assert set(InspectionRound.objects.values_list("source", flat=True)) == {"provincial", "municipal", "audit"}
    assert 35 <= InspectionRound.objects.aggregate(n=Count("problems"))["n"] <= 45
    # Each round has its own problems; the audit round waits for its list to be imported.
    texts = {r.source: set(r.problems.values_list("description", flat=True)) for r in InspectionRound.objects.all()}
    assert len(texts["provincial"]) == len(texts["municipal"]) == 20 and not texts["provincial"] & texts["municipal"]
    assert texts["audit"] == set()
    # Extensions approved and waiting, for the leader's and the office's queues.
    statuses = set(Extension.objects.values_list("status", flat=True))
    assert {"approved", "leader_review", "office_review"} <= statuses
    assert 90 <= Measure.objects.count() <= 110
    assert 250 <= Progress.objects.count() <= 420
    assert set(Measure.objects.values_list("status", flat=True)) == set(S.values)
    assert set(Measure.objects.values_list("term", flat=True)) == set(Measure.Term.values)
    today = dates.today()
    assert Measure.objects.filter(deadlines.overdue_q(today)).count() >= 3
    assert (
        Measure.objects.filter(deadlines.due_soon_q(today)).exists()
        or Measure.objects.filter(deadlines.warning_q(deadlines.YELLOW, today)).exists()
    )
    # Progress over the last six months, never in the future.
    progress_dates = Progress.objects.values_list("date", flat=True)
    assert min(progress_dates) >= today - dt.timedelta(days=190) and max(progress_dates) <= today
    # Real files behind the evidence rows.
    files = list(Evidence.objects.all()[:5])
    assert files and all(f.file.storage.exists(f.file.name) for f in files)
    # Every finished measure went through the steps.
    closed = Measure.objects.filter(status=S.CLOSED).first()
    assert list(SignoffStep.objects.filter(measure=closed).values_list("action", flat=True))[-3:] == [
        "submit",
        "leader_approve",
        "office_confirm",
    ]
    assert closed.completed_on is not None

    # The demo logins have their work.
    staff, leader = User.objects.get(username="staff"), User.objects.get(username="leader")
    mine = assigned_to(staff)
    assert mine.count() >= 8
    assert {m.lead_department.name for m in mine} == {"行政审批科"}
    assert mine.filter(status=S.IN_PROGRESS).exists()
    # The leader has requests to review, in the departments 李红梅 oversees.
    to_review = [
        m for m in visible_measures(leader).filter(status=S.SUBMITTED) if workflow.may_leader_review(leader, m)
    ]
    assert to_review
    assert {m.lead_department.name for m in to_review} <= {"行政审批科", "政策法规科"}
    # History is dated in the past and names who did it.
    entries = history.measure_timeline(mine.filter(status=S.IN_PROGRESS).first())
    assert entries and all(e.who != "系统" for e in entries)
