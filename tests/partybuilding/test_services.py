"""Planning, recording with the quorum rule, sign-in, leave and make-up study."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from partybuilding import quorum, services
from partybuilding.models import Attendance, Meeting

from .factories import meeting_with_list

A = Attendance.Status
K = Meeting.Kind
D = dt.date


def _plan(party, user="sec_a", **data):
    fields = {
        "kind": K.ACTIVITY_DAY,
        "topic": "重温入党誓词",
        "planned_at": timezone.make_aware(dt.datetime(2026, 3, 30, 15)),
    }
    return services.plan_meeting(party.users[user], party.a, {**fields, **data})


def test_planning_fills_the_list_by_kind(party):
    names = lambda m: sorted(m.attendance.values_list("cadre__name", flat=True))  # noqa: E731
    assert len(names(_plan(party))) == 6  # every member of branch a, the one away too (not counted)
    committee = _plan(party, kind=K.COMMITTEE)
    assert names(committee) == sorted(["马文博", "周志刚", "孙丽娟"])
    group = _plan(party, kind=K.GROUP, group=party.g2)
    assert names(group) == sorted(["王伟", "李四", "赵六"])


def test_counts_separate_formal_and_probationary_and_skip_the_uncounted(party):
    meeting = _plan(party)
    rows = list(meeting.attendance.all())
    counts = quorum.counts(rows)
    assert (counts.expected_formal, counts.expected_probationary) == (4, 1)


def test_only_the_branch_secretary_and_commissioner_plan(party):
    for name in ("sec_b", "m1"):
        with pytest.raises(PermissionDenied):
            _plan(party, user=name)
    assert _plan(party, user="com_a").pk


def _record(party, meeting, statuses, **data):
    rows = {r.cadre.user.username: r.pk for r in meeting.attendance.select_related("cadre__user")}
    attendance = {rows[name]: (status, "出差" if status != A.PRESENT else "") for name, status in statuses.items()}
    base = {"held_on": D(2026, 3, 30), "content": "传达学习"}
    return services.save_meeting(party.users["sec_a"], meeting.pk, {**base, **data}, attendance)


def test_a_vote_without_quorum_is_refused_with_both_numbers_and_nothing_is_saved(party, today_is):
    today_is(D(2026, 4, 1))
    meeting = _plan(party, kind=K.GENERAL)
    # 4 formal members with voting rights and counted (the probationary member has no vote; `away` is not counted).
    statuses = {"sec_a": A.PRESENT, "com_a": A.PRESENT, "m1": A.LEAVE, "m2": A.LEAVE, "p1": A.PRESENT}
    vote = {"vote_subject": "预备党员转正", "votes_for": 2, "votes_against": 0, "votes_abstain": 0}
    with pytest.raises(ValidationError) as exc:
        _record(party, meeting, statuses, **vote)
    message = " ".join(exc.value.message_dict["votes_for"])
    assert "4" in message and "2" in message and "3" in message
    meeting.refresh_from_db()
    assert meeting.held_on is None and not meeting.attendance.filter(status=A.LEAVE).exists()


def test_a_meeting_without_a_vote_saves_with_a_warning(party, today_is):
    today_is(D(2026, 4, 1))
    meeting = _plan(party, kind=K.GENERAL)
    statuses = {"sec_a": A.PRESENT, "com_a": A.PRESENT, "m1": A.LEAVE, "m2": A.LEAVE, "p1": A.PRESENT}
    warnings = _record(party, meeting, statuses)
    assert len(warnings) == 1 and "2" in warnings[0]
    meeting.refresh_from_db()
    assert meeting.held_on == D(2026, 3, 30)


def test_a_vote_with_quorum_is_kept(party, today_is):
    today_is(D(2026, 4, 1))
    meeting = _plan(party, kind=K.GENERAL)
    statuses = {"sec_a": A.PRESENT, "com_a": A.PRESENT, "m1": A.PRESENT, "m2": A.LEAVE, "p1": A.PRESENT}
    vote = {"vote_subject": "预备党员转正", "votes_for": 3, "votes_against": 0, "votes_abstain": 0}
    assert _record(party, meeting, statuses, **vote) == []
    assert Meeting.objects.get(pk=meeting.pk).has_vote


def test_committee_quorum_counts_the_committee(party, today_is):
    today_is(D(2026, 4, 1))
    meeting = _plan(party, kind=K.COMMITTEE)
    warnings = _record(party, meeting, {"sec_a": A.PRESENT, "com_a": A.LEAVE, "m1": A.LEAVE})
    assert warnings and "3" in warnings[0]
    assert _record(party, meeting, {"sec_a": A.PRESENT, "com_a": A.PRESENT, "m1": A.LEAVE}) == []


def test_held_on_cannot_be_in_the_future(party, today_is):
    today_is(D(2026, 3, 29))
    with pytest.raises(ValidationError):
        _record(party, _plan(party), {})


def test_qr_sign_in_needs_the_code_the_window_and_a_place_on_the_list(party):
    meeting = _plan(party)
    start = meeting.planned_at
    with pytest.raises(PermissionDenied):
        services.sign_in(party.users["m1"], meeting.pk, "wrong", now=start)
    with pytest.raises(PermissionDenied):
        services.sign_in(party.users["m1"], meeting.pk, meeting.signin_code, now=start - dt.timedelta(hours=2))
    with pytest.raises(PermissionDenied):
        services.sign_in(party.users["m_b"], meeting.pk, meeting.signin_code, now=start)
    row = services.sign_in(party.users["m1"], meeting.pk, meeting.signin_code, now=start + dt.timedelta(minutes=5))
    assert row.status == A.PRESENT and row.signed_in_how == Attendance.SignIn.QR


def test_hand_sign_in_needs_a_reason_and_is_kept_in_the_history(party):
    meeting = _plan(party)
    row = meeting.attendance.get(cadre=party.users["m2"].cadre)
    with pytest.raises(ValidationError):
        services.sign_in_for(party.users["sec_a"], row.pk, " ")
    with pytest.raises(PermissionDenied):
        services.sign_in_for(party.users["sec_b"], row.pk, "手机没电")
    services.sign_in_for(party.users["sec_a"], row.pk, "手机没电")
    last = row.history.order_by("-history_date").first()
    assert last.status == A.PRESENT and last.history_change_reason == "手机没电"
    assert last.history_user is None or last.history_user.username  # kept, with the reason


def test_leave_is_asked_then_decided(party):
    meeting = _plan(party)
    row = services.request_leave(party.users["m2"], meeting.pk, "出差")
    assert row.status == A.LEAVE_REQUESTED
    with pytest.raises(PermissionDenied):
        services.decide_leave(party.users["m1"], row.pk, True)
    assert services.decide_leave(party.users["sec_a"], row.pk, True).status == A.LEAVE
    with pytest.raises(ValidationError):
        services.request_leave(party.users["m1"], meeting.pk, "")


def test_make_up_study_closes_the_loop(party, today_is):
    today_is(D(2026, 4, 10))
    meeting = meeting_with_list(party.a, held_on=D(2026, 3, 30), status=A.PRESENT)
    row = meeting.attendance.get(cadre=party.users["m2"].cadre)
    Attendance.objects.filter(pk=row.pk).update(status=A.LEAVE, reason="出差")
    row.refresh_from_db()
    assert row.makeup_open
    with pytest.raises(PermissionDenied):
        services.record_makeup(party.users["m1"], row.pk, D(2026, 4, 2), "体会")
    with pytest.raises(ValidationError) as exc:
        services.record_makeup(party.users["m2"], row.pk, D(2026, 3, 1), "")
    assert set(exc.value.message_dict) == {"on", "note"}
    services.record_makeup(party.users["m2"], row.pk, D(2026, 4, 2), "认真学习了会议精神")
    row.refresh_from_db()
    assert not row.makeup_open and row.makeup_on == D(2026, 4, 2)


def test_a_host_or_recorder_on_leave_is_pointed_out(party, today_is):
    today_is(D(2026, 4, 1))
    sec, com = party.users["sec_a"].cadre, party.users["com_a"].cadre
    meeting = _plan(party, host=sec, recorder=com)
    warnings = _record(party, meeting, {"sec_a": A.LEAVE, "com_a": A.PRESENT}, host=sec, recorder=com)
    assert warnings == ["主持人马文博登记为“请假”：请核对主持人和记录人。"]
    assert _record(party, meeting, {"sec_a": A.PRESENT}, host=sec, recorder=com) == []
