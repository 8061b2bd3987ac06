"""Benchmark: the party-building compliance page (/partybuilding/compliance/) for 30
branches × 12 months with 600 members, on PostgreSQL: its time and its SQL queries, flat
in the size of the data.

    .venv/bin/python bench/partybuilding.py [--branches 30] [--members 600] [--requests 30]

Uses its own PostgreSQL database (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/party, created if missing), migrates it and builds,
for each size (a tenth of the branches and members first, then the full size): branches
with two Party groups each, the members spread over them (a tenth probationary), and a
year of meetings per branch — a committee meeting, the activity day and both groups'
meetings every month, a general meeting and a Party lesson every quarter, the yearly
organisational life meeting and appraisal — each with its whole attendance list.

Then, in-process with Django's test client (the office, who sees every branch), it times
the compliance page, the same page with one branch's per-member attendance, the annual
xlsx (?format=xlsx) and the dashboard tile's figures, and counts their SQL queries.
Writes bench/results/partybuilding.json and prints a Markdown table for bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/party"


def setup(url: str):
    from bench.common import ensure_database

    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="bench-party-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(branches: int, members: int, year: int, tag: str) -> list[int]:
    """`branches` branches sharing `members` members, a year of meetings. Returns the branch ids."""
    from django.utils import timezone

    from cadres.models import Cadre, Department
    from partybuilding.models import Attendance, Branch, Meeting, Membership, PartyGroup

    K = Meeting.Kind
    department, _ = Department.objects.get_or_create(name=f"压测科室{tag}")
    per_branch = members // branches
    ids = []
    for b in range(branches):
        branch = Branch.objects.create(name=f"压测党支部{tag}-{b}", order=1000 + b)
        ids.append(branch.pk)
        groups = [PartyGroup.objects.create(branch=branch, name=f"第{g}党小组") for g in (1, 2)]
        cadres = Cadre.objects.bulk_create(
            [
                Cadre(name=f"党员{tag}{b}-{m}", gender="M", department=department, political_status="member")
                for m in range(per_branch)
            ]
        )
        memberships = Membership.objects.bulk_create(
            [
                Membership(
                    cadre=c,
                    branch=branch,
                    group=groups[m % 2],
                    status="probationary" if m % 10 == 9 else "formal",
                    committee_role="member" if m < 5 else "",
                )
                for m, c in enumerate(cadres)
            ]
        )
        branch.secretary = cadres[0]
        branch.save(update_fields=["secretary"])
        plan = []
        for month in range(1, 13):
            plan += [
                (K.COMMITTEE, None, 8),
                (K.ACTIVITY_DAY, None, 28),
                (K.GROUP, groups[0], 18),
                (K.GROUP, groups[1], 19),
            ]
            if month % 3 == 2:
                plan += [(K.GENERAL, None, 20), (K.LESSON, None, 25)]
            if month == 1:
                plan += [(K.LIFE_MEETING, None, 22), (K.APPRAISAL, None, 23)]
            meetings = Meeting.objects.bulk_create(
                [
                    Meeting(
                        branch=branch,
                        kind=kind,
                        group=group,
                        topic="压测会议",
                        planned_at=timezone.make_aware(dt.datetime(year, month, day, 15)),
                        held_on=dt.date(year, month, day),
                        lecturer=cadres[0] if kind == K.LESSON else None,
                    )
                    for kind, group, day in plan
                ]
            )
            rows = []
            for meeting in meetings:
                for i, ms in enumerate(memberships):
                    if meeting.kind == K.COMMITTEE and not ms.committee_role:
                        continue
                    if meeting.kind == K.GROUP and ms.group_id != meeting.group_id:
                        continue
                    rows.append(
                        Attendance(
                            meeting=meeting,
                            cadre_id=ms.cadre_id,
                            formal=ms.status == "formal",
                            committee=bool(ms.committee_role),
                            status="present" if (i + month) % 12 else "leave",
                        )
                    )
            Attendance.objects.bulk_create(rows, batch_size=2000)
            plan = []
    return ids


def measure(client, url: str, n: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return {
        "median_ms": round(statistics.median(times), 1),
        "queries": len(ctx.captured_queries),
        "kb": len(response.content) // 1024,
    }


def run(args) -> dict:
    setup(args.database)
    from django.contrib.auth.models import User
    from django.test import Client

    from cadres import roles
    from core import dates
    from partybuilding.models import Attendance, Branch, Meeting, Membership
    from partybuilding.selectors import month_figures

    year = dates.today().year
    _clear()

    office, _ = User.objects.get_or_create(username="bench-office")
    roles.ensure_role_groups()
    from django.contrib.auth.models import Group

    office.groups.add(Group.objects.get(name=roles.OFFICE))
    client = Client()
    client.force_login(office, backend="django.contrib.auth.backends.ModelBackend")

    results = {}
    for label, scale in (("small", 10), ("full", 1)):
        ids = build(max(1, args.branches // scale), max(2, args.members // scale), year, label)
        first = ids[0]
        counts = {
            "branches": Branch.objects.filter(name__startswith=f"压测党支部{label}").count(),
            "members": Membership.objects.filter(branch_id__in=ids).count(),
            "meetings": Meeting.objects.filter(branch_id__in=ids).count(),
            "attendance": Attendance.objects.filter(meeting__branch_id__in=ids).count(),
        }
        pages = {
            "compliance": f"/partybuilding/compliance/?year={year}",
            "compliance + members of one branch": f"/partybuilding/compliance/?year={year}&branch={first}",
            "annual statistics xlsx": f"/partybuilding/compliance/?year={year}&format=xlsx",
        }
        row = {"data": counts, "pages": {name: measure(client, url, args.requests) for name, url in pages.items()}}
        start = time.perf_counter()
        for _ in range(args.requests):
            month_figures(None, dt.date(year, 12, 20))
        row["dashboard tile figures"] = round((time.perf_counter() - start) * 1000 / args.requests, 1)
        results[label] = row
        _clear()  # each size is measured alone
    return results


def _clear():
    """Remove the benchmark's own rows (meetings are protected: attendance and meetings first)."""
    from cadres.models import Cadre, Department
    from partybuilding.models import Attendance, Branch, Meeting

    Attendance.objects.filter(meeting__branch__name__startswith="压测党支部").delete()
    Meeting.objects.filter(branch__name__startswith="压测党支部").delete()
    Branch.objects.filter(name__startswith="压测党支部").delete()
    Cadre.objects.filter(department__name__startswith="压测科室").delete()
    Department.objects.filter(name__startswith="压测科室").delete()


def table(results: dict) -> str:
    lines = [
        "| data | page | median ms | SQL queries | KB |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for row in results.values():
        d = row["data"]
        data = f"{d['branches']} branches, {d['members']} members, {d['meetings']:,} meetings, {d['attendance']:,} attendance rows"
        for name, m in row["pages"].items():
            lines.append(f"| {data} | {name} | {m['median_ms']} | {m['queries']} | {m['kb']} |")
        lines.append(f"| {data} | dashboard tile figures (in-process) | {row['dashboard tile figures']} | — | — |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--branches", type=int, default=30)
    parser.add_argument("--members", type=int, default=600)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL", DEFAULT_DB))
    args = parser.parse_args()
    results = run(args)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "partybuilding.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(table(results))


if __name__ == "__main__":
    main()
