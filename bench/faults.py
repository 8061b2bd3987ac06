"""Fault drills for the report builds: Redis stopped and restarted, the worker killed
mid-build, the database connections killed. Each prints what was lost and how long it took
until every report was built.

    .venv/bin/python bench/faults.py [--reports 3]

Runs on PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bench_faults,
created, migrated and seeded with the demo if needed) and a redis-server of its own on a free
port, with real Celery worker processes. Heartbeats are short (REPORT_HEARTBEAT_SECONDS=2,
REPORT_STALE_SECONDS=15) so a drill takes a minute, not the production minutes; the script
plays beat by running the rescue (campaign.reports.build.rescue_stale) every 5 s, as beat does
every 60 s. Figures: bench/README.md, "Fault drills".
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import ensure_database, free_port  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/bench_faults"
RESCUE_EVERY = 5


class Rig:
    def __init__(self, db_url: str):
        self.port = free_port()
        self.var = Path(tempfile.mkdtemp(prefix="faults-var-"))
        self.env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "REDIS_URL": f"redis://127.0.0.1:{self.port}/0",
            "VAR_DIR": str(self.var),
            "REPORT_HEARTBEAT_SECONDS": "2",
            "REPORT_STALE_SECONDS": "15",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        self.redis = None
        self.worker = None

    def start_redis(self):
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        time.sleep(0.5)

    def stop_redis(self):
        self.redis.kill()
        self.redis.wait()

    def start_worker(self):
        self.worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                "1",
                "--without-mingle",
                "--without-gossip",
                "-l",
                "WARNING",
                "-f",
                str(self.var / "worker.log"),
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
        )
        time.sleep(3)

    def kill_worker(self):
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait()

    def stop(self):
        for proc in (self.worker, self.redis):
            if proc and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM) if proc is self.worker else proc.kill()


def django_setup(env):
    os.environ.update(env)
    import django

    django.setup()


def reports_for(n: int, first_month: int = 1):
    """n reports, each for a different month of the demo's year, requested as the office."""
    from django.contrib.auth import get_user_model

    from campaign.models import Report
    from campaign.reports import services
    from core import dates

    office = get_user_model().objects.get(username="office")
    year = dates.today().year
    made = []
    for month in range(first_month, first_month + n):
        start, end = dates.month_bounds(year, month)
        Report.objects.filter(period_start=start, period_end=end).update(status="failed")  # earlier runs
        report, _ = services.request_report(office, period_start=start, period_end=end)
        made.append(report.pk)
    return made


def wait_all_done(ids, started, limit=240) -> tuple[float, dict]:
    from campaign.models import Report
    from campaign.reports import services

    last_rescue = 0.0
    while time.monotonic() - started < limit:
        statuses = dict(Report.objects.filter(pk__in=ids).values_list("pk", "status"))
        if all(s == "done" for s in statuses.values()):
            return time.monotonic() - started, statuses
        if time.monotonic() - last_rescue > RESCUE_EVERY:
            services.rescue_stale_reports()
            for pk, status in statuses.items():
                if status == "failed":  # the office clicks 重试
                    services.retry_report(Report.objects.get(pk=pk))
            last_rescue = time.monotonic()
        time.sleep(0.5)
    return float("inf"), dict(Report.objects.filter(pk__in=ids).values_list("pk", "status"))


def orphan_files(media: Path) -> int:
    from campaign.models import Report

    owned = {n for pair in Report.objects.values_list("pdf", "xlsx") for n in pair if n}
    folder = media / "reports"
    files = [p.relative_to(media).as_posix() for p in folder.rglob("*") if p.is_file()] if folder.exists() else []
    return len([f for f in files if f not in owned])


def report(title, ids, seconds, statuses, media):
    lost = [pk for pk, s in statuses.items() if s != "done"]
    print(
        f"{title}: {len(ids)} reports, lost {len(lost)} {lost or ''}, all built {seconds:.1f} s after the fault, "
        f"orphan files {orphan_files(media)}"
    )


def drill_redis(rig, n):
    """Redis dies with the messages in it (no persistence), then comes back."""
    rig.kill_worker()
    ids = reports_for(n, first_month=n + 1)  # queued; their messages now sit in Redis only
    rig.stop_redis()
    started = time.monotonic()
    time.sleep(10)
    rig.start_redis()
    rig.start_worker()
    seconds, statuses = wait_all_done(ids, started)
    report("Redis stopped 10 s and restarted empty", ids, seconds, statuses, rig.var / "media")


def drill_worker(rig, n):
    """The worker is SIGKILLed in the middle of a build."""
    from campaign.models import Report

    ids = reports_for(n)
    deadline = time.monotonic() + 60
    while not Report.objects.filter(pk__in=ids, status__in=Report.RUNNING_STATUSES).exists():
        if time.monotonic() > deadline:
            break
        time.sleep(0.1)
    rig.kill_worker()
    started = time.monotonic()
    rig.start_worker()
    seconds, statuses = wait_all_done(ids, started)
    report("Worker killed mid-build (SIGKILL)", ids, seconds, statuses, rig.var / "media")


def drill_database(rig, n):
    """Every database connection of the worker is killed in the middle of a build."""
    from django.db import connection

    from campaign.models import Report

    ids = reports_for(n, first_month=2 * n + 1)
    deadline = time.monotonic() + 60
    while not Report.objects.filter(pk__in=ids, status__in=Report.RUNNING_STATUSES).exists():
        if time.monotonic() > deadline:
            break
        time.sleep(0.1)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        killed = cursor.fetchone()[0]
    started = time.monotonic()
    seconds, statuses = wait_all_done(ids, started)
    failed_with_reason = Report.objects.filter(pk__in=ids).exclude(error="").count()
    report(f"Database connections killed ({killed})", ids, seconds, statuses, rig.var / "media")
    print(f"  reports whose failure was recorded before the retry: {failed_with_reason} (errors cleared on retry)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=3)
    args = parser.parse_args()
    db_url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    ensure_database(db_url)
    rig = Rig(db_url)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=rig.env, check=True)
    subprocess.run(
        [sys.executable, "manage.py", "seed_demo"], cwd=ROOT, env=rig.env, check=True, stdout=subprocess.DEVNULL
    )
    django_setup(rig.env)
    rig.start_redis()
    rig.start_worker()
    try:
        drill_worker(rig, args.reports)
        drill_redis(rig, args.reports)
        drill_database(rig, args.reports)
    finally:
        rig.stop()


if __name__ == "__main__":
    main()
