"""The rotation rules (who must rotate, who is due, red flags both ways, exemptions, each
with its reason) and the checks on a plan (head and deputy, 任职回避, warnings)."""

import datetime as dt

import pytest

from cadres import rotation
from cadres.models import Cadre, PostHolding
from tests.factories import CadreFactory, DepartmentFactory, PostFactory

from .factories import DAY, DeferralFactory, ItemFactory, PlanFactory, RelationFactory, cadre_in_post

pytestmark = pytest.mark.django_db
L = Cadre.PostLevel


@pytest.fixture
def dept():
    return DepartmentFactory(name="执法监督科")


def lists(on=DAY):
    found = rotation.rotation_lists(on)
    return {key: [a.name for a in getattr(found, key)] for key in ("must", "due", "exempt", "long_stay", "frequent")}


def test_middle_level_in_a_key_post_five_years_is_due_with_the_reason(dept):
    cadre_in_post(dept, years=5.2, key=True, name="甲")
    cadre_in_post(dept, years=4.8, key=True, name="乙")  # not yet
    cadre_in_post(dept, years=6, key=False, name="丙")  # not a key post
    cadre_in_post(dept, years=6, key=True, level=L.MEMBER, name="丁")  # not middle-level
    assert lists()["due"] == ["甲"]
    (due,) = rotation.rotation_lists(DAY).due
    assert "5.2" in due.reasons[0] and "5" in due.reasons[0]


def test_ten_years_in_any_post_must_rotate_and_is_a_red_flag(dept):
    cadre_in_post(dept, years=11.9, key=True, name="潘明轩")
    cadre_in_post(dept, years=10.5, level=L.MEMBER, name="科员")  # red flag, but not middle-level
    found = lists()
    assert found["must"] == ["潘明轩"] and found["due"] == []
    assert found["long_stay"] == ["潘明轩", "科员"]


def test_the_thresholds_are_settings(dept, settings):
    cadre_in_post(dept, years=4, key=True, name="甲")
    settings.ROTATION_DUE_YEARS = 3
    assert lists()["due"] == ["甲"]
    settings.ROTATION_MUST_YEARS = 4
    assert lists()["must"] == ["甲"]


def test_two_moves_within_twelve_months_is_a_red_flag(dept):
    other = DepartmentFactory(name="信息中心")
    mover = CadreFactory(name="田浩然", department=other, in_post_since=DAY - dt.timedelta(days=90))
    for start, end, department in [
        (dt.date(2019, 1, 1), dt.date(2025, 8, 31), dept),
        (dt.date(2025, 9, 1), DAY - dt.timedelta(days=91), dept),
        (DAY - dt.timedelta(days=90), None, other),
    ]:
        PostHolding.objects.create(cadre=mover, department=department, start=start, end=end)
    once = CadreFactory(name="一次", department=other)
    PostHolding.objects.create(cadre=once, department=dept, start=dt.date(2019, 1, 1), end=dt.date(2025, 12, 31))
    PostHolding.objects.create(cadre=once, department=other, start=dt.date(2026, 1, 1))
    assert lists()["frequent"] == ["田浩然"]
    (flagged,) = rotation.rotation_lists(DAY).frequent
    assert "2025-09-01" in flagged.flag_reasons[0]
    # A year later the moves have left the window.
    assert lists(DAY + dt.timedelta(days=400))["frequent"] == []


def test_near_retirement_and_deferral_are_exempt_with_their_reason(dept):
    cadre_in_post(dept, years=6, key=True, name="老将", birth_date=dt.date(1967, 3, 1))  # 59 on DAY
    cadre_in_post(dept, years=6, key=True, name="女干部", gender="F", birth_date=dt.date(1972, 1, 1))  # 54, retires 55
    deferred = cadre_in_post(dept, years=7, key=True, name="暂缓")
    DeferralFactory(cadre=deferred, until=DAY + dt.timedelta(days=30), reason="承担专项审计")
    expired = cadre_in_post(dept, years=7, key=True, name="到期")
    DeferralFactory(cadre=expired, until=DAY - dt.timedelta(days=1))
    found = lists()
    assert found["due"] == ["到期"]
    assert sorted(found["exempt"]) == sorted(["老将", "女干部", "暂缓"])
    reasons = {a.name: a.exemptions[0] for a in rotation.rotation_lists(DAY).exempt}
    assert "承担专项审计" in reasons["暂缓"] and "60" in reasons["老将"] and "55" in reasons["女干部"]


def test_bureau_leaders_and_inactive_people_are_not_assessed(dept):
    cadre_in_post(dept, years=12, key=True, name="局领导", is_leader=True)
    cadre_in_post(dept, years=12, key=True, name="已离开", active=False)
    assert lists() == {"must": [], "due": [], "exempt": [], "long_stay": [], "frequent": []}


# --- plan checks -------------------------------------------------------------------------------


def checks(plan):
    return [(f.level, f.text) for f in rotation.check_plan(plan, DAY)]


def errors(plan):
    return [text for level, text in checks(plan) if level == "error"]


def test_head_and_deputy_of_one_department_moved_together_is_an_error(dept):
    head = cadre_in_post(dept, years=6, level=L.PRINCIPAL, name="科长")
    deputy = cadre_in_post(dept, years=6, level=L.DEPUTY, name="副科长")
    plan = PlanFactory()
    ItemFactory(plan=plan, cadre=head)
    assert errors(plan) == []
    item = ItemFactory(plan=plan, cadre=deputy)
    (error,) = errors(plan)
    assert "执法监督科" in error and "科长" in error and "副科长" in error
    item.delete()
    assert errors(plan) == []


def test_relatives_may_not_end_up_in_one_department(dept):
    finance = DepartmentFactory(name="审批科")
    husband = cadre_in_post(dept, years=3, level=L.MEMBER, name="黄振华")
    wife = cadre_in_post(finance, years=3, level=L.MEMBER, name="韩丹丹")
    RelationFactory(cadre=husband, relative=wife)
    plan = PlanFactory()
    ItemFactory(plan=plan, cadre=husband, to_post=PostFactory(department=finance))
    (error,) = errors(plan)
    assert "黄振华" in error and "韩丹丹" in error and "审批科" in error


def test_a_leaders_relative_may_not_go_to_finance_or_to_a_department_the_leader_oversees(dept):
    leadership = DepartmentFactory(name="局领导班子")
    leader = CadreFactory(name="张志强", department=leadership, is_leader=True)
    nephew = cadre_in_post(dept, years=3, level=L.MEMBER, name="侄子")
    RelationFactory(cadre=leader, relative=nephew, kind="collateral")
    finance = DepartmentFactory(name="计划财务科")
    overseen = DepartmentFactory(name="安全监管科", overseen_by=leader)
    neutral = DepartmentFactory(name="信息中心")
    plan = PlanFactory()
    item = ItemFactory(plan=plan, cadre=nephew, to_post=PostFactory(department=finance))
    assert any("计划财务科" in e for e in errors(plan))
    item.to_post = PostFactory(department=overseen)
    item.to_department = overseen
    item.save()
    assert any("分管" in e or "oversees" in e for e in errors(plan))
    item.to_post = PostFactory(department=neutral)
    item.to_department = neutral
    item.save()
    assert errors(plan) == []


def test_exemptions_and_frequency_are_warnings_not_errors(dept):
    deferred = cadre_in_post(dept, years=1, level=L.MEMBER, name="新人")
    DeferralFactory(cadre=deferred, until=DAY + dt.timedelta(days=10))
    plan = PlanFactory()
    ItemFactory(plan=plan, cadre=deferred)
    found = checks(plan)
    assert errors(plan) == []
    warnings = " ".join(text for level, text in found if level == "warning")
    assert "新人" in warnings and "2" in warnings  # less than 2 years in post
    assert "承担重点项目" in warnings  # the deferral's reason


def test_an_item_drafted_against_a_post_since_left_is_flagged(dept):
    cadre = cadre_in_post(dept, years=3, level=L.MEMBER, name="甲")
    plan = PlanFactory()
    ItemFactory(plan=plan, cadre=cadre)
    cadre.post = PostFactory(department=dept)
    cadre.save()
    assert any("甲" in text for level, text in checks(plan) if level == "warning")
