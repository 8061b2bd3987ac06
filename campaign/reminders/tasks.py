"""Celery tasks of the reminder sweep: thin wrappers over reminders.sweep and reminders.digests.

Both tasks are idempotent (records under a unique constraint, deliveries claimed with
conditional UPDATEs), so they run with acks_late: a message redelivered after a worker
died sends nothing twice. Arguments are JSON: an ISO date, primary keys.
"""

import datetime as dt
import logging
import smtplib

from celery import shared_task
from django.db import OperationalError as DatabaseError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core import dates
from core.robots import RobotError

from . import robots
from .digests import deliver_digest
from .models import SweepRun
from .sweep import run_sweep

logger = logging.getLogger(__name__)

_REDIS_ERRORS = (RedisConnectionError, RedisTimeoutError)

# What enqueuing raises when the broker is unreachable: callers log it and carry on.
BROKER_ERRORS = (BrokerError, ConnectionError, TimeoutError, OSError, *_REDIS_ERRORS)
# What delivering an email raises when the mail server or the network misbehaves.
EMAIL_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)


@shared_task(
    name="campaign.run_reminder_sweep",
    acks_late=True,
    autoretry_for=(BrokerError, DatabaseError, *_REDIS_ERRORS),
    retry_backoff=60,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=5,
)
def run_reminder_sweep(day: str | None = None, catch_up: bool = False):
    """The daily sweep (beat, 08:30 every day; it does nothing on non-working days).

    catch_up=True (the hourly beat entry) runs only when no sweep has finished (or is running)
    today, for when the broker or the worker was down at 08:30. Returns the SweepRun id.
    """
    on = dt.date.fromisoformat(day) if day else dates.today()
    if catch_up:
        finished = Q(status__in=[SweepRun.Status.DONE, SweepRun.Status.SKIPPED])
        running = Q(status=SweepRun.Status.RUNNING, started_at__gte=timezone.now() - dt.timedelta(hours=1))
        if SweepRun.objects.filter(finished | running, day=on).exists():
            return None
    run = run_sweep(on, trigger=SweepRun.Trigger.SCHEDULE, deliver=enqueue_digest, post=enqueue_robot_message)
    return run.pk


@shared_task(
    name="campaign.send_reminder_digest",
    acks_late=True,
    autoretry_for=EMAIL_ERRORS + (DatabaseError,),
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=5,
)
def send_reminder_digest(digest_id: int):
    """Deliver one person's digest: inbox once, email at most once (retried with backoff on
    SMTP errors; an address the server refuses is recorded, not retried)."""
    return deliver_digest(digest_id)


@shared_task(
    name="campaign.send_robot_message",
    acks_late=True,
    autoretry_for=(RobotError, DatabaseError),
    retry_backoff=60,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=4,
)
def send_robot_message(message_id: int):
    """Post one group-chat robot message, once (retried with backoff while the robot fails)."""
    return robots.deliver(message_id)


def enqueue_robot_message(message_id: int) -> None:
    """Like enqueue_digest: after commit, and with the broker down the next sweep retries it."""

    def _send():
        try:
            send_robot_message.delay(message_id)
        except BROKER_ERRORS as exc:
            logger.warning("broker unavailable, robot message %s left for the next sweep: %s", message_id, exc)

    transaction.on_commit(_send)


def enqueue_digest(digest_id: int) -> None:
    """Send the digest through the worker once the current transaction commits. With the
    broker down this logs and returns: the digest stays owed and the next sweep retries it."""

    def _send():
        try:
            send_reminder_digest.delay(digest_id)
        except BROKER_ERRORS as exc:
            logger.warning("broker unavailable, digest %s left for the next sweep: %s", digest_id, exc)

    transaction.on_commit(_send)


def enqueue_sweep(day: dt.date | None = None) -> bool:
    """Ask the worker to run the sweep (for a button or a hook); False when the broker is down."""
    try:
        run_reminder_sweep.delay(day.isoformat() if day else None)
    except BROKER_ERRORS as exc:
        logger.warning("broker unavailable, reminder sweep not enqueued: %s", exc)
        return False
    return True
