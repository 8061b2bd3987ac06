"""Writes: moves keep the person's record in step with the work history (with history
rows naming the actor); plans go draft → submitted → approved → executed; the checks block
submission; oversight stays the office's; only the personnel section writes records."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cadres import services
from cadres.models import Cadre, Department, Placement, PostHolding, RotationPlan
from core import dates
from tests.factories import CadreFactory, PostFactory

from .factories import DAY, ItemFactory, PlanFactory, cadre_in_post

pytestmark = pytest.mark.django_db
How = PostHolding.How
Status = RotationPlan.Status


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(dates, "today", lambda: DAY)
    return DAY


def test_a_move_closes_the_current_holding_and_updates_the_record(org):
    hr = org.users["hr"]
    cadre = cadre_in_post(org.dept_a, years=3, level=Cadre.PostLevel.MEMBER, name="甲")
    to = PostFactory(department=org.dept_b, title="执纪执法岗")
    services.record_move(cadre, hr, department=org.dept_b, post=to, start=DAY, how=How.ROTATION)
    cadre.refresh_from_db()
    assert (cadre.department, cadre.post, cadre.in_post_since) == (org.dept_b, to, DAY)
    first, second = cadre.holdings.order_by("start")
    assert first.end == DAY - dt.timedelta(days=1) and second.end is None and second.how == How.ROTATION
    record = Cadre.history.filter(id=cadre.pk).latest("history_date")
    assert record.history_user == hr and record.department_id == org.dept_b.pk


def test_a_move_before_the_current_post_began_is_refused(org):
    cadre = cadre_in_post(org.dept_a, years=3, name="甲")
    with pytest.raises(ValidationError) as exc:
        services.record_move(
            cadre,
            org.users["hr"],
            department=org.dept_b,
            post=None,
            start=DAY - dt.timedelta(days=2000),
            how=How.ROTATION,
        )
    assert "start" in exc.value.message_dict
    assert cadre.holdings.count() == 1


def test_in_post_since_counts_from_the_start_of_the_run_in_the_same_post(org):
    cadre = cadre_in_post(org.dept_a, years=8, name="甲")
    post = cadre.post
    # Re-appointed to the same post with a new rank: still the same post since eight years.
    services.record_move(
        cadre, org.users["hr"], department=org.dept_a, post=post, start=DAY, how=How.APPOINTED, rank="一级主任科员"
    )
    cadre.refresh_from_db()
    assert cadre.in_post_since == DAY - dt.timedelta(days=round(8 * 365.25))
    assert cadre.rank == "一级主任科员"


@pytest.mark.parametrize("role", ["office", "leader", "head", "staff", "admin"])
def test_only_the_personnel_section_writes_records(org, role):
    cadre = cadre_in_post(org.dept_a, years=3, name="甲")
    with pytest.raises(PermissionDenied):
        services.record_move(cadre, org.users[role], department=org.dept_b, post=None, start=DAY, how=How.ROTATION)
    with pytest.raises(PermissionDenied):
        services.create_plan("方案", org.users[role])


def test_the_department_page_cannot_change_oversight(org):
    department = Department.objects.get(pk=org.dept_a.pk)
    department.overseen_by = org.users["other_leader"].cadre
    with pytest.raises(PermissionDenied):
        services.save_department(department, org.users["hr"])
    department.refresh_from_db()
    assert department.overseen_by == org.users["leader"].cadre


def test_changing_a_posts_duties_marks_it_for_re_review(org):
    post = PostFactory(department=org.dept_a)
    post.duties = "负责项目审批"
    services.save_post(post, org.users["hr"])
    post.refresh_from_db()
    assert post.duties_changed_on == DAY


def test_a_plan_with_a_conflict_cannot_be_submitted_until_it_is_resolved(org):
    hr = org.users["hr"]
    head = cadre_in_post(org.dept_a, years=6, level=Cadre.PostLevel.PRINCIPAL, name="科长")
    deputy = cadre_in_post(org.dept_a, years=6, level=Cadre.PostLevel.DEPUTY, name="副科长")
    plan = services.create_plan("2026年第二批", hr)
    services.add_item(
        plan, hr, cadre=head, to_post=PostFactory(department=org.dept_b), kind=How.ROTATION, planned_date=DAY
    )
    second = services.add_item(
        plan, hr, cadre=deputy, to_post=PostFactory(department=org.dept_b), kind=How.ROTATION, planned_date=DAY
    )
    with pytest.raises(ValidationError):
        services.submit_plan(plan, hr)
    assert RotationPlan.objects.get(pk=plan.pk).status == Status.DRAFT
    services.remove_item(second, hr)
    services.submit_plan(plan, hr)
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED and plan.submitted_on == DAY
    with pytest.raises(PermissionDenied):  # not a draft any more
        services.add_item(plan, hr, cadre=deputy, to_post=PostFactory(), kind=How.ROTATION, planned_date=DAY)


def test_decision_then_execution_moves_the_people_and_records_front_line_time(org):
    hr = org.users["hr"]
    mover = cadre_in_post(org.dept_a, years=6, key=True, name="甲")
    young = cadre_in_post(org.dept_a, years=3, level=Cadre.PostLevel.MEMBER, name="乙", birth_date=dt.date(1996, 5, 1))
    plan = PlanFactory(created_by=hr)
    to = PostFactory(department=org.dept_b)
    ItemFactory(plan=plan, cadre=mover, to_post=to)
    ItemFactory(plan=plan, cadre=young, to_post=PostFactory(department=org.dept_b), kind=How.FRONTLINE)
    with pytest.raises(PermissionDenied):
        services.execute_plan(plan, hr)  # not approved yet
    services.submit_plan(plan, hr)
    with pytest.raises(ValidationError):
        services.record_decision(plan, hr, decision_date=DAY + dt.timedelta(days=1), document_number="X")
    services.record_decision(plan, hr, decision_date=DAY, document_number="某党组〔2026〕5号")
    services.execute_plan(plan, hr)
    plan.refresh_from_db()
    mover.refresh_from_db()
    assert plan.status == Status.EXECUTED and plan.items.filter(executed_on=DAY).count() == 2
    assert (mover.department, mover.post, mover.in_post_since) == (org.dept_b, to, DAY)
    assert "某党组〔2026〕5号" in mover.holdings.get(end__isnull=True).note
    placement = Placement.objects.get(cadre=young)
    assert placement.start == DAY and placement.end > DAY


def test_talks_are_recorded_by_their_talker_or_the_personnel_section(org):
    from cadres.models import Talk

    head, staff = org.users["head"].cadre, org.users["staff"].cadre
    talk = Talk(date=DAY, talker=head, talkee=staff, content="谈心")
    with pytest.raises(PermissionDenied):
        services.save_talk(talk, org.users["staff"])
    services.save_talk(talk, org.users["head"])
    assert talk.recorded_by == org.users["head"]
    future = Talk(date=DAY + dt.timedelta(days=1), talker=head, talkee=staff, content="谈心")
    with pytest.raises(ValidationError):
        services.save_talk(future, org.users["hr"])


def test_a_new_cadre_starts_their_work_history(org):
    cadre = CadreFactory.build(name="新人", department=org.dept_a)
    services.create_cadre(cadre, org.users["hr"], since=dt.date(2024, 3, 1))
    (holding,) = cadre.holdings.all()
    assert holding.start == dt.date(2024, 3, 1) and holding.department == org.dept_a
