"""A real Celery worker on Redis for integration tests.

Loaded as a plugin by tests/conftest.py, so the fixture is everywhere:

    from tests.celery_support import wait_for

    @pytest.mark.celery
    def test_something(celery_live_worker):
        my_task.delay(pk)
        assert wait_for(lambda: Thing.objects.get(pk=pk).done)

The fixture starts `celery.contrib.testing.worker.start_worker` in a thread of the test
process, with the project's Celery app pointed at the real Redis broker of REDIS_URL and
a queue of its own (so two test runs on one Redis never take each other's tasks). It uses
`transactional_db`: the worker thread has its own database connection and sees only
committed rows. Locally it skips when REDIS_URL is unset; in CI (CI=true) REDIS_URL is
always set and a missing or unreachable Redis fails the test instead.
"""

import os
import time
import uuid

import pytest

IN_CI = os.environ.get("CI") == "true"


def _redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        if IN_CI:
            pytest.fail("REDIS_URL must be set in CI: the Celery worker tests run on Redis")
        pytest.skip("REDIS_URL is not set: the Celery worker tests need Redis")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means no broker
        if IN_CI:
            pytest.fail(f"Redis at {url} is not reachable in CI: {exc}")
        pytest.skip(f"Redis at {url} is not reachable: {exc}")
    return url


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.05):
    """Poll `predicate` until it returns something truthy (returned) or `timeout` passes (None)."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            return None
        time.sleep(interval)


def reset_pools(app):
    """Forget every broker connection: the app's pool and kombu's global producer pools,
    which are keyed by broker URL and would otherwise hand out a closed pool."""
    from kombu import pools

    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    pools.reset()


@pytest.fixture
def celery_live_worker(transactional_db, settings):
    """A running Celery worker (solo pool, one thread) consuming from Redis; yields the app."""
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun
    from django.db import connections

    from config.celery import app

    url = _redis_url()
    queue = f"test-{uuid.uuid4().hex[:12]}"
    keys = (
        "broker_url",
        "broker_transport_options",
        "task_always_eager",
        "task_default_queue",
        "result_backend",
        "broker_connection_retry_on_startup",
    )
    saved = {key: app.conf.get(key) for key in keys}
    app.conf.update(
        broker_url=url,
        broker_transport_options={"visibility_timeout": 3600, "socket_connect_timeout": 2, "socket_timeout": 5},
        task_always_eager=False,
        task_default_queue=queue,
        result_backend=None,
        broker_connection_retry_on_startup=False,
    )
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def _close_connections(**kwargs):
        # The worker thread keeps its own connections; close them after every task so
        # the test database can be flushed and dropped.
        connections.close_all()

    task_postrun.connect(_close_connections, weak=False)
    # Fresh connection pools: a pool made for another broker must not be reused.
    reset_pools(app)
    try:
        with start_worker(
            app,
            pool="solo",
            concurrency=1,
            queues=[queue],
            perform_ping_check=False,
            loglevel="WARNING",
            shutdown_timeout=15,
            without_heartbeat=True,
        ):
            yield app
    finally:
        task_postrun.disconnect(_close_connections)
        reset_pools(app)
        app.conf.update(saved)
        try:
            import redis

            redis.Redis.from_url(url).delete(queue)
        except Exception:  # noqa: BLE001 - cleanup only
            pass
