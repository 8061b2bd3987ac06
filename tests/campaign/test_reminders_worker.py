"""The reminder sweep through a real Celery worker on Redis (CI always runs it)."""

import pytest
from celery import shared_task
from django.core.cache import cache

from tests.celery_support import celery_live_worker, wait_for  # noqa: F401


@shared_task(name="tests.celery_support_smoke")
def _smoke(key):
    cache.set(key, "done", 60)


@pytest.mark.celery
@pytest.mark.usefixtures("celery_live_worker")
def test_the_worker_fixture_runs_a_task():
    _smoke.delay("celery-smoke")
    assert wait_for(lambda: cache.get("celery-smoke") == "done")
