"""Benchmark: the ledger page (/rectification/) with 5,000 measures and 20,000 progress
entries on PostgreSQL, as a ratio to the minimal logged-in page /accounts/whoami/.

    .venv/bin/python bench/ledger.py [--measures 5000] [--progress 20000] [--requests 200]
                                     [--workers 2] [--rebuild] [--collectstatic] [--write-readme]

Uses its own PostgreSQL database (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_ledger, created if missing), migrates it and
fills it with bench.data.build(measures, progress) unless it already holds that many
(--rebuild forces it), collects static files into a private VAR_DIR, and makes a session
for `office` (sees all 5,000 measures), `leader` (李红梅: the departments she oversees) and
`staff` (孙丽娟: her department).

Then it starts gunicorn (sync workers, DEBUG off, persistent connections) and sends the
requests one at a time from a Python HTTP loop, the pages interleaved in a shuffled order
on every round so that they share the machine's conditions: whoami, the default ledger
(page 1 of 5,000, sorted by number), the ledger filtered (overdue, sorted by deadline),
a text search, a deep page (page 60), and the leader's and staff's default ledgers.
Reports median and p99 latency and the ratio of each median to whoami's, plus the SQL
queries of each page (counted in-process with the test client).

Writes bench/results/ledger.json; --write-readme replaces the "Ledger page" section of
bench/README.md with the table.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import ensure_database, free_port  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/bench_ledger"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
README = ROOT / "bench" / "README.md"
START, END = "<!-- bench:ledger:start -->", "<!-- bench:ledger:end -->"

PAGES = [
    # label, user, path
    ("whoami (baseline)", "office", "/accounts/whoami/"),
    ("ledger, office, page 1", "office", "/rectification/"),
    ("ledger, office, overdue by deadline", "office", "/rectification/?flag=overdue&sort=deadline"),
    ("ledger, office, text search", "office", "/rectification/?q=%E5%88%B6%E5%BA%A6"),  # q=制度
    ("ledger, office, page 60", "office", "/rectification/?page=60"),
    ("ledger, leader (her departments)", "leader", "/rectification/"),
    ("ledger, staff (her department)", "staff", "/rectification/"),
]


def prepare(args, env):
    """Migrate, fill, collect static, and return session cookies and query counts."""
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    if args.collectstatic or not (Path(env["VAR_DIR"]) / "staticfiles" / "staticfiles.json").exists():
        # Slow the first time (whitenoise compresses every vendor file), skipped afterwards.
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from rectification.models import Measure, Progress

    have = (Measure.objects.count(), Progress.objects.count())
    if args.rebuild or have != (args.measures, args.progress):
        from bench.data import build

        started = time.perf_counter()
        summary = build(measures=args.measures, progress=args.progress)
        print(f"built {summary} in {time.perf_counter() - started:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        print(f"reusing {have[0]} measures and {have[1]} progress entries")

    cookies, queries, sizes = {}, {}, {}
    for username in {user for _label, user, _path in PAGES}:
        client = Client()
        client.force_login(User.objects.get(username=username), backend="django.contrib.auth.backends.ModelBackend")
        cookies[username] = client.cookies[settings.SESSION_COOKIE_NAME].value
        for label, user, path in PAGES:
            if user != username:
                continue
            client.get(path, HTTP_HOST="127.0.0.1")
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(path, HTTP_HOST="127.0.0.1")
            assert response.status_code == 200, (path, response.status_code)
            queries[label] = len(ctx.captured_queries)
            sizes[label] = len(response.content)
    counts = {
        "measures": Measure.objects.count(),
        "progress": Progress.objects.count(),
        "visible_to_leader": _visible("leader"),
        "visible_to_staff": _visible("staff"),
    }
    connection.close()
    return cookies, queries, sizes, counts, settings.SESSION_COOKIE_NAME


def _visible(username):
    from django.contrib.auth.models import User

    from rectification.selectors import visible_measures

    return visible_measures(User.objects.get(username=username)).count()


def fetch(port, path, cookie_name, cookie) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": f"{cookie_name}={cookie}", "Host": "127.0.0.1"})
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    if response.status != 200 or not body:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return elapsed


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--measures", type=int, default=5000)
    parser.add_argument("--progress", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the dataset even if it is there")
    parser.add_argument("--collectstatic", action="store_true", help="collect static files again")
    parser.add_argument("--write-readme", action="store_true")
    args = parser.parse_args()

    database = os.environ.get("DATABASE_URL") or DEFAULT_DB
    ensure_database(database)
    var_dir = Path(os.environ.get("BENCH_VAR_DIR") or Path(tempfile.gettempdir()) / "bench-ledger-var")
    var_dir.mkdir(parents=True, exist_ok=True)
    env = dict(
        os.environ,
        DATABASE_URL=database,
        VAR_DIR=str(var_dir),
        DEBUG="false",
        SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1,testserver",
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
        CONN_MAX_AGE="600",
    )
    env.pop("REDIS_URL", None)
    cookies, queries, sizes, counts, cookie_name = prepare(args, env)

    port = free_port()
    server = subprocess.Popen(
        [GUNICORN, "config.wsgi", "-w", str(args.workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.time() + 30
        while True:
            try:
                fetch(port, "/accounts/whoami/", cookie_name, cookies["office"])
                break
            except (ConnectionRefusedError, http.client.HTTPException, OSError, RuntimeError):
                if time.time() > deadline:
                    raise
                time.sleep(0.3)
        for _ in range(10):  # warm both workers: templates, calendar, connections
            for _label, user, path in PAGES:
                fetch(port, path, cookie_name, cookies[user])
        samples = {label: [] for label, _user, _path in PAGES}
        rng = random.Random(1)
        started = time.perf_counter()
        for _ in range(args.requests):
            order = list(PAGES)
            rng.shuffle(order)
            for label, user, path in order:
                samples[label].append(fetch(port, path, cookie_name, cookies[user]))
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=20)

    base = statistics.median(samples[PAGES[0][0]])
    rows = []
    for label, _user, path in PAGES:
        values = samples[label]
        median = statistics.median(values)
        rows.append(
            {
                "page": label,
                "path": path,
                "median_ms": round(median * 1000, 2),
                "p99_ms": round(percentile(values, 0.99) * 1000, 2),
                "ratio": round(median / base, 1),
                "queries": queries[label],
                "kb": round(sizes[label] / 1024, 1),
            }
        )
    result = {
        "measures": counts["measures"],
        "progress": counts["progress"],
        "visible_to_leader": counts["visible_to_leader"],
        "visible_to_staff": counts["visible_to_staff"],
        "requests_per_page": args.requests,
        "workers": args.workers,
        "wall_seconds": round(wall, 1),
        "cpu_count": os.cpu_count(),
        "rows": rows,
    }
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "ledger.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")

    table = markdown(result)
    print(table)
    if args.write_readme:
        write_readme(table)


def markdown(result) -> str:
    lines = [
        f"{result['measures']:,} measures, {result['progress']:,} progress entries (bench/data.py) on PostgreSQL; "
        f"gunicorn with {result['workers']} sync workers, DEBUG off, persistent connections; "
        f"{result['requests_per_page']} sequential requests per page from a Python HTTP loop, the pages "
        f"interleaved in shuffled order; {result['cpu_count']} cores. `leader` sees "
        f"{result['visible_to_leader']:,} measures, `staff` {result['visible_to_staff']:,}. "
        "Run: `.venv/bin/python bench/ledger.py --write-readme`.",
        "",
        "| page | median ms | p99 ms | median ÷ whoami | SQL queries | HTML KB |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result["rows"]:
        lines.append(
            f"| {row['page']} `{row['path']}` | {row['median_ms']:.1f} | {row['p99_ms']:.1f} | "
            f"{row['ratio']:.1f} | {row['queries']} | {row['kb']:.0f} |"
        )
    return "\n".join(lines)


def write_readme(table: str):
    section = f"## Ledger page\n\n{START}\n{table}\n{END}\n"
    text = README.read_text(encoding="utf-8") if README.exists() else "# Benchmarks\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _old, tail = rest.split(END, 1)
        text = head + START + "\n" + table + "\n" + END + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section
    README.write_text(text, encoding="utf-8")
    print(f"wrote {README.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
