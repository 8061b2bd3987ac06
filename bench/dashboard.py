"""Benchmark: the leaders' dashboard (/dashboard/) under gunicorn, as a ratio to /accounts/whoami/.

    .venv/bin/python bench/dashboard.py [--measures 5000] [--progress 20000] [--duration 15]
                                        [--connections 16] [--workers 2] [--redis URL]

Uses its own PostgreSQL database (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_dash, created if missing), migrates it, builds
the ledger with bench.data.build(measures, progress) and the demo campaign (so that the
组长 exists and `leader` — 李红梅, a deputy — sees the departments she oversees by
default), collects static files into a private VAR_DIR, and logs `leader` in (a session
row; wrk sends its cookie).

Then, three times — warm (the default: figures and the rendered page cached, what almost
every request takes), figures (DASHBOARD_PAGE_CACHE=false: the figures cached, the page
rendered on every request) and cold (DASHBOARD_CACHE_SECONDS=0: every request computes
every figure and renders everything) — it starts gunicorn (2 workers, DEBUG off, persistent connections) and runs wrk
(16 connections, --latency) against, in the same run:

  - /accounts/whoami/          the minimal logged-in page (session + user, plain text)
  - /accounts/password/done/   a bare page with the shell (navigation, notices, base template)
  - /dashboard/                the leader's default view (her departments)
  - /dashboard/?scope=all      the whole bureau

whoami before and after each page (the load of a shared machine drifts): a page's ratio is
its requests/s over the mean of the two whoami runs beside it. It reports requests/s, that
ratio, median and p99 latency, and the load average. In the warm and figures runs it then
writes a progress entry in 行政审批科 (overseen by `leader`) and times the first request
after it of an affected view (`leader`'s own, the whole bureau) and of an unaffected one
(`leader3`, 张志强, who oversees other departments), and the affected view's next request:
medians over five writes. It also times the uncached figure computation in-process
(campaign.dashboard.selectors.compute_figures, median of 20) and counts the SQL queries of
one uncached and one cached request.

Writes bench/results/dashboard.json and prints a Markdown table for bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/bench_dash"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")


def ensure_database(url: str):
    import psycopg

    name = url.rsplit("/", 1)[-1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(base: dict, cache_seconds: int, page_cache: bool = True) -> dict:
    env = dict(base)
    env.update(
        DASHBOARD_PAGE_CACHE="true" if page_cache else "false",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        DASHBOARD_CACHE_SECONDS=str(cache_seconds),
        LOG_LEVEL="WARNING",
    )
    return env


def wait_until_up(url: str, cookie: str, timeout: float = 30.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            request = urllib.request.Request(url, headers={"Cookie": cookie})
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, response.read().decode()
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer {url}")


def parse_wrk(out: str) -> dict:
    def latency(label):
        m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {
        "rps": rps,
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def wrk(url: str, cookie: str, seconds: int, connections: int) -> dict:
    subprocess.run(
        ["wrk", "-t2", f"-c{connections}", "-d2s", "-H", f"Cookie: {cookie}", url], check=True, capture_output=True
    )  # warm-up
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", f"Cookie: {cookie}", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return parse_wrk(out)


def timed_get(url: str, cookie: str) -> float:
    started = time.perf_counter()
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        response.read()
    return (time.perf_counter() - started) * 1000


def measure_side_by_side(base: str, cookie: str, pages: dict, args) -> dict:
    """wrk on whoami before and after each page; each page's ratio is to their mean."""
    whoamis = [wrk(base + "/accounts/whoami/", cookie, args.duration, args.connections)]
    run = {}
    for name, path in pages.items():
        run[name] = wrk(base + path, cookie, args.duration, args.connections)
        whoamis.append(wrk(base + "/accounts/whoami/", cookie, args.duration, args.connections))
        beside = (whoamis[-2]["rps"] + whoamis[-1]["rps"]) / 2
        run[name]["ratio"] = round(run[name]["rps"] / beside, 2)
        print(name, run[name], flush=True)
    run["whoami"] = sorted(whoamis, key=lambda r: r["rps"])[len(whoamis) // 2]  # the median run
    run["whoami"]["all_rps"] = [r["rps"] for r in whoamis]
    return run


def after_write(base: str, cookies: dict, rounds: int = 5) -> dict:
    """First requests after a progress entry in 行政审批科, in ms (medians of `rounds`)."""
    from django.contrib.auth.models import User

    from core import dates
    from rectification.models import Measure, Progress

    measure = (
        Measure.objects.filter(lead_department__name="行政审批科", responsible_leader__user__username="leader")
        .exclude(partner_departments__overseen_by__user__username="leader3")
        .exclude(responsible_person__user__username="leader3")
        .order_by("pk")
        .first()
    )
    author = User.objects.get(username="leader")
    views = {
        "affected": ("/dashboard/", "leader"),
        "whole_bureau": ("/dashboard/?scope=all", "leader"),
        "unaffected": ("/dashboard/", "leader3"),
    }
    times = {name: [] for name in [*views, "affected_again"]}
    written = []
    for _ in range(rounds):
        for path, user in views.values():  # everyone warm before the write
            timed_get(base + path, cookies[user])
        written.append(Progress.objects.create(measure=measure, date=dates.today(), text="基准测试", author=author))
        for name, (path, user) in views.items():
            times[name].append(timed_get(base + path, cookies[user]))
        times["affected_again"].append(timed_get(base + "/dashboard/", cookies["leader"]))
    for entry in written:
        entry.delete()
    return {name: round(statistics.median(values), 1) for name, values in times.items()}


def in_process_measurements(runs: int = 20) -> dict:
    """Uncached compute time of the figures and the query counts of one request."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from campaign.dashboard.scope import resolve_scope
    from campaign.dashboard.selectors import compute_figures
    from core import dates

    leader = User.objects.get(username="leader")
    on = dates.today()
    result = {}
    for label, query in (("own", None), ("all", "all")):
        scope = resolve_scope(leader, query)
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            compute_figures(scope.base(leader), on, whole_bureau=scope.whole_bureau)
            timings.append((time.perf_counter() - start) * 1000)
        result[f"compute_ms_{label}"] = round(statistics.median(timings), 1)
    client = Client()
    client.force_login(leader)
    # The query log is a bounded deque: empty it, or a full one captures nothing.
    connection.queries_log.clear()
    with override_settings(DASHBOARD_CACHE_SECONDS=0, ALLOWED_HOSTS=["testserver"]):
        with CaptureQueriesContext(connection) as uncached:
            assert client.get("/dashboard/").status_code == 200
        result["queries_uncached"] = len(uncached.captured_queries)
    with override_settings(DASHBOARD_CACHE_SECONDS=60, ALLOWED_HOSTS=["testserver"]):
        client.get("/dashboard/")
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as cached:
            assert client.get("/dashboard/").status_code == 200
        result["queries_cached"] = len(cached.captured_queries)
    return {**result, **cpu_per_request(client)}


def cpu_per_request(client, runs: int = 30) -> dict:
    """CPU ms per request in this process, median of `runs`, the variants interleaved: the
    load of a shared machine moves this far less than the throughput under wrk."""
    from django.test.utils import override_settings

    variants = {
        "whoami": ("/accounts/whoami/", 60),
        "shell": ("/accounts/password/done/", 60),
        "figures": ("/dashboard/", 60),
        "cold": ("/dashboard/", 0),
    }
    timings = {name: [] for name in variants}
    for _ in range(runs):
        for name, (path, seconds) in variants.items():
            with override_settings(
                DASHBOARD_CACHE_SECONDS=seconds, DASHBOARD_PAGE_CACHE=False, ALLOWED_HOSTS=["testserver"]
            ):
                start = time.process_time()
                assert client.get(path).status_code == 200
                timings[name].append((time.process_time() - start) * 1000)
    return {f"cpu_ms_{name}": round(statistics.median(values), 2) for name, values in timings.items()}


PAGE_ROWS = (
    ("whoami", "/accounts/whoami/ (median of its runs)"),
    ("shell", "/accounts/password/done/ (bare page with the shell)"),
    ("dashboard", "/dashboard/ (leader: her departments)"),
    ("dashboard_all", "/dashboard/?scope=all (whole bureau)"),
)
WRITE_ROWS = (
    ("affected", "leader (oversees it): her departments"),
    ("whole_bureau", "leader: the whole bureau"),
    ("unaffected", "leader3 (other departments)"),
    ("affected_again", "leader: her next request"),
)


def print_tables(results: dict):
    """The two Markdown tables of bench/README.md: throughput, and requests after a write."""
    print()
    print("| cache | page | req/s | ratio to whoami | median | p99 | load |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for mode, run in results["runs"].items():
        for name, label in PAGE_ROWS:
            r = run[name]
            ratio = f"{r['ratio']:.2f}" if "ratio" in r else "1"
            cells = f"{r['rps']:.0f} | {ratio} | {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms | {run['load']}"
            print(f"| {mode} | {label} | {cells} |")
    print()
    print("| cache | first request after a write in 行政审批科 | ms (median of 5) |")
    print("| --- | --- | ---: |")
    for mode, run in results["runs"].items():
        rows = WRITE_ROWS if "after_write" in run else ()
        for name, label in rows:
            print(f"| {mode} | {label} | {run['after_write'][name]} |")
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--measures", type=int, default=5000)
    parser.add_argument("--progress", type=int, default=20000)
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis", default="", help="REDIS_URL for the cache (default: the file cache)")
    parser.add_argument("--skip-build", action="store_true", help="reuse the data already in the database")
    args = parser.parse_args()

    db_url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    var_dir = Path(tempfile.mkdtemp(prefix="bench-dash-var-"))
    # One SECRET_KEY for this process (which writes the session) and gunicorn (which reads it).
    base_env = dict(
        os.environ,
        DATABASE_URL=db_url,
        VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="bench-only-secret-key-" + "x" * 40,
    )
    if args.redis:
        base_env.update(REDIS_URL=args.redis, CACHE_KEY_PREFIX="bench-dash")
    else:
        base_env.pop("REDIS_URL", None)
    os.environ.update(base_env)
    ensure_database(db_url)
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=base_env, check=True)
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=server_env(base_env, 60), check=True
    )

    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore

    from campaign.group import demo as campaign_demo
    from rectification.models import Measure, Progress

    if not args.skip_build or not Measure.objects.exists():
        from bench.data import build

        started = time.perf_counter()
        summary = build(measures=args.measures, progress=args.progress)
        print(f"built {summary} in {time.perf_counter() - started:.1f} s", flush=True)
    campaign_demo.seed()
    from django.core.cache import cache

    cache.clear()
    cookies = {}
    for username in ("leader", "leader3"):
        user = User.objects.get(username=username)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.set_expiry(24 * 3600)
        session.save()
        cookies[username] = f"sessionid={session.session_key}"
    cookie = cookies["leader"]
    measured = in_process_measurements()

    results = {
        "measures": Measure.objects.count(),
        "progress": Progress.objects.count(),
        "workers": args.workers,
        "connections": args.connections,
        "duration_s": args.duration,
        "cache_backend": "redis" if args.redis else "file",
        **measured,
        "runs": {},
    }
    pages = {"shell": "/accounts/password/done/", "dashboard": "/dashboard/", "dashboard_all": "/dashboard/?scope=all"}
    modes = (("warm", 60, True), ("figures", 60, False), ("cold", 0, False))
    for mode, seconds, page_cache in modes:
        port = free_port()
        server = subprocess.Popen(
            [GUNICORN, "config.wsgi", "-w", str(args.workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
            cwd=ROOT,
            env=server_env(base_env, seconds, page_cache),
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            status, body = wait_until_up(base + "/dashboard/", cookie)
            assert status == 200 and "领导驾驶舱" in body, "not logged in or the page failed"
            load = os.getloadavg()[0]
            run = measure_side_by_side(base, cookie, pages, args)
            run["load"] = round((load + os.getloadavg()[0]) / 2, 1)
            if seconds > 0:
                run["after_write"] = after_write(base, cookies)
                print(mode, "after a write", run["after_write"], flush=True)
            results["runs"][mode] = run
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)

    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "dashboard.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))

    print()
    print(
        f"{results['measures']:,} measures, {results['progress']:,} progress entries; gunicorn {args.workers} workers, "
        f"wrk {args.connections} connections × {args.duration} s; cache: {results['cache_backend']}"
    )
    print_tables(results)
    print(
        f"Uncached figures computed in-process: {results['compute_ms_own']} ms (her departments), "
        f"{results['compute_ms_all']} ms (whole bureau), median of 20. SQL queries per request: "
        f"{results['queries_uncached']} uncached, {results['queries_cached']} cached."
    )
    cpu = {name: results[f"cpu_ms_{name}"] for name in ("whoami", "shell", "figures", "cold")}
    print(
        "CPU per request in process (median of 30): "
        + ", ".join(f"{name} {ms} ms ({cpu['whoami'] / ms:.2f} of whoami)" for name, ms in cpu.items())
    )


if __name__ == "__main__":
    main()
