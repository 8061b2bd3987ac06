"""The reminder sweep through a real Celery worker on Redis (CI always runs it), and the
site with Redis down: pages, progress and sign-off keep working, nothing is lost."""

import datetime as dt
import logging

import pytest
from celery import shared_task
from django.core import mail
from django.core.cache import cache

from campaign.models import Digest, SweepRun
from campaign.reminders.digests import undelivered_digest_ids
from campaign.reminders.sweep import run_sweep
from campaign.reminders.tasks import enqueue_digest, enqueue_sweep, run_reminder_sweep, send_reminder_digest
from config.celery import app
from core.models import Notice
from tests.celery_support import reset_pools, wait_for

from .support import DAY, Ledger

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@shared_task(name="tests.celery_support_smoke")
def _smoke(key):
    cache.set(key, "done", 60)


@pytest.mark.celery
@pytest.mark.usefixtures("celery_live_worker")
def test_the_worker_fixture_runs_a_task():
    _smoke.delay("celery-smoke")
    assert wait_for(lambda: cache.get("celery-smoke") == "done")


@pytest.mark.celery
def test_a_sweep_through_a_real_worker_on_redis(celery_live_worker, org, settings):
    settings.MAIN_LEADER_USERNAME = "other_leader"
    ledger = Ledger(org)
    ledger.measure(DAY - dt.timedelta(days=3))
    ledger.measure(DAY + dt.timedelta(days=15))

    run_reminder_sweep.delay(DAY.isoformat())

    def all_sent():
        return Digest.objects.filter(email_status=Digest.Email.SENT).count() == 4

    assert wait_for(all_sent), list(Digest.objects.values_list("email_status", "email_error"))
    assert SweepRun.objects.get().status == SweepRun.Status.DONE
    assert Notice.objects.filter(recipient=org.users["staff"]).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == [
        "head@bureau.local",
        "leader@bureau.local",
        "other_leader@bureau.local",
        "staff@bureau.local",
    ]
    # A redelivered sweep and a redelivered digest send nothing new.
    digest = Digest.objects.get(recipient=org.users["staff"])
    run_reminder_sweep.delay(DAY.isoformat())
    send_reminder_digest.delay(digest.pk)
    assert wait_for(lambda: SweepRun.objects.filter(status=SweepRun.Status.DONE).count() == 2)
    assert wait_for(lambda: Notice.objects.count() == 4 and len(mail.outbox) == 4)
    assert SweepRun.objects.order_by("-id").first().digests == 0


@pytest.mark.celery
@pytest.mark.usefixtures("celery_live_worker")
def test_catch_up_runs_only_when_today_has_no_sweep(org):
    run_reminder_sweep.delay(DAY.isoformat(), catch_up=True)
    assert wait_for(lambda: SweepRun.objects.filter(day=DAY, status=SweepRun.Status.DONE).count() == 1)
    # A second catch-up the same day finds today's sweep and does nothing.
    assert run_reminder_sweep.apply(args=[DAY.isoformat()], kwargs={"catch_up": True}).get() is None
    assert SweepRun.objects.filter(day=DAY).count() == 1


@pytest.fixture
def redis_down(settings):
    """Redis unreachable: the cache and the Celery broker both point at a closed port."""
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    saved = {k: app.conf.get(k) for k in ("broker_url", "broker_transport_options", "task_always_eager")}
    app.conf.update(
        broker_url=DEAD_REDIS,
        broker_transport_options={"socket_connect_timeout": 1, "socket_timeout": 1},
        task_always_eager=False,
    )
    reset_pools(app)
    yield
    reset_pools(app)
    app.conf.update(saved)


@pytest.mark.usefixtures("redis_down")
def test_with_redis_down_pages_progress_and_signoff_keep_working(client_as, org, caplog):
    from rectification import services, workflow
    from rectification.models import Measure

    ledger = Ledger(org)
    measure = ledger.measure(DAY + dt.timedelta(days=40))
    client = client_as("staff")
    for url in ("/", "/notices/", "/rectification/", measure.get_absolute_url(), "/dashboard/"):
        assert client.get(url).status_code == 200, url
    entry, created = services.add_progress(measure.pk, org.users["staff"], text="已完成制度修订初稿。", date=DAY)
    assert created
    Measure.objects.filter(pk=measure.pk).update(status=Measure.Status.SUBMITTED)
    workflow.leader_approve(measure.pk, org.users["leader"], "同意")
    assert Measure.objects.get(pk=measure.pk).status == Measure.Status.LEADER_APPROVED


@pytest.mark.usefixtures("redis_down")
def test_with_the_broker_down_enqueueing_logs_and_nothing_is_lost(
    org, settings, caplog, django_capture_on_commit_callbacks
):
    settings.MAIN_LEADER_USERNAME = "other_leader"
    Ledger(org).measure(DAY - dt.timedelta(days=3))
    caplog.set_level(logging.WARNING, logger="campaign.reminders.tasks")

    assert enqueue_sweep(DAY) is False
    with django_capture_on_commit_callbacks(execute=True):
        run = run_sweep(DAY, deliver=enqueue_digest)  # as the scheduled task would, while Redis is gone
    assert run.digests == 4 and "broker unavailable" in caplog.text
    assert not Notice.objects.exists()
    assert len(undelivered_digest_ids()) == 4  # owed, not lost

    # The broker is back (here: the next sweep delivers in-process): everything arrives once.
    run_sweep(DAY)
    assert Notice.objects.count() == 4 and len(mail.outbox) == 4
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_digest(run.digest_set.first().pk)  # a late retry still logs, never raises
