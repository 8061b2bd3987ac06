"""Party building's reminder rules, and that the sweep sends each of them once."""

import datetime as dt

from django.utils import timezone

from campaign.reminders.models import ReminderRecord
from campaign.reminders.sweep import run_sweep
from partybuilding import reminders
from partybuilding.models import Attendance, Meeting

from .factories import meeting_with_list

A = Attendance.Status
K = Meeting.Kind
D = dt.date


def _who(items):
    return {(i.recipient_id, i.kind) for i in items}


def test_meeting_notice_when_planned_and_one_working_day_before(party):
    meeting = meeting_with_list(party.a, planned_at=timezone.make_aware(dt.datetime(2026, 3, 30, 15)))
    m1 = party.users["m1"].pk
    early = _who(reminders.meeting_notices(D(2026, 3, 20)))
    assert (m1, "party.meeting.notice") in early and (m1, "party.meeting.soon") not in early
    # Friday the 27th: the next working day is Monday the 30th.
    assert (m1, "party.meeting.soon") in _who(reminders.meeting_notices(D(2026, 3, 27)))
    Meeting.objects.filter(pk=meeting.pk).update(held_on=D(2026, 3, 30))
    assert not list(reminders.meeting_notices(D(2026, 3, 27)))


def test_activity_day_three_working_days_ahead_until_planned(party):
    sec, com = party.users["sec_a"].pk, party.users["com_a"].pk
    # The March day is Monday the 30th: three working days before is Wednesday the 25th.
    assert not list(reminders.activity_day_reminders(D(2026, 3, 24)))
    got = _who(reminders.activity_day_reminders(D(2026, 3, 25)))
    assert {(sec, "party.activity_day"), (com, "party.activity_day")} <= got
    meeting_with_list(party.a, planned_at=timezone.make_aware(dt.datetime(2026, 3, 30, 15)))
    got = _who(reminders.activity_day_reminders(D(2026, 3, 25)))
    assert (sec, "party.activity_day") not in got and (party.users["sec_b"].pk, "party.activity_day") in got


def test_missing_obligations_five_working_days_before_the_period_ends(party):
    sec = party.users["sec_a"].pk
    assert not [i for i in reminders.obligation_reminders(D(2026, 3, 20)) if i.recipient_id == sec]
    items = [i for i in reminders.obligation_reminders(D(2026, 3, 25)) if i.recipient_id == sec]
    keys = {i.key for i in items}
    assert f"obligation:{party.a.pk}:committee" in keys and f"obligation:{party.a.pk}:general" in keys
    meeting_with_list(party.a, kind=K.COMMITTEE, held_on=D(2026, 3, 10))
    keys = {i.key for i in reminders.obligation_reminders(D(2026, 3, 25)) if i.recipient_id == sec}
    assert f"obligation:{party.a.pk}:committee" not in keys


def test_open_make_up_study_and_the_six_month_flag(party):
    for month in range(1, 9):
        meeting = meeting_with_list(party.a, held_on=D(2026, month, 28), status=A.PRESENT)
        Attendance.objects.filter(meeting=meeting, cadre=party.users["m2"].cadre).update(status=A.ABSENT)
    makeup = [i for i in reminders.makeup_reminders(D(2026, 9, 1)) if i.recipient_id == party.users["m2"].pk]
    assert len(makeup) == 8 and makeup[0].link.endswith("/makeup/")
    flagged = list(reminders.inactive_reminders(D(2026, 9, 1)))
    assert {i.recipient_id for i in flagged} == {party.users["sec_a"].pk, party.users["com_a"].pk}
    assert "王伟" in flagged[0].text


def test_the_sweep_sends_a_reminder_once(party):
    meeting_with_list(party.a, planned_at=timezone.make_aware(dt.datetime(2026, 3, 30, 15)))
    run_sweep(D(2026, 3, 25))
    first = ReminderRecord.objects.filter(kind__startswith="party.").count()
    assert (
        first and ReminderRecord.objects.filter(kind="party.meeting.notice", recipient=party.users["m1"]).count() == 1
    )
    run_sweep(D(2026, 3, 26))
    assert ReminderRecord.objects.filter(kind="party.meeting.notice", recipient=party.users["m1"]).count() == 1
    sec_b = party.users["sec_b"]
    assert ReminderRecord.objects.filter(kind="party.activity_day", recipient=sec_b).count() == 1
