"""Benchmark: Lighthouse (mobile, the default form factor and simulated throttling) on the
login page, the ledger, the dashboard and a measure page, against the app as in production.

    .venv/bin/python bench/lighthouse.py [--runs 3] [--workers 2] [--write-readme]

Uses its own PostgreSQL database (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_lighthouse, created if missing), migrates it,
seeds the demo bureau (seed_demo --force, idempotent), collects the static files into a
private VAR_DIR every run (the CSS and the icon sprite are what is measured), and starts
gunicorn with DEBUG off and WhiteNoise serving the compressed, fingerprinted files. The
logged-in pages are opened with a session cookie of a demo login (office; leader for the
dashboard) passed as a header.

Lighthouse is the pinned npm devDependency (node_modules/lighthouse, 12.x: 13 needs Node 22)
and drives Chromium (CHROME_PATH, default /usr/bin/chromium) headless. Each page is audited
--runs times; the row is the run with the median performance score. Prints the three
category scores and FCP, LCP, TBT and the bytes transferred; writes
bench/results/lighthouse.json, and with --write-readme the "Front end" table of
bench/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import ensure_database, free_port, publish, server_env  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/bench_lighthouse"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"

PAGES = [
    # label, user (None: logged out), path ("{measure}" is the first demo measure)
    ("login", None, "/accounts/login/"),
    ("ledger", "office", "/rectification/"),
    ("dashboard", "leader", "/dashboard/"),
    ("measure page", "office", "/rectification/measures/{measure}/"),
]
CATEGORIES = ("performance", "accessibility", "best-practices")


def prepare(env):
    """Migrate, seed the demo bureau, collect static; return cookies and the measure's id."""
    run = [PYTHON, "manage.py"]
    subprocess.run([*run, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*run, "seed_demo", "--force"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*run, "collectstatic", "--noinput", "--clear", "-v0"], cwd=ROOT, env=env, check=True)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from rectification.models import Measure

    cookies = {}
    for username in {user for _label, user, _path in PAGES if user}:
        client = Client()
        client.force_login(User.objects.get(username=username), backend="django.contrib.auth.backends.ModelBackend")
        cookies[username] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    measure = Measure.objects.order_by("pk").values_list("pk", flat=True).first()
    connection.close()
    return cookies, measure


def wait_for(port):
    deadline = time.time() + 30
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/accounts/login/")
            conn.getresponse().read()
            return
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.3)


def audit(url, cookie, out: Path) -> dict:
    """One Lighthouse run of `url`; the figures this benchmark reports."""
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    # On a loaded machine Lighthouse now and then loses the trace (NO_NAVSTART): run it again.
    for _attempt in range(3):
        if subprocess.run(command, cwd=ROOT, env=env).returncode == 0:
            break
    else:
        raise RuntimeError(f"{url}: Lighthouse failed three times")
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    if report.get("runtimeError"):
        raise RuntimeError(f"{url}: {report['runtimeError']}")
    return {
        **{name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES},
        "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "transfer_kib": round(audits["total-byte-weight"]["numericValue"] / 1024, 1),
        "final_url": report["finalDisplayedUrl"],
    }


def median_run(runs: list[dict]) -> dict:
    ordered = sorted(runs, key=lambda r: r["performance"])
    row = dict(ordered[len(ordered) // 2])
    row["performance_runs"] = [r["performance"] for r in runs]
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", help="audit only this page (a label: login, ledger, dashboard, measure page)")
    parser.add_argument("--keep", help="keep the Lighthouse JSON reports in this folder")
    parser.add_argument("--write-readme", action="store_true")
    args = parser.parse_args()

    database = os.environ.get("DATABASE_URL") or DEFAULT_DB
    ensure_database(database)
    var_dir = Path(os.environ.get("BENCH_VAR_DIR") or Path(tempfile.gettempdir()) / "bench-lighthouse-var")
    var_dir.mkdir(parents=True, exist_ok=True)
    env = server_env(database, var_dir)
    cookies, measure = prepare(env)

    port = free_port()
    server = subprocess.Popen(
        [GUNICORN, "config.wsgi", "-w", str(args.workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    rows = []
    try:
        wait_for(port)
        with tempfile.TemporaryDirectory() as tmp:
            reports = Path(args.keep or tmp)
            reports.mkdir(parents=True, exist_ok=True)
            for label, user, path in PAGES:
                if args.only and label != args.only:
                    continue
                url = f"http://127.0.0.1:{port}{path.format(measure=measure)}"
                runs = [
                    audit(url, cookies.get(user), reports / f"{label.replace(' ', '-')}-{i}.json")
                    for i in range(args.runs)
                ]
                row = {"page": label, "path": path, **median_run(runs)}
                if "/accounts/login/" in row["final_url"] and user:
                    raise RuntimeError(f"{label}: redirected to the login page, the cookie was not taken")
                rows.append(row)
                print(json.dumps(row, ensure_ascii=False))
    finally:
        server.terminate()
        server.wait(timeout=20)

    result = {"runs": args.runs, "load_average": [round(x, 2) for x in os.getloadavg()], "rows": rows}
    publish("lighthouse", result, markdown(result), args.write_readme)


def markdown(result) -> str:
    lines = [
        f"Lighthouse 12 mobile, median of {result['runs']} runs by performance score; "
        f"load average at the end {result['load_average'][0]}.",
        "",
        "| page | performance (runs) | accessibility | best practices | FCP ms | LCP ms | TBT ms | transfer KiB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in result["rows"]:
        runs = ", ".join(str(p) for p in r["performance_runs"])
        lines.append(
            f"| {r['page']} | {r['performance']} ({runs}) | {r['accessibility']} | {r['best-practices']} "
            f"| {r['fcp_ms']} | {r['lcp_ms']} | {r['tbt_ms']} | {r['transfer_kib']} |"
        )
    lines.append(f"\nMedian performance over the pages: {statistics.median(r['performance'] for r in result['rows'])}.")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
