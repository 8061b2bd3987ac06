"""Keeping a branch's organisation (organisation.py): memberships added, changed, moved
and ended; the committee posts and who runs the branch; groups added and removed; exemptions
by whole periods; the lists of meetings ahead following the members; every change in the
history with its actor."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from partybuilding import compliance, history, organisation, permissions
from partybuilding import obligations as ob
from partybuilding.models import Attendance, Branch, Exemption, Meeting, Membership, PartyGroup

from ..factories import CadreFactory
from .factories import BranchFactory, MembershipFactory, meeting_with_list

D = dt.date
K = Meeting.Kind
R = Membership.CommitteeRole
NC = Membership.NotCounted


@pytest.fixture(autouse=True)
def march(today_is):
    today_is(D(2026, 3, 10))


@pytest.fixture
def planned(party):
    """This month's activity day of branch A, planned and not yet held."""
    return meeting_with_list(party.a, planned_at=timezone.make_aware(dt.datetime(2026, 3, 30, 15)))


def _errors(exc_info) -> dict:
    return {k: " ".join(str(m) for m in v) for k, v in exc_info.value.message_dict.items()}


def _listed(meeting) -> set[str]:
    return set(meeting.attendance.values_list("cadre__name", flat=True))


# --- memberships -----------------------------------------------------------------------


def test_a_new_member_joins_the_meetings_ahead_but_not_those_held(party, planned):
    held = meeting_with_list(party.a, held_on=D(2026, 2, 28))
    cadre = CadreFactory(name="钱七", political_status="probationary")
    data = {"group": party.g2, "status": Membership.Status.PROBATIONARY, "joined_party_on": D(2025, 9, 1)}
    m = organisation.add_membership(party.users["sec_a"], party.a.pk, cadre, data)
    assert m.active and m.group == party.g2
    assert "钱七" in _listed(planned) and "钱七" not in _listed(held)
    row = planned.attendance.get(cadre=cadre)
    assert row.formal is False and row.counted is True


def test_a_member_of_another_branch_is_transferred_out_first(org, party):
    cadre = party.users["m_b"].cadre
    with pytest.raises(ValidationError) as exc:
        organisation.add_membership(party.users["sec_a"], party.a.pk, cadre, {})
    assert "机关第三党支部" in _errors(exc)["cadre"]
    # The theory-study centre group is not a branch: its members keep their branch.
    centre = BranchFactory(name="局党组理论学习中心组", kind=Branch.Kind.CENTRE_GROUP)
    organisation.add_membership(org.users["office"], centre.pk, cadre, {})
    assert Membership.objects.filter(cadre=cadre, active=True).count() == 2


def test_an_ended_membership_is_reopened_not_duplicated(party):
    m = party.memberships["m2"]
    organisation.end_membership(party.users["sec_a"], m.pk, D(2026, 3, 1), "组织关系转出")
    again = organisation.add_membership(party.users["sec_a"], party.a.pk, m.cadre, {"group": party.g1})
    assert again.pk == m.pk and again.active and again.ended_on is None and again.group == party.g1
    with pytest.raises(ValidationError) as exc:
        organisation.add_membership(party.users["sec_a"], party.a.pk, m.cadre, {})
    assert "已是本支部党员" in _errors(exc)["cadre"]


def test_moving_between_groups_is_kept_in_the_history_with_the_reason(party):
    party.g1.leader = party.users["m1"].cadre
    party.g1.save()
    m = party.memberships["m1"]
    organisation.update_membership(party.users["com_a"], m.pk, {"group": party.g2})
    party.g1.refresh_from_db()
    assert party.g1.leader is None  # a leader who moves out leaves the group without one
    record = m.history.first()
    assert record.group_id == party.g2.pk and record.history_user == party.users["com_a"]
    assert record.history_change_reason == "由第一党小组调整到第二党小组"


def test_a_member_not_counted_drops_out_of_the_due_count_of_meetings_ahead(party, planned):
    m = party.memberships["m2"]
    data = {"not_counted": NC.SICK, "not_counted_from": D(2026, 3, 1), "not_counted_note": "住院治疗"}
    organisation.update_membership(party.users["sec_a"], m.pk, data)
    assert planned.attendance.get(cadre=m.cadre).counted is False
    # Counted again: the reason and period go, the history keeps them.
    organisation.update_membership(party.users["sec_a"], m.pk, {"not_counted": ""})
    m.refresh_from_db()
    assert (m.not_counted_note, m.not_counted_from) == ("", None)
    assert planned.attendance.get(cadre=m.cadre).counted is True
    assert m.history.filter(not_counted_note="住院治疗").exists()


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"not_counted": NC.SICK}, "not_counted_from", "起始日期"),
        ({"not_counted": NC.OTHER, "not_counted_from": D(2026, 3, 1)}, "not_counted_note", "具体原因"),
        (
            {"not_counted": NC.AWAY, "not_counted_from": D(2026, 3, 1), "not_counted_until": D(2026, 2, 1)},
            "not_counted_until",
            "晚于起始",
        ),
        ({"status": Membership.Status.PROBATIONARY, "full_member_on": D(2025, 1, 1)}, "full_member_on", "预备党员"),
        ({"joined_party_on": D(2010, 5, 1), "full_member_on": D(2009, 5, 1)}, "full_member_on", "晚于入党"),
        ({"joined_party_on": D(2026, 4, 1)}, "joined_party_on", "晚于今天"),
    ],
)
def test_a_membership_s_dates_and_reasons_are_checked_at_the_field(party, data, field, message):
    with pytest.raises(ValidationError) as exc:
        organisation.update_membership(party.users["sec_a"], party.memberships["m2"].pk, data)
    assert message in _errors(exc)[field]


def test_ending_a_membership_takes_the_member_off_the_posts_and_the_lists_ahead(party, planned):
    held = meeting_with_list(party.a, held_on=D(2026, 2, 28))
    com = party.memberships["com_a"]
    party.g1.leader = com.cadre
    party.g1.save()
    organisation.end_membership(party.users["sec_a"], com.pk, D(2026, 3, 9), "调往市委组织部")
    com.refresh_from_db()
    party.a.refresh_from_db()
    party.g1.refresh_from_db()
    assert (com.active, com.committee_role, com.end_reason) == (False, "", "调往市委组织部")
    assert party.a.commissioner is None and party.g1.leader is None
    assert "周志刚" not in _listed(planned) and "周志刚" in _listed(held)
    assert not permissions.can_edit_organisation(_fresh(party.users["com_a"]), party.a.pk)


def _fresh(user):
    permissions.forget(user)
    return user


def test_the_secretary_s_membership_ends_only_after_the_post_is_handed_over(party):
    with pytest.raises(ValidationError) as exc:
        organisation.end_membership(party.users["com_a"], party.memberships["sec_a"].pk, D(2026, 3, 1), "退休")
    assert "书记" in _errors(exc)["ended_on"]
    with pytest.raises(ValidationError) as exc:
        organisation.end_membership(party.users["sec_a"], party.memberships["m2"].pk, D(2026, 4, 1), "")
    assert set(_errors(exc)) == {"ended_on", "reason"}


# --- the committee ---------------------------------------------------------------------


def test_the_committee_posts_decide_who_runs_the_branch_and_who_is_invited(party):
    committee = meeting_with_list(
        party.a, kind=K.COMMITTEE, planned_at=timezone.make_aware(dt.datetime(2026, 3, 20, 16))
    )
    ms = party.memberships
    posts = {R.SECRETARY: [ms["sec_a"]], R.COMMISSIONER: [ms["m2"]], R.MEMBER: [ms["com_a"], ms["p1"]]}
    organisation.set_committee(party.users["sec_a"], party.a.pk, posts)
    party.a.refresh_from_db()
    assert party.a.secretary == ms["sec_a"].cadre and party.a.commissioner == ms["m2"].cadre
    assert permissions.can_edit_organisation(_fresh(party.users["m2"]), party.a.pk)
    assert not permissions.can_manage(_fresh(party.users["com_a"]), party.a.pk)  # a plain 委员 now
    ms["m1"].refresh_from_db()
    assert ms["m1"].committee_role == ""  # 宣传委员 no longer
    assert _listed(committee) == {"马文博", "王伟", "周志刚", "李四"}
    assert party.a.history.first().history_user == party.users["sec_a"]


def test_one_person_one_post_and_a_branch_needs_its_secretary(party):
    ms = party.memberships
    with pytest.raises(ValidationError) as exc:
        organisation.set_committee(
            party.users["sec_a"], party.a.pk, {R.SECRETARY: [ms["sec_a"]], R.DISCIPLINE: [ms["sec_a"]]}
        )
    assert "一个职务" in _errors(exc)[R.DISCIPLINE]
    with pytest.raises(ValidationError) as exc:
        organisation.set_committee(party.users["sec_a"], party.a.pk, {R.COMMISSIONER: [ms["com_a"]]})
    assert R.SECRETARY in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        organisation.set_committee(party.users["sec_a"], party.a.pk, {R.SECRETARY: [ms["m_b"]]})
    assert "不是本支部党员" in _errors(exc)[R.SECRETARY]
    party.a.refresh_from_db()
    assert party.a.secretary == ms["sec_a"].cadre  # nothing half-written


def test_the_centre_group_has_its_own_posts(org, party):
    centre = BranchFactory(name="局党组理论学习中心组", kind=Branch.Kind.CENTRE_GROUP)
    leader = MembershipFactory(branch=centre, cadre=party.users["m1"].cadre)
    study = MembershipFactory(branch=centre, cadre=party.users["m_b"].cadre)
    office = org.users["office"]
    posts = {R.GROUP_LEADER: [leader], R.STUDY_SECRETARY: [study]}
    organisation.set_committee(office, centre.pk, posts)
    centre.refresh_from_db()
    assert (centre.secretary, centre.commissioner) == (leader.cadre, study.cadre)
    with pytest.raises(ValueError):
        organisation.set_committee(office, centre.pk, {R.SECRETARY: [leader]})


# --- groups ----------------------------------------------------------------------------


def test_a_group_s_name_is_unique_in_the_branch_and_its_leader_moves_in(party):
    with pytest.raises(ValidationError) as exc:
        organisation.save_group(party.users["sec_a"], party.a.pk, None, {"name": "第一党小组"})
    assert "同名" in _errors(exc)["name"]
    group, notes = organisation.save_group(
        party.users["sec_a"], party.a.pk, None, {"name": "第三党小组", "leader": party.users["m2"].cadre, "order": 3}
    )
    assert Membership.objects.get(pk=party.memberships["m2"].pk).group == group
    assert notes == ["组长王伟已调入第三党小组。"]
    with pytest.raises(ValidationError) as exc:
        organisation.save_group(
            party.users["sec_a"], party.a.pk, party.g2.pk, {"name": "第二党小组", "leader": party.users["m2"].cadre}
        )
    assert "已任第三党小组组长" in _errors(exc)["leader"]


def test_a_group_that_never_met_is_deleted_one_that_met_is_dissolved(party):
    spare = PartyGroup.objects.create(branch=party.a, name="第三党小组")
    assert organisation.remove_group(party.users["sec_a"], spare.pk, None) is True
    assert not PartyGroup.objects.filter(pk=spare.pk).exists()
    assert PartyGroup.history.filter(id=spare.pk, history_type="-").get().history_user == party.users["sec_a"]

    meeting_with_list(party.a, kind=K.GROUP, group=party.g2, held_on=D(2026, 1, 20))
    assert organisation.remove_group(party.users["sec_a"], party.g2.pk, party.g1) is False
    party.g2.refresh_from_db()
    assert party.g2.dissolved_on == D(2026, 3, 10)
    assert set(Membership.objects.filter(group=party.g1).values_list("cadre__name", flat=True)) >= {"王伟", "李四"}
    # The dissolved group owes no group meeting from March; January's record stays its own.
    matrix = compliance.year_matrix([party.a], 2026, D(2026, 3, 10))
    row = next(r for r in matrix.rows if r.rule.key == "group")
    assert (row.cells[0].needed, row.cells[0].held) == (2, 1)
    assert row.cells[2].needed == 1


# --- exemptions ------------------------------------------------------------------------


def test_an_exemption_covers_whole_periods_and_shows_in_the_matrix(party):
    sec = party.users["sec_a"]
    data = {"obligation": "general", "first_month": D(2026, 2, 1), "last_month": D(2026, 3, 1), "reason": "支部新建"}
    with pytest.raises(ValidationError) as exc:
        organisation.add_exemption(sec, party.a.pk, data)
    assert "1月、4月、7月、10月" in _errors(exc)["first_month"]
    data["first_month"] = D(2026, 1, 1)
    organisation.add_exemption(sec, party.a.pk, data)
    matrix = compliance.year_matrix([party.a], 2026, D(2026, 4, 10))
    cell = next(r for r in matrix.rows if r.rule.key == "general").cells[0]
    assert (cell.state, cell.reason) == (ob.EXEMPT, "支部新建")
    with pytest.raises(ValidationError) as exc:
        organisation.add_exemption(sec, party.a.pk, {**data, "first_month": D(2026, 1, 1)})
    assert "重叠" in _errors(exc)["first_month"]
    with pytest.raises(ValidationError) as exc:
        organisation.add_exemption(sec, party.a.pk, {**data, "obligation": "centre_study"})
    assert "obligation" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        organisation.add_exemption(sec, party.a.pk, {**data, "obligation": "committee", "reason": " "})
    assert set(_errors(exc)) == {"reason"}


def test_removing_an_exemption_is_kept_in_the_history(party):
    e = organisation.add_exemption(
        party.users["sec_a"],
        party.a.pk,
        {"obligation": "committee", "first_month": D(2026, 1, 1), "last_month": D(2026, 1, 1), "reason": "合并"},
    )
    organisation.remove_exemption(party.users["com_a"], e.pk)
    assert not Exemption.objects.exists()
    assert Exemption.history.get(id=e.pk, history_type="-").history_user == party.users["com_a"]


# --- who may ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["sec_b", "m1", "leader"])
def test_only_the_branch_s_own_keepers_and_the_office_may_change_it(org, party, who):
    user = party.users.get(who) or org.users[who]
    calls = [
        lambda: organisation.add_membership(user, party.a.pk, CadreFactory(), {}),
        lambda: organisation.update_membership(user, party.memberships["m2"].pk, {"group": party.g1}),
        lambda: organisation.end_membership(user, party.memberships["m2"].pk, D(2026, 3, 1), "转出"),
        lambda: organisation.set_committee(user, party.a.pk, {R.SECRETARY: [party.memberships["m1"]]}),
        lambda: organisation.save_group(user, party.a.pk, None, {"name": "新小组"}),
        lambda: organisation.remove_group(user, party.g2.pk, None),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert Membership.objects.filter(branch=party.a, active=True).count() == 6
    assert organisation.save_group(org.users["office"], party.a.pk, None, {"name": "新小组"})[0].pk


# --- the history -----------------------------------------------------------------------


def test_the_timeline_says_who_changed_what(party, django_assert_max_num_queries):
    organisation.update_membership(party.users["com_a"], party.memberships["m2"].pk, {"group": party.g1})
    organisation.add_exemption(
        party.users["sec_a"],
        party.a.pk,
        {"obligation": "committee", "first_month": D(2026, 1, 1), "last_month": D(2026, 1, 1), "reason": "合并"},
    )
    with django_assert_max_num_queries(6):
        entries = history.branch_timeline(party.a)
    moved = next(e for e in entries if e.subject == "王伟" and e.kind == "changed")
    assert moved.who == "周志刚" and moved.changes == ["党小组：第二党小组 → 第一党小组"]
    assert moved.reason == "由第二党小组调整到第一党小组"
    exempt = entries[0]
    assert exempt.who == "马文博" and exempt.kind == "created" and "原因：合并" in exempt.changes
    assert any("2026年1月" in c for c in exempt.changes)


def test_attendance_of_a_member_who_signed_in_stays_when_they_leave(party, planned):
    row = planned.attendance.get(cadre=party.users["m2"].cadre)
    row.status = Attendance.Status.PRESENT
    row.save()
    organisation.end_membership(party.users["sec_a"], party.memberships["m2"].pk, D(2026, 3, 10), "转出")
    assert "王伟" in _listed(planned)
