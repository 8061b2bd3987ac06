"""The Celery worker survives a Redis outage (issue 13, item 4): it reconnects for as long as
it takes and then runs the queued work, while a web request that enqueues with Redis down
fails within seconds. A real worker process and a Redis server of the test's own, on a free
port, stopped and started again."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.common import free_port

pytestmark = pytest.mark.celery
ROOT = Path(__file__).resolve().parents[2]
OUTAGE_SECONDS = 12  # the old worker (CELERY_BROKER_CONNECTION_MAX_RETRIES = 2) was gone after ~6 s


def _redis(port: int, tmp_path) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    import redis

    while time.monotonic() < deadline:
        try:
            redis.Redis(port=port, socket_connect_timeout=0.2).ping()
            return server
        except redis.ConnectionError:
            time.sleep(0.1)
    server.kill()
    pytest.fail("redis-server did not start")


def _wait_for(log: Path, text: str, after: int = 0, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and text in log.read_text(errors="replace")[after:]:
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def redis_port(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    return free_port()


def test_the_worker_reconnects_after_redis_comes_back(redis_port, tmp_path):
    url = f"redis://127.0.0.1:{redis_port}/0"
    env = {**os.environ, "REDIS_URL": url, "VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DATABASE_URL", None)
    server = _redis(redis_port, tmp_path)
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
            "--without-heartbeat",
            "-l",
            "INFO",
            "-f",
            str(log),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert _wait_for(log, "ready."), log.read_text()
        server.kill()
        server.wait()
        time.sleep(OUTAGE_SECONDS)
        assert worker.poll() is None, "the worker exited while Redis was away:\n" + log.read_text()[-2000:]

        # Meanwhile a web request that enqueues fails fast instead of hanging.
        start = time.monotonic()
        probe = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; django.setup(); from config.celery import app\n"
                "try:\n    app.send_task('config.ping')\nexcept Exception as e:\n    print('refused', type(e).__name__)",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert "refused" in probe.stdout, probe.stdout + probe.stderr
        assert time.monotonic() - start < 15  # interpreter and Django start included

        seen = len(log.read_text(errors="replace"))
        server = _redis(redis_port, tmp_path)
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; django.setup(); from config.celery import app; app.send_task('config.ping')",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=60,
        )
        assert _wait_for(log, "succeeded", after=seen, timeout=60), log.read_text()[-3000:]
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
        server.kill()
