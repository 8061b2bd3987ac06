"""Benchmark: the daily reminder sweep over 5,000 open measures and 1,000 people.

    .venv/bin/python bench/reminders.py [--measures 5000] [--people 1000] [--repeat 3]

Uses its own PostgreSQL database (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_rem, created if missing), migrates it and writes
its own data with bulk_create: `people` cadres with accounts in 50 departments (a head
each, 8 overseeing leaders, a campaign office), and `measures` open measures with
deadlines from 30 days overdue to 40 days ahead of the sweep day (so about 3 in 7 are
red, and the rest yellow, green or not yet due), 5 % waiting for sign-off, 5 % long-term
with their periodic report due. Email goes to Django's in-memory backend: the figures are
the application's cost, not an SMTP server's.

It reports, for the sweep day 2026-03-30 (a Monday):
  - the sweep itself (every rule, the records written under the unique constraint, one
    digest row per person): seconds and SQL queries, for `measures` and a tenth of them;
  - delivering every digest (inbox notice + email, claimed with conditional UPDATEs):
    seconds and digests per second;
  - a re-run of the same day (nothing new to send) and a --dry-run preview.

Writes bench/results/reminders.json and prints a Markdown table for bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import ensure_database  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/bench_rem"
DAY = dt.date(2026, 3, 30)


def setup_django(url: str):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["DEBUG"] = "false"  # no query log; the sweep's queries are counted explicitly
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("VAR_DIR", "/tmp/bench-rem-var")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def clear():
    from django.contrib.auth.models import User

    from cadres.models import Cadre, Department
    from campaign.models import Digest, ReminderRecord, SweepRun
    from core.models import Notice
    from rectification.models import InspectionRound, Measure, Problem, Progress, SignoffStep

    for model in (ReminderRecord, Digest, SweepRun, Notice, SignoffStep, Progress):
        model.objects.all().delete()
    Measure.partner_departments.through.objects.all().delete()
    Measure.history.model.objects.all().delete()
    Measure.objects.all().delete()
    Problem.history.model.objects.all().delete()
    Problem.objects.all().delete()
    InspectionRound.objects.all().delete()
    Department.objects.update(overseen_by=None)
    Cadre.objects.all().delete()
    Department.objects.all().delete()
    User.objects.all().delete()


def build(measures: int, people: int, seed: int = 1) -> dict:
    """People in 50 departments, leaders, the office; `measures` open measures."""
    from django.contrib.auth.models import Group, User
    from django.db import transaction
    from django.utils import timezone

    from cadres import roles
    from cadres.models import Cadre, Department
    from rectification.models import InspectionRound, Measure, Problem, Progress, SignoffStep

    rng = random.Random(seed)
    S, T = Measure.Status, Measure.Term
    with transaction.atomic():
        clear()
        groups = {name: Group.objects.get_or_create(name=name)[0] for name in roles.ALL_ROLES}
        leadership = Department.objects.create(name="局领导班子", kind=Department.Kind.LEADERSHIP, order=0)
        departments = Department.objects.bulk_create([Department(name=f"第{i + 1}科", order=10 + i) for i in range(50)])
        n_leaders, n_office = 8, 5
        n_staff = max(50, people - n_leaders - n_office)
        users = User.objects.bulk_create(
            [
                User(username=f"u{i:04d}", email=f"u{i:04d}@bureau.local", password="!")
                for i in range(n_staff + n_leaders + n_office)
            ]
        )
        cadres = []
        for i, user in enumerate(users):
            if i < n_staff:
                department = departments[i % 50]
                level = Cadre.PostLevel.PRINCIPAL if i < 50 else Cadre.PostLevel.MEMBER
                cadres.append(Cadre(user=user, name=f"干部{i}", gender="M", department=department, post_level=level))
            elif i < n_staff + n_leaders:
                level = Cadre.PostLevel.PRINCIPAL if i == n_staff else Cadre.PostLevel.DEPUTY
                cadres.append(
                    Cadre(
                        user=user,
                        name=f"局领导{i}",
                        gender="M",
                        department=leadership,
                        is_leader=True,
                        post_level=level,
                    )
                )
            else:
                cadres.append(Cadre(user=user, name=f"办公室{i}", gender="F", department=departments[0]))
        cadres = Cadre.objects.bulk_create(cadres)
        Through = User.groups.through
        memberships = []
        for i, user in enumerate(users):
            role = roles.HEAD if i < 50 else roles.STAFF if i < n_staff else roles.LEADER
            if i >= n_staff + n_leaders:
                role = roles.OFFICE
            memberships.append(Through(user_id=user.pk, group_id=groups[role].pk))
        Through.objects.bulk_create(memberships)
        leaders = cadres[n_staff : n_staff + n_leaders]
        for i, department in enumerate(departments):
            department.overseen_by = leaders[i % n_leaders]
        Department.objects.bulk_update(departments, ["overseen_by"])

        round_ = InspectionRound.objects.create(
            source="municipal", title="市委巡察反馈", feedback_date=dt.date(2026, 1, 10)
        )
        problems = Problem.objects.bulk_create(
            [Problem(round=round_, number=i + 1, description=f"问题{i + 1}") for i in range(max(1, measures // 3))]
        )
        staff = cadres[:n_staff]
        rows = []
        for i in range(measures):
            person = staff[rng.randrange(n_staff)]
            kind = rng.random()
            term = T.LONG_TERM if kind < 0.05 else T.DEADLINE
            status = S.SUBMITTED if 0.05 <= kind < 0.08 else S.LEADER_APPROVED if 0.08 <= kind < 0.10 else S.IN_PROGRESS
            rows.append(
                Measure(
                    problem=problems[i % len(problems)],
                    number=i // len(problems) + 1,
                    description=f"整改措施{i + 1}：修订完善相关制度，明确职责分工和办理时限",
                    responsible_leader=person.department.overseen_by,
                    lead_department=person.department,
                    responsible_person=person,
                    term=term,
                    deadline=None if term == T.LONG_TERM else DAY + dt.timedelta(days=rng.randint(-30, 40)),
                    status=status,
                )
            )
        rows = Measure.objects.bulk_create(rows, batch_size=2000)
        actor = users[0]
        SignoffStep.objects.bulk_create(
            [
                SignoffStep(measure=m, action="submit", from_status=S.IN_PROGRESS, to_status=m.status, actor=actor)
                for m in rows
                if m.status in (S.SUBMITTED, S.LEADER_APPROVED)
            ]
        )
        SignoffStep.objects.update(
            created_at=timezone.make_aware(dt.datetime.combine(DAY - dt.timedelta(days=7), dt.time(9)))
        )
        Progress.objects.bulk_create(
            [
                Progress(measure=m, date=DAY - dt.timedelta(days=40), text="按月报送", author=actor)
                for m in rows
                if m.term == T.LONG_TERM
            ]
        )
    return {"measures": len(rows), "people": len(users), "departments": len(departments)}


def reset_sweeps():
    from campaign.models import Digest, ReminderRecord, SweepRun
    from core.models import Notice

    for model in (ReminderRecord, Digest, SweepRun, Notice):
        model.objects.all().delete()


def timed_sweep():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from campaign.reminders.sweep import run_sweep

    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        run = run_sweep(DAY, deliver=None)
        seconds = time.perf_counter() - start
    return run, seconds, len(queries)


def timed_delivery(run):
    from django.core import mail

    from campaign.reminders.digests import deliver_digest

    mail.outbox = []
    ids = list(run.digest_set.values_list("pk", flat=True))
    start = time.perf_counter()
    for pk in ids:
        deliver_digest(pk)
    seconds = time.perf_counter() - start
    return len(ids), seconds, len(mail.outbox)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--measures", type=int, default=5000)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_DB
    ensure_database(url)
    setup_django(url)
    from django.conf import settings
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    from campaign.reminders.sweep import preview, run_sweep

    results: dict = {"day": DAY.isoformat()}
    small = max(1, args.measures // 10)
    print(f"building {small} measures / {args.people} people …", flush=True)
    results["small_data"] = build(small, args.people)
    reset_sweeps()
    run, small_seconds, small_queries = timed_sweep()
    results["small"] = {"items": run.items, "digests": run.digests, "seconds": small_seconds, "queries": small_queries}

    print(f"building {args.measures} measures / {args.people} people …", flush=True)
    results["data"] = build(args.measures, args.people)
    sweeps, deliveries = [], []
    for _ in range(args.repeat):
        reset_sweeps()
        run, seconds, queries = timed_sweep()
        n, delivery_seconds, emails = timed_delivery(run)
        sweeps.append(seconds)
        deliveries.append(delivery_seconds)
    results["large"] = {
        "items": run.items,
        "reminders": run.reminders,
        "digests": run.digests,
        "queries": queries,
        "sweep_seconds_median": statistics.median(sweeps),
        "delivery_seconds_median": statistics.median(deliveries),
        "digests_per_second": n / statistics.median(deliveries),
        "emails": emails,
    }
    start = time.perf_counter()
    again = run_sweep(DAY)
    results["rerun"] = {"seconds": time.perf_counter() - start, "digests": again.digests}
    start = time.perf_counter()
    by_person, already, _errors = preview(DAY)
    results["dry_run"] = {"seconds": time.perf_counter() - start, "would_send": len(by_person), "already": already}

    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "reminders.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    L, s = results["large"], results["small"]
    total = L["sweep_seconds_median"] + L["delivery_seconds_median"]
    print()
    print(f"| step ({args.measures:,} open measures, {results['data']['people']:,} people, PostgreSQL) | figure |")
    print("| --- | --- |")
    print(f"| items found / new reminders / digests | {L['items']:,} / {L['reminders']:,} / {L['digests']:,} |")
    print(f"| sweep (rules + records + digest rows), median of {args.repeat} | {L['sweep_seconds_median']:.2f} s |")
    print(
        f"| SQL queries of the sweep at {small:,} and {args.measures:,} measures | {s['queries']} and {L['queries']} |"
    )
    print(f"| delivering every digest (inbox + email), median | {L['delivery_seconds_median']:.2f} s |")
    print(f"| digests per second (delivery) | {L['digests_per_second']:.0f} |")
    print(f"| whole sweep, digests per second | {L['digests'] / total:.0f} |")
    print(
        f"| re-run of the same day (nothing new) | {results['rerun']['seconds']:.2f} s, {results['rerun']['digests']} digests |"
    )
    print(f"| --dry-run preview | {results['dry_run']['seconds']:.2f} s |")


if __name__ == "__main__":
    main()
