"""The daily reminder sweep.

Every rule registered with core.reminders (rectification's deadlines, sign-off and
long-term reports; partybuilding and cadres add theirs the same way, from their
AppConfig.ready) yields Items for the sweep's day. Rules select by "due − lead ≤ today",
never by an exact date, so a day without a sweep (a holiday, a broker outage) is caught
up by the next one.

    run_sweep(day)  1. nothing on a non-working day (core.calendar), only a "skipped" row;
                    2. collect the items of every rule (a failing rule is logged, the rest go on);
                    3. write one ReminderRecord per (person, item, kind, deadline, period) with
                       INSERT … ON CONFLICT DO NOTHING: what already exists was sent before;
                    4. one Digest per person who has new records: at most one digest per sweep;
                    5. deliver each digest (reminders.digests: inline, or one Celery task per
                       digest), claiming the inbox and the email with conditional UPDATEs, so a
                       retried or redelivered task sends nothing twice.

The number of queries of steps 1–4 does not grow with the number of measures.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections import defaultdict
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation

from core import calendar, dates
from core import reminders as registry
from core.reminders import Item

from . import digests, robots
from .models import Digest, ReminderRecord, SweepRun

logger = logging.getLogger(__name__)


def collect(day: dt.date) -> tuple[list[Item], list[str]]:
    """Every rule's items for `day`, without duplicates; and the errors of rules that failed."""
    items: dict[tuple, Item] = {}
    errors = []
    users = set()
    for name, rule in registry.rules().items():
        try:
            for item in rule(day):
                key = (item.recipient_id, item.key, item.kind, item.deadline, item.period(day))
                items.setdefault(key, item)
                users.add(item.recipient_id)
        except Exception as exc:
            logger.exception("reminder rule %s failed", name)
            errors.append(f"{name}: {exc!r}")
    active = set(get_user_model().objects.filter(pk__in=users, is_active=True).values_list("pk", flat=True))
    kept = [item for key, item in sorted(items.items(), key=lambda kv: _sort_key(kv[0])) if key[0] in active]
    return kept, errors


def _sort_key(key):
    recipient, item, kind, deadline, period = key
    return (recipient, item, kind, deadline.isoformat(), period)


# --- the sweep -------------------------------------------------------------------------


def run_sweep(
    day: dt.date | None = None,
    *,
    trigger: str = SweepRun.Trigger.SCHEDULE,
    deliver: Callable[[int], object] | None = digests.deliver_logged,
    post: Callable[[int], object] | None = robots.deliver_logged,
) -> SweepRun:
    """Run the sweep for `day` (today by default) and deliver its digests and robot messages.

    `deliver` is called with each digest's id, `post` with each group-chat robot message's:
    digests.deliver_logged / robots.deliver_logged send in this process (the command, tests),
    tasks.enqueue_digest / tasks.enqueue_robot_message hand them to Celery tasks (the
    scheduled task), None only records.
    """
    day = day or dates.today()
    with translation.override(settings.LANGUAGE_CODE):
        if not calendar.is_workday(day):
            return SweepRun.objects.create(
                day=day, trigger=trigger, status=SweepRun.Status.SKIPPED, finished_at=timezone.now()
            )
        run = SweepRun.objects.create(day=day, trigger=trigger)
        try:
            items, errors = collect(day)
            _record(run, day, items, errors)
            messages = robots.prepare(run)
        except Exception:
            SweepRun.objects.filter(pk=run.pk).update(
                status=SweepRun.Status.FAILED, finished_at=timezone.now(), error=traceback.format_exc()[-4000:]
            )
            raise
        run.refresh_from_db()
        if deliver is not None:
            ids = list(run.digest_set.order_by("pk").values_list("pk", flat=True))
            for pk in ids + digests.undelivered_digest_ids(exclude=run):
                deliver(pk)
        if post is not None:
            for pk in messages + robots.undelivered_message_ids(exclude=run):
                post(pk)
        return run


def _record(run: SweepRun, day: dt.date, items: list[Item], errors: list[str]) -> None:
    """Steps 3 and 4, in one transaction: the records first, then the digests."""
    with transaction.atomic():
        ReminderRecord.objects.bulk_create(
            [
                ReminderRecord(
                    recipient_id=item.recipient_id,
                    item_key=item.key[:100],
                    kind=item.kind[:50],
                    deadline=item.deadline,
                    period=item.period(day),
                    sweep=run,
                    colour=item.colour,
                    text=item.text[:500],
                    link=item.link[:300],
                )
                for item in items
            ],
            ignore_conflicts=True,
        )
        # What this sweep inserted still carries its id; a conflicting row keeps the sweep
        # that sent it first.
        per_person = (
            ReminderRecord.objects.filter(sweep=run)
            .values("recipient_id")
            .annotate(n=Count("pk"))
            .order_by("recipient_id")
        )
        digests = Digest.objects.bulk_create(
            [Digest(sweep=run, recipient_id=row["recipient_id"], items=row["n"]) for row in per_person]
        )
        SweepRun.objects.filter(pk=run.pk).update(
            status=SweepRun.Status.DONE,
            finished_at=timezone.now(),
            items=len(items),
            reminders=sum(d.items for d in digests),
            digests=len(digests),
            error="\n".join(errors)[:4000],
        )


def preview(day: dt.date) -> tuple[dict[int, list[Item]], int, list[str]]:
    """What a sweep on `day` would send, by recipient, without recording anything;
    plus how many items were already sent and the errors of failing rules."""
    with translation.override(settings.LANGUAGE_CODE):
        items, errors = collect(day)
    periods = {item.period(day) for item in items}
    sent = set(
        ReminderRecord.objects.filter(
            period__in=periods, recipient_id__in={item.recipient_id for item in items}
        ).values_list("recipient_id", "item_key", "kind", "deadline", "period")
    )
    by_person: dict[int, list[Item]] = defaultdict(list)
    already = 0
    for item in items:
        if (item.recipient_id, item.key, item.kind, item.deadline, item.period(day)) in sent:
            already += 1
        else:
            by_person[item.recipient_id].append(item)
    return dict(by_person), already, errors
