"""With no REDIS_URL, a real Celery worker runs tasks over kombu's filesystem transport."""

import os
import subprocess
import sys
import time

from django.conf import settings

SEND = "import django; django.setup(); from config.celery import ping; ping.delay()"


def test_a_real_worker_runs_a_task_without_redis(tmp_path):
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", VAR_DIR=str(tmp_path))
    log = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--without-mingle",
            "--without-gossip",
            "-l",
            "info",
            "-f",
            str(log),
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        subprocess.run([sys.executable, "-c", SEND], cwd=settings.BASE_DIR, env=env, check=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if log.exists() and "succeeded" in log.read_text():
                break
            time.sleep(0.2)
        assert "config.ping" in log.read_text() and "succeeded" in log.read_text()
    finally:
        worker.terminate()
        worker.wait(10)
