"""One person's digest from one sweep: what it says (sections by warning colour, the
inbox text, the email) and its delivery, the inbox notice exactly once and the email at
most once, each claimed with a conditional UPDATE so a redelivered task sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cadres.selectors import person_name
from core import notices
from core.reminders import COLOURS, GREEN, RED, TODO, YELLOW
from rectification.statuses import WARNING_PALETTE

from .models import Digest, ReminderRecord, SweepRun

logger = logging.getLogger(__name__)

# Things to do that carry no warning colour: the app's accent.
TODO_COLOURS = ("#1f4e8c", "#ffffff")

MAX_EMAIL_ATTEMPTS = 5
# A digest claimed for sending this long ago by a worker that died is claimed again.
STALE_CLAIM = dt.timedelta(minutes=15)


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

    @property
    def style(self) -> str:
        """The heading's inline colours in the email (mail clients ignore stylesheets)."""
        background, text = WARNING_PALETTE.get(self.colour, TODO_COLOURS)
        return f"background:{background};color:{text};"


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
        "page_url": notices.absolute_url(page),
        "settings_url": notices.absolute_url(reverse("core:notification_settings")),
        "site_url": settings.SITE_URL,
        "bureau": settings.BUREAU_NAME,
        "absolute": notices.absolute_url,
    }
    for section in sections:
        for record in section.shown:
            record.absolute_link = notices.absolute_url(record.link)
    return {
        "title": title,
        "link": page,
        "inbox_text": render_to_string("campaign/reminders/email/digest_inbox.txt", context).strip(),
        "subject": " ".join(render_to_string("campaign/reminders/email/digest_subject.txt", context).split()),
        "text": render_to_string("campaign/reminders/email/digest.txt", context),
        "html": render_to_string("campaign/reminders/email/digest.html", context),
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
    address = notices.email_address(digest.recipient)
    now = timezone.now()
    # One transaction (one commit) claims both: the inbox notice, and the email's send.
    with transaction.atomic():
        # Only one delivery finds inbox_sent_at empty (a concurrent one waits on the row lock,
        # then finds it set); the claim and the notice commit together.
        if digest.inbox_sent_at is None and Digest.objects.filter(pk=digest_id, inbox_sent_at__isnull=True).update(
            inbox_sent_at=now
        ):
            notice = notices.create_notice(
                digest.recipient_id, content["title"], content["inbox_text"], content["link"]
            )
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
        notices.send_email(address, content["subject"], content["text"], content["html"])
    except Exception as exc:
        permanent = notices.is_permanent(exc)
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


def deliver_logged(digest_id: int) -> None:
    """Deliver in this process; a failure is logged and a later sweep retries the digest."""
    try:
        deliver_digest(digest_id)
    except Exception:
        logger.exception("digest %s not delivered; a later sweep retries it", digest_id)
