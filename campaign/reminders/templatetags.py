"""{% load reminders %}{% sweep_status %}: the sweep's status line on the dashboard.

Registered as the template library "reminders" in settings.TEMPLATES (a feature package
has no templatetags/ folder of its own)."""

import datetime as dt

from django import template
from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from .models import Digest, RobotMessage, SweepRun
from .status import last_sweep, sweep_overdue

register = template.Library()


@register.inclusion_tag("campaign/reminders/sweep_status.html")
def sweep_status():
    """When the last reminder sweep ran and how many digests it sent; a warning when today's
    sweep has not run by REMINDER_HOUR:MINUTE plus the grace period on a working day, or
    when the last one failed, and robot messages still failing. Five small queries."""
    last = SweepRun.objects.filter(status=SweepRun.Status.DONE).order_by("-finished_at", "-id").first()
    latest = last_sweep()
    sent, failed_emails = 0, 0
    if last is not None:
        # A re-run sends only what is new: count every digest of that day, not just the last run's.
        counts = Digest.objects.filter(sweep__day=last.day).aggregate(
            sent=Count("pk"), failed=Count("pk", filter=Q(email_status=Digest.Email.FAILED))
        )
        sent, failed_emails = counts["sent"], counts["failed"]
    since = timezone.now() - dt.timedelta(days=settings.REMINDER_RETRY_DAYS)
    return {
        "robots_failed": RobotMessage.objects.filter(status=RobotMessage.Status.FAILED, created_at__gte=since).count(),
        "last": last,
        "sent": sent,
        "failed": latest if latest is not None and latest.status == SweepRun.Status.FAILED else None,
        "overdue": sweep_overdue(),
        "failed_emails": failed_emails,
        "scheduled": f"{settings.REMINDER_HOUR:02d}:{settings.REMINDER_MINUTE:02d}",
    }
