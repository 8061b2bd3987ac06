"""The sweep runs on the bureau's working days: holidays send nothing, 调休 make-up days
send, and the next working day catches up (select by due − lead ≤ today)."""

import datetime as dt

import pytest
from django.core.management import call_command

from campaign.models import SweepRun
from campaign.reminders.sweep import run_sweep
from core import calendar
from core.models import Notice
from rectification.models import Measure
from rectification.reminders import wait_cutoff

from .support import Ledger, kinds_by_user

D = dt.date


@pytest.fixture
def ledger(org, settings):
    settings.MAIN_LEADER_USERNAME = "other_leader"
    return Ledger(org)


def sweep_days(start, end):
    day, runs = start, {}
    while day <= end:
        runs[day] = run_sweep(day)
        day += dt.timedelta(days=1)
    return runs


def test_spring_festival_2026(ledger):
    # 春节 2026: 15–23 February off; Saturdays 14 and 28 February are make-up working days.
    assert calendar.is_workday(D(2026, 2, 14)) and calendar.is_workday(D(2026, 2, 28))
    assert not any(calendar.is_workday(D(2026, 2, d)) for d in range(15, 24))
    due_in_holiday = ledger.measure(D(2026, 2, 18))
    green_from_holiday = ledger.measure(D(2026, 3, 12))  # its green window opens on 20 February

    runs = sweep_days(D(2026, 2, 13), D(2026, 2, 24))

    sent_on = {day for day, run in runs.items() if run.digests}
    assert sent_on == {D(2026, 2, 13), D(2026, 2, 14), D(2026, 2, 24)}
    assert all(runs[D(2026, 2, d)].status == SweepRun.Status.SKIPPED for d in range(15, 24))
    # The make-up Saturday reminds; the first working day after the holiday catches up.
    assert ("deadline.due_soon", due_in_holiday.pk) in kinds_by_user(runs[D(2026, 2, 14)])["staff"]
    after = kinds_by_user(runs[D(2026, 2, 24)])
    assert after["staff"] == {("deadline.red", due_in_holiday.pk), ("deadline.green", green_from_holiday.pk)}
    assert after["other_leader"] == {("deadline.red.escalated", due_in_holiday.pk)}
    assert Notice.objects.filter(recipient__username="staff").count() == 3  # one digest per sweep day


def test_national_day_2026(ledger):
    # 国庆 2026: 1–7 October off; Sunday 20 September and Saturday 10 October are working days.
    assert calendar.is_workday(D(2026, 9, 20)) and calendar.is_workday(D(2026, 10, 10))
    assert not calendar.is_workday(D(2026, 10, 11))
    m = ledger.measure(D(2026, 10, 5))
    runs = sweep_days(D(2026, 9, 30), D(2026, 10, 11))
    sent_on = {day for day, run in runs.items() if run.digests}
    assert sent_on == {D(2026, 9, 30), D(2026, 10, 8), D(2026, 10, 9), D(2026, 10, 10)}
    assert kinds_by_user(runs[D(2026, 10, 8)])["staff"] == {("deadline.red", m.pk)}
    assert run_sweep(D(2026, 9, 20)).status == SweepRun.Status.DONE  # the make-up Sunday sweeps


def test_2027_falls_back_to_monday_to_friday_and_says_so(ledger, capsys):
    assert not calendar.has_data(2027)
    assert calendar.is_workday(D(2027, 1, 8)) and not calendar.is_workday(D(2027, 1, 9))
    m = ledger.measure(D(2027, 1, 10))
    assert run_sweep(D(2027, 1, 9)).status == SweepRun.Status.SKIPPED  # a Saturday
    assert not Notice.objects.exists()
    call_command("send_reminders", "--date", "2027-01-11")
    assert "No holiday calendar for 2027" in capsys.readouterr().err
    assert Notice.objects.filter(recipient__username="staff").exists()
    assert m.pk in {pk for _kind, pk in kinds_by_user(SweepRun.objects.get(day=D(2027, 1, 11)))["staff"]}


def test_command_on_a_holiday_sends_nothing(ledger, capsys):
    ledger.measure(D(2026, 10, 2))
    call_command("send_reminders", "--date", "2026-10-01")
    assert "not a working day" in capsys.readouterr().out
    assert not Notice.objects.exists()
    assert SweepRun.objects.get().status == SweepRun.Status.SKIPPED


def test_signoff_wait_counts_working_days_across_the_holiday(ledger):
    # Submitted Thursday 12 February: Fri 13, Sat 14 (make-up), then Tue 24 is the third working day.
    m = ledger.measure(D(2026, 4, 30))
    ledger.step(m, Measure.Status.SUBMITTED, D(2026, 2, 12))
    assert "leader" not in kinds_by_user(run_sweep(D(2026, 2, 14)))
    assert kinds_by_user(run_sweep(D(2026, 2, 24)))["leader"] == {("signoff.leader_review", m.pk)}


def test_wait_cutoff_agrees_with_workdays_between(db):
    day = D(2026, 2, 10)  # across 春节 and its two make-up Saturdays
    while day < D(2026, 3, 2):
        for wait in (0, 2):
            cutoff = wait_cutoff(day, wait)
            for back in range(0, 16):
                start = day - dt.timedelta(days=back)
                assert (calendar.workdays_between(start, day) > wait) == (start < cutoff), (day, wait, start)
        day += dt.timedelta(days=1)
