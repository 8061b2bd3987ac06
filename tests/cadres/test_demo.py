"""The demo's cadre work tells a consistent story: names match genders, leaders, heads,
deputies and branch officers are Party members, the work histories pass the sanity checks,
潘明轩 must rotate, some are due, one moved twice within a year, the draft plan has exactly
one 回避 conflict and one head-and-deputy conflict, young cadres serve at the front line
and talks cover most, not all, required pairs. Seeded once for the module."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test.utils import override_settings

from cadres import coverage, rotation, sanity, selectors
from cadres.figures import work_figures
from cadres.models import Cadre, RotationPlan
from campaign.management.commands.seed_demo import DEMO_MODULES
from core import dates
from partybuilding.models import Branch

pytestmark = pytest.mark.django_db
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(DEBUG=True, PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=tmp_path_factory.mktemp("m")):
                for name in DEMO_MODULES:
                    importlib.import_module(name).seed()
            yield SimpleNamespace(today=dates.today())
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_names_roles_genders_and_party_membership_agree(demo):
    people = {c.name: c for c in Cadre.objects.all()}
    assert people["周志刚"].gender == "M" and people["郭雪梅"].gender == "F" and people["李红梅"].gender == "F"
    party = (Cadre.Political.MEMBER, Cadre.Political.PROBATIONARY)
    officers = Cadre.objects.filter(is_leader=True) | Cadre.objects.exclude(post_level=Cadre.PostLevel.MEMBER)
    assert all(c.political_status == Cadre.Political.MEMBER for c in officers)
    for branch in Branch.objects.select_related("secretary", "commissioner"):
        for cadre in (branch.secretary, branch.commissioner):
            assert cadre is None or cadre.political_status in party, (branch, cadre)
    assert people["周志刚"].political_status == Cadre.Political.MEMBER
    for name in ("丽娟", "雪梅", "海燕", "红霞", "丹丹"):
        assert all(c.gender == "F" for n, c in people.items() if n.endswith(name)), name


def test_every_record_passes_the_date_sanity_checks(demo):
    for cadre in Cadre.objects.all():
        holdings = selectors.holdings_of(cadre)
        assert sanity.record_warnings(cadre, holdings) == [], cadre.name
        if not cadre.is_leader:
            assert holdings and holdings[-1].end is None and cadre.in_post_since == holdings[-1].start, cadre.name


def test_who_is_due_must_and_flagged(demo):
    lists = rotation.rotation_lists(demo.today)
    (must,) = lists.must
    assert must.name == "潘明轩" and must.years == 11.9 and must.is_key
    assert len(lists.due) >= 2
    assert {a.name for a in lists.frequent} == {"田浩然"}
    assert "潘明轩" in {a.name for a in lists.long_stay}
    assert len(lists.exempt) >= 2 and all(a.exemptions for a in lists.exempt)


def test_the_draft_plan_has_one_avoidance_and_one_head_and_deputy_conflict(demo):
    plan = RotationPlan.objects.get(status=RotationPlan.Status.DRAFT)
    errors = [f.text for f in rotation.check_plan(plan, demo.today) if f.level == "error"]
    assert len(errors) == 2
    assert any("黄振华" in e and "韩丹丹" in e for e in errors)
    assert any("规划建设科" in e for e in errors)


def test_young_cadres_at_the_front_line_and_talks_cover_most_pairs(demo):
    figures = work_figures(demo.today)
    assert figures.frontline_now >= 1
    assert 0.75 < figures.talk_rate < 1
    rules = {p.rule for p in coverage.required_pairs()}
    assert rules == {"leader_heads", "head_staff", "branch_members"}
