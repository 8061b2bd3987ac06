"""The sweep at scale: its queries do not grow with the number of measures; two sweeps at
once on PostgreSQL send every reminder once."""

import datetime as dt
import os
import re
import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaign.models import Digest, ReminderRecord, SweepRun
from campaign.reminders import sweep as sweep_module
from campaign.reminders.sweep import run_sweep
from core import calendar
from core.models import Notice
from rectification.models import Measure, Problem, Progress, SignoffStep

from .support import DAY, Ledger

IN_CI = os.environ.get("CI") == "true"
S = Measure.Status


def add_measures(ledger, n, start=0):
    """n open measures over both departments and every rule: red, yellow, green, due soon,
    sign-off waiting, long-term reports due; plus closed ones the sweep must ignore."""
    org = ledger.org
    problem = Problem.objects.create(round=ledger.round, number=1000 + start, description="批量问题")
    offsets = [-5, -40, 8, 2, 15, 18, 60]
    rows = []
    for i in range(start, start + n):
        b = i % 2
        rows.append(
            Measure(
                problem=problem,
                number=i + 1,
                description=f"批量措施{i}",
                responsible_leader=org.users["other_leader" if b else "leader"].cadre,
                lead_department=org.dept_b if b else org.dept_a,
                responsible_person=org.users["staff_b" if b else "staff"].cadre,
                term=Measure.Term.LONG_TERM if i % 9 == 8 else Measure.Term.DEADLINE,
                deadline=None if i % 9 == 8 else DAY + dt.timedelta(days=offsets[i % len(offsets)]),
                status=S.CLOSED
                if i % 11 == 10
                else S.LEADER_APPROVED
                if i % 17 == 16
                else S.SUBMITTED
                if i % 13 == 12
                else S.IN_PROGRESS,
            )
        )
    created = Measure.objects.bulk_create(rows)
    SignoffStep.objects.bulk_create(
        SignoffStep(measure=m, action="submit", from_status=S.IN_PROGRESS, to_status=m.status, actor=org.users["head"])
        for m in created
        if m.status in (S.SUBMITTED, S.LEADER_APPROVED)
    )
    waiting_since = timezone.make_aware(dt.datetime.combine(DAY - dt.timedelta(days=10), dt.time(9)))
    SignoffStep.objects.filter(measure__in=created).update(created_at=waiting_since)
    Progress.objects.bulk_create(
        Progress(measure=m, date=DAY - dt.timedelta(days=45), text="按月报送", author=org.users["staff"])
        for m in created
        if m.term == Measure.Term.LONG_TERM
    )


def round_trips(captured):
    """Queries, counting SQLite's batches of one bulk INSERT (999 parameters each) as one:
    on PostgreSQL each bulk insert is a single statement anyway."""
    count, previous = 0, None
    for query in captured:
        match = re.match(r'INSERT (?:OR IGNORE )?INTO "(\w+)"', query["sql"])
        table = match.group(1) if match else None
        if table is None or table != previous:
            count += 1
        previous = table
    return count


def test_sweep_queries_do_not_grow_with_the_number_of_measures(org, settings):
    settings.MAIN_LEADER_USERNAME = "other_leader"
    ledger = Ledger(org)
    add_measures(ledger, 20)
    calendar.is_workday(DAY)  # the calendar is loaded once per process, not per sweep
    with CaptureQueriesContext(connection) as small:
        first = run_sweep(DAY)
    add_measures(ledger, 180, start=20)  # 10x the measures, the same people
    ReminderRecord.objects.all().delete()
    with CaptureQueriesContext(connection) as large:
        second = run_sweep(DAY)
    assert second.items > 8 * first.items  # really ten times the work
    assert first.digests == second.digests == 7  # staff, staff_b, head, head_b, leader, other_leader, office
    assert round_trips(large.captured_queries) == round_trips(small.captured_queries), (
        len(small.captured_queries),
        len(large.captured_queries),
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_reminder_once(org, settings, monkeypatch):
    if connection.vendor != "postgresql":
        if IN_CI:
            pytest.fail("CI runs the tests on PostgreSQL (DATABASE_URL)")
        pytest.skip("needs PostgreSQL (DATABASE_URL): SQLite serialises writers anyway")
    settings.MAIN_LEADER_USERNAME = "other_leader"
    ledger = Ledger(org)
    add_measures(ledger, 60)

    # Both sweeps collect, then meet at the barrier and write at the same moment.
    barrier = threading.Barrier(2, timeout=20)
    collect = sweep_module.collect

    def collect_then_wait(day):
        result = collect(day)
        barrier.wait()
        return result

    monkeypatch.setattr(sweep_module, "collect", collect_then_wait)
    errors = []

    def sweep():
        try:
            run_sweep(DAY)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert not errors, errors
    runs = list(SweepRun.objects.all())
    assert len(runs) == 2 and all(r.status == SweepRun.Status.DONE for r in runs)
    assert runs[0].items == runs[1].items
    assert ReminderRecord.objects.count() == runs[0].items  # each reminder recorded once
    assert sum(r.reminders for r in runs) == runs[0].items
    people = set(ReminderRecord.objects.values_list("recipient_id", flat=True))
    assert Digest.objects.count() == len(people)
    for user_id in people:
        assert Notice.objects.filter(recipient_id=user_id).count() == 1
    assert len(mail.outbox) == len(people)
