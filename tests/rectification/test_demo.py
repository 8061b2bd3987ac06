"""The demo ledger (issue 3, item 10) and the benchmark dataset builder."""

import datetime as dt

from django.contrib.auth.models import User
from django.db.models import Count

from cadres import demo as cadres_demo
from core import dates
from rectification import deadlines, demo, history, workflow
from rectification.models import Evidence, InspectionRound, Measure, Progress, SignoffStep
from rectification.selectors import assigned_to, visible_measures

S = Measure.Status


def test_the_demo_ledger_covers_every_status_and_term_and_is_idempotent(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cadres_demo.seed()
    first = demo.seed()
    again = demo.seed()
    assert again["measures"] == first["measures"] == Measure.objects.count()
    assert InspectionRound.objects.count() == 2
    assert set(InspectionRound.objects.values_list("source", flat=True)) == {"provincial", "municipal"}
    assert 35 <= InspectionRound.objects.aggregate(n=Count("problems"))["n"] <= 45
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


def test_the_benchmark_dataset_builder(db):
    from bench.data import build

    summary = build(measures=60, progress=240, seed=3)
    assert summary["measures"] == Measure.objects.count() == 60
    assert Progress.objects.count() == 240
    assert set(Measure.objects.values_list("status", flat=True)) >= {S.IN_PROGRESS, S.CLOSED}
    assert not Measure.objects.filter(status__in=Measure.DONE_STATUSES, completed_on__isnull=True).exists()
    again = build(measures=30, progress=50, seed=3)  # clears first
    assert again["measures"] == Measure.objects.count() == 30
