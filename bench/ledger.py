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

For the measure page and logging progress (bench/measure_page.py) it makes, once, a measure
of `staff`'s department with a realistic record (7 progress entries each with a PDF, a
sign-off request the leader returned) and removes what earlier runs posted.

Then it starts gunicorn (sync workers, DEBUG off, persistent connections) and sends the
requests one at a time from a Python HTTP loop, the pages interleaved in a shuffled order
on every round so that they share the machine's conditions: whoami, the default ledger
(page 1 of 5,000, sorted by number), the ledger filtered (overdue, sorted by deadline),
a text search, a deep page (page 60), the leader's and staff's default ledgers, staff
opening that measure's page, and staff logging progress: a POST of the form with a fresh
200 KB PDF (a real PDF that passes the upload checks) to one of 20 open measures in turn,
following the redirect to the measure's page (the round trip is the time). Reports median
and p99 latency, the ratio of each median to whoami's and the issue's target, plus the SQL
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

from bench import measure_page  # noqa: E402
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
MEASURE_LABEL = "measure page, staff (7 entries with files, 3 sign-off steps)"
POST_LABEL = "log progress, staff (POST with a 200 KB PDF, then the redirect)"
POST = "POST"  # the path of the progress round trip in the page list
# The targets (median ÷ whoami's median), issue 14 items 1 and 2.
TARGETS = {PAGES[1][0]: 3, MEASURE_LABEL: 3, POST_LABEL: 6}
DEFAULT_TARGET = 4


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

    removed = measure_page.forget_posts()
    if removed:
        print(f"removed {removed} progress entries posted by earlier runs")
    # The measure page's own record (bench/measure_page.py) is not part of the dataset.
    ours = Progress.objects.filter(measure__note=measure_page.HISTORY_NOTE)
    have = (Measure.objects.count(), Progress.objects.count() - ours.count())
    if args.rebuild or have != (args.measures, args.progress):
        from bench.data import build

        started = time.perf_counter()
        summary = build(measures=args.measures, progress=args.progress)
        print(f"built {summary} in {time.perf_counter() - started:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        print(f"reusing {have[0]} measures and {have[1]} progress entries")
    post = _prepare_posts()
    pages = [
        *PAGES,
        (MEASURE_LABEL, "staff", f"/rectification/measures/{post['measure']}/"),
        (POST_LABEL, "staff", POST),
    ]

    cookies, queries, sizes = {}, {}, {}
    for username in {user for _label, user, _path in pages}:
        client = Client()
        client.force_login(User.objects.get(username=username), backend="django.contrib.auth.backends.ModelBackend")
        for label, user, path in pages:
            if user != username:
                continue
            if path == POST:
                queries[label], sizes[label] = _count_post(client, post)
                continue
            client.get(path, HTTP_HOST="127.0.0.1")
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(path, HTTP_HOST="127.0.0.1")
            assert response.status_code == 200, (path, response.status_code)
            queries[label] = len(ctx.captured_queries)
            sizes[label] = len(response.content)
        cookies[username] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        if username == "staff":  # the progress form's CSRF cookie and token
            page = client.get(pages[-2][2], HTTP_HOST="127.0.0.1").content.decode()
            cookies[username] += f"; {settings.CSRF_COOKIE_NAME}={client.cookies[settings.CSRF_COOKIE_NAME].value}"
            post["csrf"] = measure_page.csrf_token(page)
    counts = {
        "measures": Measure.objects.count(),
        "progress": Progress.objects.count(),
        "visible_to_leader": _visible("leader"),
        "visible_to_staff": _visible("staff"),
    }
    connection.close()
    return pages, cookies, queries, sizes, counts, post


def _prepare_posts() -> dict:
    """The measure whose page is timed, the measures the POSTs go to, today's date."""
    from django.contrib.auth.models import User

    from core import dates

    staff, leader = User.objects.get(username="staff"), User.objects.get(username="leader")
    measure = measure_page.measure_with_history(staff, leader)
    pool = measure_page.post_pool(staff, exclude=measure)
    assert pool, "no open measure of staff's department to log progress on"
    return {"measure": measure, "pool": pool, "today": dates.today().isoformat(), "sent": 0}


def _count_post(client, post) -> tuple[int, int]:
    """The SQL queries of one progress POST and the page it redirects to (test client)."""
    import uuid

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    measure_id = post["pool"][0]
    data = {
        "text": f"{measure_page.POST_TEXT}查询计数",
        "date": post["today"],
        "percent": "60",
        "submission_token": str(uuid.uuid4()),
        "files": SimpleUploadedFile("计数.pdf", measure_page.evidence_pdf("count"), content_type="application/pdf"),
    }
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            f"/rectification/measures/{measure_id}/progress/", data, HTTP_HOST="127.0.0.1", follow=True
        )
    assert response.status_code == 200 and response.redirect_chain, response.status_code
    return len(ctx.captured_queries), len(response.content)


def timed(port, label, user, path, cookies, post) -> float:
    """One timed request: a GET, or the progress round trip (to the pool's measures in turn)."""
    if path != POST:
        return fetch(port, path, cookies[user])
    post["sent"] += 1
    measure_id = post["pool"][post["sent"] % len(post["pool"])]
    return measure_page.post_progress(port, cookies[user], post["csrf"], measure_id, post["sent"], post["today"])


def _visible(username):
    from django.contrib.auth.models import User

    from rectification.selectors import visible_measures

    return visible_measures(User.objects.get(username=username)).count()


def fetch(port, path, cookie) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.perf_counter()
    measure_page.get_ok(conn, path, cookie)
    elapsed = time.perf_counter() - started
    conn.close()
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
    pages, cookies, queries, sizes, counts, post = prepare(args, env)

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
                fetch(port, "/accounts/whoami/", cookies["office"])
                break
            except (ConnectionRefusedError, http.client.HTTPException, OSError, RuntimeError):
                if time.time() > deadline:
                    raise
                time.sleep(0.3)
        for _ in range(10):  # warm both workers: templates, calendar, connections
            for label, user, path in pages:
                timed(port, label, user, path, cookies, post)
        samples = {label: [] for label, _user, _path in pages}
        rng = random.Random(1)
        load = [os.getloadavg()[0]]
        started = time.perf_counter()
        for _ in range(args.requests):
            order = list(pages)
            rng.shuffle(order)
            for label, user, path in order:
                samples[label].append(timed(port, label, user, path, cookies, post))
        wall = time.perf_counter() - started
        load.append(os.getloadavg()[0])
    finally:
        server.terminate()
        server.wait(timeout=20)

    base = statistics.median(samples[PAGES[0][0]])
    rows = []
    for label, _user, path in pages:
        values = samples[label]
        median = statistics.median(values)
        rows.append(
            {
                "page": label,
                "path": "POST …/progress/ + redirect" if path == POST else path,
                "median_ms": round(median * 1000, 2),
                "p99_ms": round(percentile(values, 0.99) * 1000, 2),
                "ratio": round(median / base, 1),
                "target": None if label == PAGES[0][0] else TARGETS.get(label, DEFAULT_TARGET),
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
        "load": load,
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
        f"Load average (1 min) {result['load'][0]:.1f} at the start of the timed requests, "
        f"{result['load'][1]:.1f} at the end.",
        "",
        "| page | median ms | p99 ms | median ÷ whoami | target | SQL queries | HTML KB |",
        "| --- | ---: | ---: | ---: | :---: | ---: | ---: |",
    ]
    for row in result["rows"]:
        target = "" if row["target"] is None else f"≤ {row['target']} {'✓' if row['ratio'] <= row['target'] else '✗'}"
        lines.append(
            f"| {row['page']} `{row['path']}` | {row['median_ms']:.1f} | {row['p99_ms']:.1f} | "
            f"{row['ratio']:.1f} | {target} | {row['queries']} | {row['kb']:.0f} |"
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
