"""Benchmark: the rotation planner for 2,000 cadres with 20 years of work history.

    .venv/bin/python bench/cadres.py [--people 2000] [--years 20] [--repeat 5]

Uses its own PostgreSQL database (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/cadres, created if missing), migrates and flushes it,
and writes its data with bulk_create: 40 departments with five posts each (two key posts),
`people` cadres (a principal and a deputy per department, a fifth of the rest
middle-level), each with a work history of about one holding per year over `years` years
(so 2,000 × 20 = 40,000 holdings), a tenth of them moved twice in the last year, a deferral for one in forty, a relation between relatives
for one in ten, a draft plan of 30 moves, a talk for most of
the required pairs, and this year's risk review.

It reports, in process and for the planner page through Django's test client (logged in
as the personnel section), the median time and the number of SQL queries at `people` and
at a tenth of them: the queries must be the same (flat).

Writes bench/results/cadres.json and prints a Markdown table for bench/README.md.
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
DAY = dt.date(2026, 6, 15)


def setup_django(url: str):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("VAR_DIR", "/tmp/bench-cadres-var")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
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
                talker=p.talker,
                talkee=p.talkee,
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


def run(people: int, years: int, repeat: int) -> dict:
    from django.contrib.auth.models import User
    from django.test import Client

    from cadres import coverage, rotation
    from cadres.figures import work_figures
    from cadres.models import RotationPlan
    from core import dates

    built = build(people, years, random.Random(11))
    dates.today = lambda: DAY  # the demo day for every figure
    plan = RotationPlan.objects.get(pk=built["plan"])
    client = Client()
    client.force_login(User.objects.get(username="hr"))

    def page(url):
        def get():
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        return get

    rows = {
        "rotation lists (assess everyone)": measure(lambda: rotation.rotation_lists(DAY), repeat),
        "plan checks (30 moves)": measure(lambda: rotation.check_plan(plan, DAY), repeat),
        "talk coverage (every pair)": measure(lambda: coverage.coverage(DAY.year), repeat),
        "dashboard card figures": measure(lambda: work_figures(DAY), repeat),
        "GET /cadres/rotation/": measure(page("/cadres/rotation/"), repeat),
        f"GET /cadres/rotation/plans/{plan.pk}/": measure(page(f"/cadres/rotation/plans/{plan.pk}/"), repeat),
        "GET /cadres/talks/coverage/?year=2026": measure(page("/cadres/talks/coverage/?year=2026"), repeat),
    }
    return {"built": built, "rows": {k: {"ms": round(v[0], 1), "queries": v[1]} for k, v in rows.items()}}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    ensure_database(url)
    setup_django(url)
    small = run(max(100, args.people // 10), args.years, args.repeat)
    large = run(args.people, args.years, args.repeat)
    results = {"small": small, "large": large}
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "cadres.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(
        f"| what | {small['built']['people']} people: ms | queries | {large['built']['people']} people: ms | queries |"
    )
    print("| --- | ---: | ---: | ---: | ---: |")
    for key, value in large["rows"].items():
        s = small["rows"][key]
        print(f"| {key} | {s['ms']} | {s['queries']} | {value['ms']} | {value['queries']} |")
    print(f"\nlarge: {large['built']}")
    print(f"small: {small['built']}")


if __name__ == "__main__":
    main()
