"""The daily reminder sweep.

Every rule registered with core.reminders (rectification's deadlines, sign-off and
long-term reports; partybuilding and cadres add theirs the same way) yields Items for
the sweep's day. Rules select by "due − lead ≤ today", never by an exact date, so a day
without a sweep (a holiday, a broker outage) is caught up by the next one.

    run_sweep(day)  1. nothing on a non-working day (core.calendar), only a "skipped" row;
                    2. collect the items of every rule (a failing rule is logged, the rest go on);
                    3. write one ReminderRecord per (person, item, kind, deadline, period) with
                       INSERT … ON CONFLICT DO NOTHING: what already exists was sent before;
                    4. one Digest per person who has new records: at most one digest per sweep;
                    5. deliver each digest (inline, or one Celery task per digest), claiming
                       the inbox and the email with conditional UPDATEs, so a retried or
                       redelivered task sends nothing twice and one bad address blocks nobody.

The number of queries of steps 1–4 does not grow with the number of measures.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cadres.selectors import person_name
from core import calendar, notify
from core import reminders as registry
from core.reminders import COLOURS, GREEN, RED, TODO, YELLOW, Item

from .models import Digest, ReminderRecord, SweepRun

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5
# A digest claimed for sending this long ago by a worker that died is claimed again.
STALE_CLAIM = dt.timedelta(minutes=15)


def _main_leader_user_id(day):
    """The 组长 of the current campaign's leadership group (campaign.selectors.main_leader)."""
    try:
        from .selectors import main_leader
    except ImportError:  # the leadership group feature is not there yet
        return None
    cadre = main_leader(day)
    if cadre is None or not cadre.user_id or not cadre.user.is_active:
        return None
    return cadre.user_id


# Rules in lower apps ask core for the main leader; the campaign's leadership group answers.
registry.provide("main_leader_user_id", _main_leader_user_id)


def _load_rules():
    """Import the apps' rule modules (each app also does so from its AppConfig.ready)."""
    import importlib

    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name in ("core", "campaign") or config.name.startswith("django."):
            continue
        try:
            importlib.import_module(f"{config.name}.reminders")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.reminders":
                raise


def collect(day: dt.date) -> tuple[list[Item], list[str]]:
    """Every rule's items for `day`, without duplicates; and the errors of rules that failed."""
    _load_rules()
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
    day: dt.date | None = None, *, trigger: str = SweepRun.Trigger.SCHEDULE, deliver: str = "inline"
) -> SweepRun:
    """Run the sweep for `day` (today by default) and deliver its digests.

    deliver="inline" sends in this process (the command, tests), "enqueue" hands each digest
    to a Celery task (the scheduled task), "none" only records.
    """
    day = day or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        if not calendar.is_workday(day):
            return SweepRun.objects.create(
                day=day, trigger=trigger, status=SweepRun.Status.SKIPPED, finished_at=timezone.now()
            )
        run = SweepRun.objects.create(day=day, trigger=trigger)
        try:
            items, errors = collect(day)
            _record(run, day, items, errors)
        except Exception:
            SweepRun.objects.filter(pk=run.pk).update(
                status=SweepRun.Status.FAILED, finished_at=timezone.now(), error=traceback.format_exc()[-4000:]
            )
            raise
        run.refresh_from_db()
        ids = list(run.digest_set.order_by("pk").values_list("pk", flat=True)) + undelivered_digest_ids(exclude=run)
        if deliver == "inline":
            for pk in ids:
                try:
                    deliver_digest(pk)
                except Exception:
                    logger.exception("digest %s not delivered; a later sweep retries it", pk)
        elif deliver == "enqueue":
            from .reminder_tasks import enqueue_digest

            for pk in ids:
                enqueue_digest(pk)
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


def undelivered_digest_ids(exclude: SweepRun | None = None) -> list[int]:
    """Digests of recent sweeps whose inbox notice or email is still owed (broker or SMTP
    was down): every sweep tries them again, so nothing is lost."""
    since = timezone.now() - dt.timedelta(days=settings.REMINDER_RETRY_DAYS)
    owed = (
        Q(inbox_sent_at__isnull=True)
        | Q(email_status__in=[Digest.Email.PENDING, Digest.Email.FAILED], email_attempts__lt=MAX_EMAIL_ATTEMPTS)
        | Q(email_status=Digest.Email.SENDING, email_claimed_at__lt=timezone.now() - STALE_CLAIM)
    )
    qs = Digest.objects.filter(owed, created_at__gte=since)
    if exclude is not None:
        qs = qs.exclude(sweep=exclude)
    return list(qs.order_by("pk").values_list("pk", flat=True))


# --- one digest --------------------------------------------------------------------------

SECTION_TITLES = {
    RED: lambda: _("Red warning: overdue"),
    YELLOW: lambda: _("Yellow warning: deadline close"),
    GREEN: lambda: _("Green warning: deadline approaching"),
    TODO: lambda: _("To do"),
}


@dataclass
class Section:
    colour: str
    title: str
    items: list = field(default_factory=list)

    @property
    def shown(self) -> list:
        """What the inbox text and the email list; the digest page lists everything."""
        return self.items[: settings.REMINDER_DIGEST_SECTION_LIMIT]

    @property
    def more(self) -> int:
        return max(0, len(self.items) - settings.REMINDER_DIGEST_SECTION_LIMIT)


def sections_of(records) -> list[Section]:
    """The records grouped by colour, red first."""
    grouped = defaultdict(list)
    for record in records:
        grouped[record.colour if record.colour in COLOURS else TODO].append(record)
    return [Section(c, SECTION_TITLES[c](), grouped[c]) for c in COLOURS if grouped[c]]


def digest_title(sections: list[Section], day: dt.date) -> str:
    counts = _(", ").join(
        _("%(section)s %(count)s") % {"section": SHORT_LABELS[s.colour](), "count": len(s.items)} for s in sections
    )
    return _("Rectification reminders for %(date)s: %(counts)s") % {"date": _long_date(day), "counts": counts}


SHORT_LABELS = {
    RED: lambda: _("red"),
    YELLOW: lambda: _("yellow"),
    GREEN: lambda: _("green"),
    TODO: lambda: _("to do"),
}


def _long_date(day: dt.date) -> str:
    from django.utils.formats import date_format

    return date_format(day, "DATE_FORMAT")


def render_digest(digest: Digest, records) -> dict:
    """The digest's title, inbox text, email subject, plain-text and HTML bodies."""
    sections = sections_of(records)
    title = digest_title(sections, digest.sweep.day)
    page = reverse("campaign:reminder_digest", args=[digest.pk])
    context = {
        "digest": digest,
        "day": digest.sweep.day,
        "title": title,
        "sections": sections,
        "recipient_name": person_name(digest.recipient),
        "page_url": notify.absolute_url(page),
        "settings_url": notify.absolute_url(reverse("core:notification_settings")),
        "site_url": settings.SITE_URL,
        "bureau": settings.BUREAU_NAME,
        "absolute": notify.absolute_url,
    }
    for section in sections:
        for record in section.shown:
            record.absolute_link = notify.absolute_url(record.link)
    return {
        "title": title,
        "link": page,
        "inbox_text": render_to_string("campaign/email/digest_inbox.txt", context).strip(),
        "subject": " ".join(render_to_string("campaign/email/digest_subject.txt", context).split()),
        "text": render_to_string("campaign/email/digest.txt", context),
        "html": render_to_string("campaign/email/digest.html", context),
    }


def digest_records(digest: Digest):
    return ReminderRecord.objects.filter(sweep_id=digest.sweep_id, recipient_id=digest.recipient_id).order_by(
        "deadline", "pk"
    )


def deliver_digest(digest_id: int) -> str:
    """Deliver one digest: its inbox notice exactly once, its email at most once.

    Returns what happened to the email ("sent", "skipped", "failed", "done" when there was
    nothing left to do). Raises on a transient email failure so that the caller (the
    Celery task) retries with backoff; a permanent one (address refused) is recorded.
    """
    digest = Digest.objects.select_related("sweep", "recipient__cadre").get(pk=digest_id)
    with translation.override(settings.LANGUAGE_CODE):
        content = render_digest(digest, list(digest_records(digest)))
    address = notify.email_address(digest.recipient)
    now = timezone.now()
    # One transaction (one commit) claims both: the inbox notice, and the email's send.
    with transaction.atomic():
        # Only one delivery finds inbox_sent_at empty (a concurrent one waits on the row lock,
        # then finds it set); the claim and the notice commit together.
        if digest.inbox_sent_at is None and Digest.objects.filter(pk=digest_id, inbox_sent_at__isnull=True).update(
            inbox_sent_at=now
        ):
            notice = notify.create_notice(digest.recipient_id, content["title"], content["inbox_text"], content["link"])
            Digest.objects.filter(pk=digest_id).update(notice=notice)
        unsent = Q(email_status__in=[Digest.Email.PENDING, Digest.Email.FAILED])
        if not address:
            Digest.objects.filter(unsent, pk=digest_id).update(email_status=Digest.Email.SKIPPED)
            return "skipped"
        claimable = (unsent & Q(email_attempts__lt=MAX_EMAIL_ATTEMPTS)) | Q(
            email_status=Digest.Email.SENDING, email_claimed_at__lt=now - STALE_CLAIM
        )
        claimed = Digest.objects.filter(claimable, pk=digest_id).update(
            email_status=Digest.Email.SENDING, email_claimed_at=now, email_attempts=F("email_attempts") + 1
        )
    if not claimed:
        return "done"
    try:
        notify.send_email(address, content["subject"], content["text"], content["html"])
    except Exception as exc:
        permanent = notify.is_permanent(exc)
        update = {"email_status": Digest.Email.FAILED, "email_error": f"{type(exc).__name__}: {exc}"[:2000]}
        if permanent:
            update["email_attempts"] = MAX_EMAIL_ATTEMPTS
        Digest.objects.filter(pk=digest_id).update(**update)
        logger.warning("reminder email to user %s failed (%s): %s", digest.recipient_id, digest_id, exc)
        if permanent:
            return "failed"
        raise
    Digest.objects.filter(pk=digest_id).update(
        email_status=Digest.Email.SENT, email_sent_at=timezone.now(), email_error=""
    )
    return "sent"


# --- dry run and status -------------------------------------------------------------


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


def last_sweep() -> SweepRun | None:
    return SweepRun.objects.exclude(status=SweepRun.Status.RUNNING).order_by("-started_at", "-id").first()


def sweep_overdue(now: dt.datetime | None = None) -> bool:
    """True when today is a working day, the scheduled time plus grace has passed, and no
    sweep has finished today."""
    now = timezone.localtime(now)
    today = now.date()
    if not calendar.is_workday(today):
        return False
    due = dt.datetime.combine(today, dt.time(settings.REMINDER_HOUR, settings.REMINDER_MINUTE), now.tzinfo)
    if now < due + dt.timedelta(minutes=settings.REMINDER_GRACE_MINUTES):
        return False
    return not SweepRun.objects.filter(day=today, status=SweepRun.Status.DONE).exists()
