"""Benchmark: 50 users for 60 s against the app as `make run` serves it (issue 14, item 6).

    .venv/bin/python bench/load.py [--users 50] [--run-time 60s] [--rebuild] [--write-readme]

One command: prepares its own PostgreSQL database (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_load, created if missing) with
bench.data.build(measures=5000, progress=20000), the party-building and campaign demo, the
accounts (30 staff with measures of their own, 15 leaders, 5 office; created where the demo
has fewer) and a built monthly report; starts gunicorn with config/gunicorn.conf.py (DEBUG
off, WhiteNoise, Redis as cache and broker: REDIS_URL, default redis://127.0.0.1:6379/15,
flushed) and a Celery worker as `make run` does; runs bench/locustfile.py headless; prints
one row per request group (count, errors, median, p95, p99, max) with the page views, the
downloads and the logins apart, and the load average. --write-readme puts the table into
bench/README.md ("Load"); the raw figures go to bench/results/load.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import ensure_database, free_port, wait_for  # noqa: E402

BIN = ROOT / ".venv" / "bin"
VAR = ROOT / "var" / "bench-load"
PASSWORD = "load-bench-2026"
TARGET_P99_MS = 500
PDF_ID_SLOT = b"0" * 32  # bench/locustfile.py writes a uuid4().hex here
README_START, README_END = "<!-- bench:load:start -->", "<!-- bench:load:end -->"


def environment(db_url: str, redis_url: str) -> dict:
    return dict(
        os.environ,
        DATABASE_URL=db_url,
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX="bench-load",
        VAR_DIR=str(VAR),
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="load-bench-secret-key-" + "x" * 40,
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
        GUNICORN_ACCESS_LOG="",
        GUNICORN_LOG_LEVEL="warning",
    )


# --- the data -------------------------------------------------------------------------------


def pdf_bytes(size: int = 200_000) -> bytes:
    """A real one-page PDF of about `size` bytes: a photo-like noise image, so it does not
    compress. No "/", "#" or "<" among the pixels: random bytes could spell a name the
    upload check refuses (/JS, /AA <<) or an HTML tag."""
    side = int((size / 3) ** 0.5)
    safe = bytes.maketrans(b"/#<", b"0$=")
    pixels = random.Random(14).randbytes(side * side * 3).translate(safe)
    image = zlib.compress(pixels, 0)
    content = f"q {side} 0 0 {side} 20 20 cm /Im1 Do Q".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {side + 40} {side + 40}] "
        "/Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>".encode(),
        f"<< /Type /XObject /Subtype /Image /Width {side} /Height {side} /ColorSpace /DeviceRGB "
        f"/BitsPerComponent 8 /Filter /FlateDecode /Length {len(image)} >>\nstream\n".encode()
        + image
        + b"\nendstream",
        f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream",
    ]
    # A comment the load test fills with a new id per upload (the same length, so the offsets
    # hold): the app refuses the same file twice on one measure, as staff would not send it.
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n%" + PDF_ID_SLOT + b"\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def check_evidence(path: Path) -> None:
    """The file passes the upload checks the progress form runs."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rectification import evidence

    evidence.check(SimpleUploadedFile("整改佐证.pdf", path.read_bytes(), "application/pdf"))


def build_data(measures: int, progress: int, rebuild: bool) -> None:
    from django.db import transaction

    from bench.data import build
    from campaign.group import demo as campaign_demo
    from partybuilding import demo as partybuilding_demo
    from rectification.models import Measure

    if not rebuild and Measure.objects.count() >= measures:
        print(f"reusing the {Measure.objects.count():,} measures in the database", flush=True)
        return
    started = time.perf_counter()
    print(f"built {build(measures=measures, progress=progress)}", flush=True)
    for module in (partybuilding_demo, campaign_demo):
        with transaction.atomic():
            module.seed()
    print(f"data and demo in {time.perf_counter() - started:.0f} s", flush=True)


def _extra_accounts(role: str, department_name: str, prefix: str, count: int, leader: bool) -> list:
    """`count` more accounts in `role`, each with a cadre in `department_name` (idempotent)."""
    from django.contrib.auth.models import Group, User

    from cadres.models import Cadre, Department

    department = Department.objects.get(name=department_name)
    group = Group.objects.get(name=role)
    users = []
    for index in range(1, count + 1):
        user, _ = User.objects.get_or_create(username=f"{prefix}{index:02d}")
        user.groups.add(group)
        cadre, _ = Cadre.objects.get_or_create(
            name=f"压测{'领导' if leader else '干部'}{index:02d}",
            department=department,
            defaults={"gender": "M", "is_leader": leader, "rank": "党组成员" if leader else "科员"},
        )
        if cadre.user_id != user.pk:
            cadre.user = user
            cadre.save(update_fields=["user"])
        users.append(user)
    return users


def accounts(staff: int = 30, leaders: int = 15, office: int = 5) -> dict:
    """The accounts the users log in with, one each, all with one password."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User

    from cadres import roles
    from rectification.models import Measure

    open_measures: dict[str, list[int]] = {}
    rows = (
        Measure.objects.exclude(status=Measure.Status.CLOSED)
        .filter(responsible_person__user__groups__name=roles.STAFF)
        .values_list("responsible_person__user__username", "pk")
        .order_by("pk")
    )
    for username, pk in rows:
        open_measures.setdefault(username, []).append(pk)
    staff_names = sorted(open_measures, key=lambda name: -len(open_measures[name]))[:staff]
    leader_users = list(User.objects.filter(groups__name=roles.LEADER).order_by("pk"))
    leader_users += _extra_accounts(roles.LEADER, "局领导班子", "loadleader", leaders - len(leader_users), True)
    office_users = list(User.objects.filter(groups__name=roles.OFFICE).order_by("pk"))
    office_users += _extra_accounts(roles.OFFICE, "办公室", "loadoffice", office - len(office_users), False)
    names = {
        "staff": staff_names,
        "leader": [u.username for u in leader_users[:leaders]],
        "office": [u.username for u in office_users[:office]],
    }
    everyone = [name for group in names.values() for name in group]
    # One hash for all: PBKDF2 once instead of fifty times.
    User.objects.filter(username__in=everyone).update(password=make_password(PASSWORD), is_active=True)
    return {
        "staff": [{"username": n, "measures": open_measures[n][:20]} for n in staff_names],
        "leader": [{"username": n} for n in names["leader"]],
        "office": [{"username": n} for n in names["office"]],
    }


def monthly_report() -> int:
    """A built report for last month (built here, inline, once) for the office to download."""
    from campaign.models import Report
    from campaign.reports import build
    from core import dates

    start, end = dates.parse_month(f"{dates.previous_month(dates.today())[0]:%Y-%m}")
    done = Report.objects.filter(period_start=start, status=Report.Status.DONE).order_by("-pk").first()
    if done and done.pdf.name and done.pdf.storage.exists(done.pdf.name):
        return done.pk
    report = Report.objects.create(period_start=start, period_end=end)
    started = time.perf_counter()
    outcome = build.build(report.pk)
    print(f"monthly report {start:%Y-%m}: {outcome.value} in {time.perf_counter() - started:.0f} s", flush=True)
    return report.pk


def filters() -> tuple[list[str], list[str]]:
    """The ledger filters leaders and the office use (and the office exports)."""
    from cadres.models import Department

    departments = list(
        Department.objects.exclude(kind=Department.Kind.LEADERSHIP).order_by("order").values_list("pk", flat=True)
    )
    leader = ["flag=overdue", "flag=overdue&scope=all", "status=in_progress&scope=all", "q=制度&scope=all"]
    leader += [f"department={pk}&scope=all" for pk in departments[:4]]
    office = ["flag=overdue", "source=municipal", "status=submitted"]
    office += [f"department={pk}" for pk in departments]
    return leader, office


def prepare(args, env: dict) -> Path:
    ensure_database(env["DATABASE_URL"])
    VAR.mkdir(parents=True, exist_ok=True)
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([BIN / "python", "manage.py", *command], cwd=ROOT, env=env, check=True)
    os.environ.update(env)
    import django

    django.setup()
    from django.core.cache import cache

    build_data(args.measures, args.progress, args.rebuild)
    leader_filters, office_filters = filters()
    pdf = VAR / "evidence-200k.pdf"
    pdf.write_bytes(pdf_bytes())
    check_evidence(pdf)
    plan = {
        "password": PASSWORD,
        "pdf": str(pdf),
        "accounts": accounts(),
        "report": monthly_report(),
        "leader_filters": leader_filters,
        "office_filters": office_filters,
    }
    cache.clear()  # every run starts with the same (empty) dashboard cache
    path = VAR / "plan.json"
    path.write_text(json.dumps(plan, ensure_ascii=False, indent=1))
    return path


# --- the run --------------------------------------------------------------------------------


def start_servers(env: dict, port: int) -> list[subprocess.Popen]:
    """gunicorn as configured for production, and a worker as `make run` starts it."""
    worker = [BIN / "celery", "-A", "config", "worker", "-l", "warning", "--concurrency", "2"]
    worker += ["--without-mingle", "--without-gossip"]
    web = [BIN / "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"]
    (VAR / "cpu.log").unlink(missing_ok=True)
    server_env = dict(env, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_CPU_LOG=str(VAR / "cpu.log"))
    log = open(VAR / "servers.log", "w")  # noqa: SIM115 (kept open by the children)
    return [
        subprocess.Popen(command, cwd=ROOT, env=server_env, stdout=log, stderr=log, start_new_session=True)
        for command in (worker, web)
    ]


def run_locust(args, env: dict, port: int, plan: Path) -> list:
    samples = VAR / "samples.json"
    samples.unlink(missing_ok=True)
    command = [BIN / "locust", "-f", "bench/locustfile.py", "--headless", "--only-summary"]
    # locust's own limit is only a safety net: the locustfile ends the run `window` seconds
    # after the last login.
    window = parse_seconds(args.run_time)
    command += ["--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--run-time", f"{window + 300}s"]
    command += ["--host", f"http://127.0.0.1:{port}", "--csv", str(VAR / "locust"), "--loglevel", "WARNING"]
    locust_env = dict(env, LOAD_PLAN=str(plan), LOAD_SAMPLES=str(samples), LOAD_USERS=str(args.users))
    locust_env["LOAD_WINDOW"] = str(window)
    with open(VAR / "locust.log", "w") as log:
        subprocess.run(command, cwd=ROOT, env=locust_env, check=False, stdout=log, stderr=log)
    return json.loads(samples.read_text())  # {"window": [start, end], "samples": [...]}


class CpuSampler(threading.Thread):
    """Once a second: CPU seconds used so far by the web server, the worker, this
    database's PostgreSQL backends, and the whole machine (busy and total, in cores)."""

    def __init__(self, groups: dict[str, int], db_url: str):
        super().__init__(daemon=True)
        self.groups, self.db_url, self.rows, self.done = groups, db_url, [], threading.Event()
        self.backend_cpu: dict[int, float] = {}

    def run(self):
        import psycopg

        with psycopg.connect(self.db_url, autocommit=True) as conn:
            while not self.done.wait(1.0):
                row = {"t": time.time(), **{name: group_cpu(pgid) for name, pgid in self.groups.items()}}
                sql = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                for (pid,) in conn.execute(sql):
                    self.backend_cpu[pid] = process_cpu(pid) or self.backend_cpu.get(pid, 0.0)
                row["postgres"] = sum(self.backend_cpu.values())
                row["machine_busy"], row["machine_total"] = machine_cpu()
                self.rows.append(row)

    def usage(self, start: float, end: float) -> dict:
        """Cores used on average between `start` and `end` (the nearest samples)."""
        first = min(self.rows, key=lambda r: abs(r["t"] - start))
        last = min(self.rows, key=lambda r: abs(r["t"] - end))
        seconds = last["t"] - first["t"] or 1
        names = [*self.groups, "postgres", "machine_busy"]
        usage = {name: round((last[name] - first[name]) / seconds, 2) for name in names}
        usage["cores"] = round((last["machine_total"] - first["machine_total"]) / seconds, 1)
        return usage


def _ticks(fields: list[str]) -> float:
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def process_cpu(pid: int) -> float | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return _ticks(text.rsplit(")", 1)[1].split())


def group_cpu(pgid: int) -> float:
    """CPU seconds of the live processes in a process group (gunicorn and its workers)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            total += _ticks(fields)
    return total


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / tick, sum(values[:8]) / tick


def parse_seconds(text: str) -> int:
    """'60s', '2m' or '90' in seconds."""
    units = {"s": 1, "m": 60, "h": 3600}
    return int(text[:-1]) * units[text[-1]] if text[-1] in units else int(text)


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        process.wait(timeout=30)


# --- the table ------------------------------------------------------------------------------


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p % of the values at or below it."""
    rank = max(1, -(-len(sorted_values) * p // 100))
    return sorted_values[int(rank) - 1]


def summarise(times: list[float], errors: int) -> dict:
    values = sorted(times)
    return {
        "count": len(values),
        "errors": errors,
        "median": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": values[-1],
    }


def group_kind(name: str) -> str:
    return name.split(":", 1)[0] if name.startswith(("download:", "login:")) else "page"


def cpu_by_group(start: float, end: float) -> dict[str, list[float]]:
    """Each request's CPU milliseconds in its web process, by group, within the window."""
    groups: dict[str, list[float]] = {}
    for line in (VAR / "cpu.log").read_text(encoding="utf-8").splitlines():
        when, cpu_ms, group = line.split("\t", 2)
        if start <= float(when) <= end:
            groups.setdefault(group, []).append(float(cpu_ms))
    return groups


def table(samples: list, cpu: dict[str, list[float]]) -> dict:
    groups: dict[str, tuple[list, list]] = {}
    for name, ms, ok in samples:
        times, failures = groups.setdefault(name, ([], []))
        times.append(ms)
        if not ok:
            failures.append(ms)
    rows = {name: summarise(times, len(failures)) for name, (times, failures) in groups.items()}
    for name, row in rows.items():
        row["cpu_median"] = percentile(sorted(cpu[name]), 50) if cpu.get(name) else None
    for kind, label in (("page", "all page views"), ("download", "all downloads")):
        names = [n for n in groups if group_kind(n) == kind]
        if names:
            times = [ms for n in names for ms in groups[n][0]]
            rows[label] = summarise(times, sum(len(groups[n][1]) for n in names))
            rows[label]["cpu_median"] = percentile(sorted(ms for n in names for ms in cpu.get(n, [0])), 50)
    return rows


def markdown(rows: dict, meta: dict) -> str:
    order = {"page": 0, "download": 2, "login": 3}
    lines = [
        "| request group | kind | count | errors | median ms | p95 ms | p99 ms | max ms | CPU ms (median) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]

    def key(name):
        kind = "page" if name == "all page views" else "download" if name == "all downloads" else group_kind(name)
        return (order[kind] + (0.5 if name.startswith("all ") else 0), name)

    for name in sorted(rows, key=key):
        r = rows[name]
        kind = "page view" if key(name)[0] < 1 else "download" if key(name)[0] < 3 else "login"
        label = f"**{name}**" if name.startswith("all ") else name.removeprefix("download: ").removeprefix("login: ")
        lines.append(
            f"| {label} | {kind} | {r['count']} | {r['errors']} | {r['median']:.0f} | {r['p95']:.0f} "
            f"| {r['p99']:.0f} | {r['max']:.0f} | {cpu_text(r['cpu_median'])} |"
        )
    lines.append("")
    lines.append(
        f"{meta['users']} users ({meta['spawn_rate']}/s), {meta['run_time']}; gunicorn {meta['gunicorn']}; "
        f"load average {meta['load_before']} before, {meta['load_after']} after; "
        f"page views p99 {rows['all page views']['p99']:.0f} ms (target ≤ {TARGET_P99_MS}), "
        f"errors {sum(r['errors'] for n, r in rows.items() if not n.startswith('all '))}."
    )
    cpu = meta["cpu"]
    lines.append(
        f"CPU in the window, in cores of {cpu['cores']:g}: gunicorn {cpu['gunicorn']}, worker {cpu['worker']}, "
        f"PostgreSQL (this database) {cpu['postgres']}; the whole machine {cpu['machine_busy']}."
    )
    return "\n".join(lines)


def cpu_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def write_readme(text: str) -> None:
    readme = ROOT / "bench" / "README.md"
    content = readme.read_text()
    start, end = content.index(README_START) + len(README_START), content.index(README_END)
    readme.write_text(content[:start] + "\n" + text + "\n" + content[end:])


def gunicorn_settings(env: dict) -> str:
    code = "import runpy; c = runpy.run_path('config/gunicorn.conf.py'); "
    code += "threads = f\", {c['threads']} threads each\" if c['worker_class'] == 'gthread' else ''; "
    code += "print(f\"{c['workers']} × {c['worker_class']} workers{threads}\")"
    return subprocess.run(
        [BIN / "python", "-c", code], cwd=ROOT, env=env, text=True, capture_output=True
    ).stdout.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--measures", type=int, default=5000)
    parser.add_argument("--progress", type=int, default=20000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--run-time", default="60s")
    parser.add_argument("--rebuild", action="store_true", help="build the data again even if it is there")
    parser.add_argument("--write-readme", action="store_true", help="put the table into bench/README.md")
    args = parser.parse_args()
    db_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_load")
    env = environment(db_url, os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"))
    plan = prepare(args, env)
    port = free_port()
    meta = {"users": args.users, "spawn_rate": args.spawn_rate, "run_time": args.run_time}
    meta["gunicorn"] = gunicorn_settings(env)
    processes = start_servers(env, port)
    sampler = CpuSampler({"worker": processes[0].pid, "gunicorn": processes[1].pid}, env["DATABASE_URL"])
    try:
        wait_for(f"http://127.0.0.1:{port}/accounts/login/")
        sampler.start()
        meta["load_before"] = " / ".join(Path("/proc/loadavg").read_text().split()[:3])
        run = run_locust(args, env, port, plan)
        meta["load_after"] = " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    finally:
        sampler.done.set()
        stop(processes)
    meta["cpu"] = sampler.usage(*run["window"])
    rows = table(run["samples"], cpu_by_group(*run["window"]))
    text = markdown(rows, meta)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "load.json").write_text(json.dumps({"meta": meta, "rows": rows}, ensure_ascii=False, indent=1))
    print(text)
    if args.write_readme:
        write_readme(text)


if __name__ == "__main__":
    main()
