"""Delivery of a message to one person: the in-app inbox (Notice) and, unless the person
turned it off, an email through Django's email backend (console in development, SMTP
from the environment in production), with a plain-text body and an HTML alternative.

Callers that must deliver exactly once (the reminder sweep) claim the delivery on their
own row first and call `create_notice` / `send_email` separately; `deliver` is the
one-call form for everything else; `create_notices` puts one inbox notice in the
inbox of each of several people (the next reviewers of a sign-off), without email.
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection

from .models import Notice, NotificationPreference

logger = logging.getLogger(__name__)


def email_enabled(user) -> bool:
    """Whether `user` gets email copies: an active account with an address that has not opted out."""
    return bool(email_address(user))


def email_addresses(user_ids) -> dict[int, str]:
    """{user id: address} for those of `user_ids` who get email copies (one query for any number)."""
    users = (
        get_user_model()
        .objects.filter(pk__in=set(user_ids), is_active=True)
        .exclude(email="")
        .exclude(notification_preference__email_enabled=False)
    )
    return dict(users.values_list("pk", "email"))


def email_address(user) -> str:
    """The address `user` gets email copies at, or "" (inactive, no address, opted out). One query."""
    if not (user.is_active and user.email):
        return ""
    return "" if NotificationPreference.objects.filter(user=user, email_enabled=False).exists() else user.email


def set_email_enabled(user, enabled: bool) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.update_or_create(user=user, defaults={"email_enabled": enabled})
    return preference


def absolute_url(link: str) -> str:
    """A site-relative link made absolute for email (SITE_URL), unchanged when already absolute."""
    if not link or "://" in link:
        return link
    return settings.SITE_URL.rstrip("/") + "/" + link.lstrip("/")


def create_notice(recipient_id: int, title: str, text: str = "", link: str = "") -> Notice:
    return Notice.objects.create(recipient_id=recipient_id, title=title[:200], text=text, link=link[:500])


def create_notices(recipients, title: str, text: str = "", link: str = "", exclude=None) -> list[Notice]:
    """One inbox notice to each active user of `recipients` (None entries, repeats and
    `exclude`, the person who acted, are skipped), in one query."""
    seen = {exclude.pk} if exclude is not None else set()
    rows = []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(Notice(recipient=user, title=title[:200], text=text, link=link[:500]))
    return Notice.objects.bulk_create(rows)


def send_email(to: str, subject: str, text: str, html: str | None = None, connection=None) -> None:
    """Send one email now; raises what the backend raises (see `is_permanent`)."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        connection=connection or get_connection(fail_silently=False),
        headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"},
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send(fail_silently=False)


def is_permanent(exc: BaseException) -> bool:
    """True for failures a retry cannot fix: the server refused the address or the message (5xx)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return True
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600
    return False


def deliver(user, title: str, text: str, html: str | None = None, link: str = "", email: bool = True) -> Notice:
    """Put a notice in `user`'s inbox and, if they get email copies, email it (errors are logged)."""
    notice = create_notice(user.pk, title, text, link)
    if email and email_enabled(user):
        try:
            send_email(user.email, title, text, html)
        except Exception:
            logger.exception("email to user %s failed", user.pk)
    return notice
