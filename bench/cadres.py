"""Benchmark: the rotation planner for 2,000 cadres with 20 years of work history.

    .venv/bin/python bench/cadres.py [--people 2000] [--years 20] [--requests 100] [--workers 2]
                                     [--flat] [--write-readme]

Uses its own PostgreSQL database (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/cadres, created if missing), migrates and flushes it,
and writes its data with bulk_create: 40 departments with five posts each (two key posts),
`people` cadres (a principal and a deputy per department, a fifth of the rest
middle-level), each with a work history of about one holding per year over `years` years
(so 2,000 × 20 = 40,000 holdings), a tenth of them moved twice in the last year, a deferral for one in forty, a relation between relatives
for one in ten, a draft plan of 30 moves, a talk for most of
the required pairs, and this year's risk review.

Then it starts gunicorn (sync workers, DEBUG off, persistent connections, no Redis) and,
logged in as the personnel section, times whoami, the planner /cadres/rotation/ (its default:
who must or should rotate, paginated), the planner with every list, the draft plan's page
and the talk coverage page, one request at a time, interleaved in a shuffled order on every
round (bench/common.serve_and_time, the ledger's method); medians, p99 and the ratio to
whoami's median. SQL queries are counted in process with the test client (and must be the
same at a tenth of the people: --flat builds that first and compares), and the rules'
functions are timed in process. "Today" is the real date (the server cannot be told
otherwise); the data is built around it.

Writes bench/results/cadres.json; --write-readme replaces the table in bench/README.md's
cadres section.
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

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/cadres"
DAY = dt.date.today()  # replaced by the bureau's local date once Django is set up


def setup_django(env: dict):
    global DAY
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from core import dates

    DAY = dates.today()
    call_command("migrate", verbosity=0)
    if not (Path(env["VAR_DIR"]) / "staticfiles" / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: the manifest storage


def build(people: int, years: int, rng: random.Random) -> dict:
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    from cadres import roles
    from cadres.models import (
        Cadre,
        Deferral,
        Department,
        Post,
        PostHolding,
        Relation,
        RiskReview,
        RotationItem,
        RotationPlan,
        Talk,
    )

    call_command("flush", interactive=False, verbosity=0)
    roles.ensure_role_groups()
    leadership = Department.objects.create(name="局领导班子", kind="leadership", order=0)
    departments = Department.objects.bulk_create(Department(name=f"科室{i:02d}", order=10 + i) for i in range(40))
    posts = Post.objects.bulk_create(
        Post(department=d, title=f"岗位{j}", is_key=j >= 3, order=j) for d in departments for j in range(5)
    )
    by_department = {d.pk: [p for p in posts if p.department_id == d.pk] for d in departments}
    leaders = Cadre.objects.bulk_create(
        Cadre(
            name=f"局领导{i}",
            gender="M",
            department=leadership,
            is_leader=True,
            post_level=1 if i == 0 else 2,
            political_status="member",
            birth_date=dt.date(1970, 1, 1),
        )
        for i in range(6)
    )
    for index, department in enumerate(departments):
        department.overseen_by = leaders[index % 6]
    Department.objects.bulk_update(departments, ["overseen_by"])
    cadres = []
    for i in range(people):
        department = departments[i % 40]
        level = 1 if i < 40 else 2 if i < 80 else 3
        post = by_department[department.pk][0 if level == 1 else rng.randrange(1, 5)]
        since = DAY - dt.timedelta(days=rng.randint(100, 4500))
        cadres.append(
            Cadre(
                name=f"干部{i:04d}",
                gender=rng.choice("MF"),
                department=department,
                post=post,
                post_level=level,
                is_middle_level=level < 3 or rng.random() < 0.2,
                in_post_since=since,
                birth_date=DAY - dt.timedelta(days=rng.randint(24 * 365, 59 * 365)),
                political_status=rng.choice(["member", "member", "masses"]),
            )
        )
    cadres = Cadre.objects.bulk_create(cadres, batch_size=1000)
    holdings = []
    start_of_history = DAY - dt.timedelta(days=round(years * 365.25))
    for index, cadre in enumerate(cadres):
        cursor = start_of_history
        while cursor < cadre.in_post_since - dt.timedelta(days=200):
            end = min(cursor + dt.timedelta(days=rng.randint(300, 430)), cadre.in_post_since - dt.timedelta(days=1))
            department = departments[rng.randrange(40)]
            holdings.append(
                PostHolding(
                    cadre=cadre,
                    department=department,
                    post=by_department[department.pk][1],
                    start=cursor,
                    end=end,
                    how="rotation",
                )
            )
            cursor = end + dt.timedelta(days=1)
        if index % 10 == 0:  # two moves within the last year
            holdings.append(
                PostHolding(
                    cadre=cadre,
                    department=cadre.department,
                    start=DAY - dt.timedelta(days=300),
                    end=DAY - dt.timedelta(days=101),
                    how="rotation",
                )
            )
            cadre.in_post_since = DAY - dt.timedelta(days=100)
        holdings.append(
            PostHolding(
                cadre=cadre, department=cadre.department, post=cadre.post, start=cadre.in_post_since, how="appointed"
            )
        )
    Cadre.objects.bulk_update(cadres, ["in_post_since"], batch_size=1000)
    PostHolding.objects.bulk_create(holdings, batch_size=5000)
    hr_group = Group.objects.get(name=roles.HR)
    hr = User.objects.create_user("hr", password="x")
    hr.groups.add(hr_group)
    cadres[0].user = hr
    cadres[0].save(update_fields=["user"])
    Deferral.objects.bulk_create(
        Deferral(cadre=c, reason="专项任务", until=DAY + dt.timedelta(days=90), recorded_by=hr)
        for c in cadres[people // 20 : people // 20 + people // 40]
    )
    Relation.objects.bulk_create(
        Relation(cadre=cadres[i], relative=cadres[i + 1], kind="spouse")
        for i in range(people // 10, people // 10 + people // 5, 2)
    )
    plan = RotationPlan.objects.create(title="基准方案", created_by=hr)
    RotationItem.objects.bulk_create(
        RotationItem(
            plan=plan,
            cadre=c,
            from_department=c.department,
            from_post=c.post,
            to_department=departments[(i + 7) % 40],
            to_post=by_department[departments[(i + 7) % 40].pk][2],
            planned_date=DAY,
        )
        for i, c in enumerate(cadres[40:70])
    )
    from cadres.coverage import required_pairs

    pairs = required_pairs()
    Talk.objects.bulk_create(
        (
            Talk(
                date=DAY - dt.timedelta(days=rng.randint(1, 150)),
                talker_id=p.talker.pk,
                talkee_id=p.talkee.pk,
                content="谈心",
                recorded_by=hr,
            )
            for p in pairs
            if rng.random() < 0.85
        ),
        batch_size=2000,
    )
    RiskReview.objects.create(
        year=DAY.year, title="排查", start=dt.date(DAY.year, 1, 1), due=dt.date(DAY.year, 12, 20), created_by=hr
    )
    return {
        "people": people,
        "holdings": PostHolding.objects.count(),
        "pairs": len(pairs),
        "talks": Talk.objects.count(),
        "plan": plan.pk,
    }


def measure(func, repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            func()
            times.append(time.perf_counter() - started)
        queries = len(ctx)
    return statistics.median(times) * 1000, queries


def prepare(people: int, years: int) -> tuple[dict, list, dict, tuple]:
    """Build the data; the pages, a logged-in client per user, in-process timings and query counts."""
    from django.contrib.auth.models import User
    from django.test import Client

    from bench.common import count_queries
    from cadres import coverage, rotation
    from cadres.figures import work_figures
    from cadres.models import RotationPlan

    built = build(people, years, random.Random(11))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would have by the time anyone plans
    plan = RotationPlan.objects.get(pk=built["plan"])
    client = Client()
    client.force_login(User.objects.get(username="hr"), backend="django.contrib.auth.backends.ModelBackend")
    pages = [
        ("whoami (baseline)", "hr", "/accounts/whoami/"),
        ("rotation planner (default: must and due)", "hr", "/cadres/rotation/"),
        ("rotation planner, every list", "hr", "/cadres/rotation/?list=all"),
        ("draft plan of 30 moves", "hr", f"/cadres/rotation/plans/{plan.pk}/"),
        ("talk coverage", "hr", f"/cadres/talks/coverage/?year={DAY.year}"),
    ]
    inside = {
        "rotation lists (assess everyone)": measure(lambda: rotation.rotation_lists(DAY), 5),
        "plan checks (30 moves)": measure(lambda: rotation.check_plan(plan, DAY), 5),
        "talk coverage (every pair)": measure(lambda: coverage.coverage(DAY.year), 5),
        "dashboard card figures": measure(lambda: work_figures(DAY), 5),
    }
    built["in_process"] = {k: {"ms": round(v[0], 1), "queries": v[1]} for k, v in inside.items()}
    return built, pages, client, count_queries(pages, {"hr": client})


def describe(result: dict) -> str:
    b = result["built"]
    lines = [
        f"{b['people']:,} cadres, {b['holdings']:,} holdings over {result['years']} years, {b['pairs']:,} required "
        f"talk pairs ({b['talks']:,} talks), a draft plan of 30 moves, on PostgreSQL; gunicorn with "
        f"{result['workers']} sync workers, DEBUG off, persistent connections, no Redis; "
        f"{result['requests_per_page']} sequential requests per page from a Python HTTP loop, the pages "
        f"interleaved in shuffled order; {result['cpu_count']} cores, load average {result['load']} at the start. "
        "Run: `.venv/bin/python bench/cadres.py --write-readme`.",
        "",
        "In process (median of 5):",
        "",
        "| what | ms | SQL queries |",
        "| --- | ---: | ---: |",
    ]
    lines += [f"| {k} | {v['ms']} | {v['queries']} |" for k, v in b["in_process"].items()]
    if result.get("flat"):
        counts = ", ".join(str(n) for n in result["flat"]["queries"].values())
        lines += ["", f"SQL queries at {result['flat']['people']} people, page by page: {counts} (the same)."]
    return "\n".join(lines)


def main():
    from bench.common import load_average, serve_and_time, server_env, summarise, table, write_readme_section

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--flat", action="store_true", help="check the queries at a tenth of the people first")
    parser.add_argument("--write-readme", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    ensure_database(url)
    env = server_env(url, "/tmp/bench-cadres-var")
    setup_django(env)
    flat = None
    if args.flat:
        _built, _pages, _client, (small, _sizes) = prepare(max(100, args.people // 10), args.years)
        flat = {"people": max(100, args.people // 10), "queries": small}
    built, pages, client, (queries, sizes) = prepare(args.people, args.years)
    if flat:
        assert flat["queries"] == queries, (flat["queries"], queries)
    from django.conf import settings
    from django.db import connection

    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    connection.close()
    load = load_average()
    samples = serve_and_time(env, pages, {"hr": cookie}, args.requests, args.workers)
    rows = summarise(pages, samples, queries, sizes)
    result = {"built": built, "years": args.years, "workers": args.workers, "requests_per_page": args.requests}
    result.update(load=load, cpu_count=os.cpu_count(), flat=flat, rows=rows)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "cadres.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    text = table(rows) + "\n\n" + describe(result)
    print(text)
    if args.write_readme:
        write_readme_section("cadres", text)


if __name__ == "__main__":
    main()
