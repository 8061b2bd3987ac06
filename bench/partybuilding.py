"""Benchmark: the party-building compliance page (/partybuilding/compliance/) for 30
branches × 12 months with 600 members, on PostgreSQL, as a ratio to the minimal logged-in
page /accounts/whoami/ (the ledger's method, bench/common.serve_and_time).

    .venv/bin/python bench/partybuilding.py [--branches 30] [--members 600] [--requests 100]
                                            [--workers 2] [--rebuild] [--write-readme]

Uses its own PostgreSQL database (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/party, created if missing), migrates it and builds
(unless it already holds that size; --rebuild forces it): branches
with two Party groups each, the members spread over them (a tenth probationary), and a
year of meetings per branch — a committee meeting, the activity day and both groups'
meetings every month, a general meeting and a Party lesson every quarter, the yearly
organisational life meeting and appraisal — each with its whole attendance list.

Then it starts gunicorn (sync workers, DEBUG off, persistent connections, no Redis) and,
logged in as the office (who sees every branch), times whoami, the compliance page, the
same page with one branch's per-member attendance and the annual xlsx (?format=xlsx), one
request at a time, interleaved in a shuffled order on every round; medians, p99 and the
ratio to whoami's median. SQL queries are counted in process with the test client, and the
dashboard tile's figures are timed in process. Writes bench/results/partybuilding.json;
--write-readme replaces the table in bench/README.md's party-building section.
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


def setup(env: dict):
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not (Path(env["VAR_DIR"]) / "staticfiles" / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: the manifest


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


def prepare(args, env) -> tuple[dict, list, dict, dict]:
    """Migrate, build (or reuse) the data; the counts, the pages, the cookies and the query counts."""
    setup(env)
    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from django.db import connection
    from django.test import Client

    from bench.common import count_queries
    from cadres import roles
    from core import dates
    from partybuilding.models import Attendance, Branch, Meeting, Membership

    year = dates.today().year
    ours = Branch.objects.filter(name__startswith="压测党支部full")
    if (
        args.rebuild
        or ours.count() != args.branches
        or Membership.objects.filter(branch__in=ours).count() != (args.members // args.branches * args.branches)
    ):
        _clear()
        build(args.branches, args.members, year, "full")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    ids = list(ours.order_by("order").values_list("pk", flat=True))
    counts = {
        "branches": len(ids),
        "members": Membership.objects.filter(branch_id__in=ids).count(),
        "meetings": Meeting.objects.filter(branch_id__in=ids).count(),
        "attendance": Attendance.objects.filter(meeting__branch_id__in=ids).count(),
    }
    office, _ = User.objects.get_or_create(username="bench-office")
    roles.ensure_role_groups()
    office.groups.add(Group.objects.get(name=roles.OFFICE))
    client = Client()
    client.force_login(office, backend="django.contrib.auth.backends.ModelBackend")
    pages = [
        ("whoami (baseline)", "office", "/accounts/whoami/"),
        ("compliance, 30 branches × 12 months", "office", f"/partybuilding/compliance/?year={year}"),
        ("compliance + one branch's members", "office", f"/partybuilding/compliance/?year={year}&branch={ids[0]}"),
        ("annual statistics xlsx", "office", f"/partybuilding/compliance/?year={year}&format=xlsx"),
    ]
    queries, sizes = count_queries(pages, {"office": client})
    counts["tile_ms"] = _tile_ms(year)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    connection.close()
    return counts, pages, {"office": cookie}, (queries, sizes)


def _tile_ms(year: int) -> float:
    """The dashboard tile's figures, in process (median of 10)."""
    from partybuilding.selectors import month_figures

    times = []
    for _ in range(10):
        started = time.perf_counter()
        month_figures(None, dt.date(year, 12, 20))
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 1)


def _clear():
    """Remove the benchmark's own rows (meetings are protected: attendance and meetings first)."""
    from cadres.models import Cadre, Department
    from partybuilding.models import Attendance, Branch, Meeting

    Attendance.objects.filter(meeting__branch__name__startswith="压测党支部").delete()
    Meeting.objects.filter(branch__name__startswith="压测党支部").delete()
    Branch.objects.filter(name__startswith="压测党支部").delete()
    Cadre.objects.filter(department__name__startswith="压测科室").delete()
    Department.objects.filter(name__startswith="压测科室").delete()


def describe(result: dict) -> str:
    d = result["data"]
    return (
        f"{d['branches']} branches × 12 months, {d['members']} members, {d['meetings']:,} meetings, "
        f"{d['attendance']:,} attendance rows on PostgreSQL; gunicorn with {result['workers']} sync workers, "
        f"DEBUG off, persistent connections, no Redis; {result['requests_per_page']} sequential requests per "
        f"page from a Python HTTP loop, the pages interleaved in shuffled order; {result['cpu_count']} cores, "
        f"load average {result['load']} at the start. The dashboard tile's figures take {d['tile_ms']} ms "
        "in process. Run: `.venv/bin/python bench/partybuilding.py --write-readme`."
    )


def main():
    from bench.common import (
        ensure_database,
        load_average,
        serve_and_time,
        server_env,
        summarise,
        table,
        write_readme_section,
    )

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--branches", type=int, default=30)
    parser.add_argument("--members", type=int, default=600)
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--write-readme", action="store_true")
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL", DEFAULT_DB))
    args = parser.parse_args()
    ensure_database(args.database)
    env = server_env(args.database, Path(tempfile.gettempdir()) / "bench-party-var")
    data, pages, cookies, (queries, sizes) = prepare(args, env)
    load = load_average()
    samples = serve_and_time(env, pages, cookies, args.requests, args.workers)
    rows = summarise(pages, samples, queries, sizes)
    result = {"data": data, "workers": args.workers, "requests_per_page": args.requests, "load": load}
    result.update(cpu_count=os.cpu_count(), rows=rows)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "partybuilding.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    text = describe(result) + "\n\n" + table(rows)
    print(text)
    if args.write_readme:
        write_readme_section("partybuilding", text)


if __name__ == "__main__":
    main()
