"""The day's reminders in the group chats: one short markdown message per robot per sweep.

The bureau's robots (WECOM_WEBHOOK_URL; DINGTALK_WEBHOOK_URL with DINGTALK_SECRET) get a
summary of every reminder the sweep sent; a department's robot (ChatRobot, set by the
office on /reminders/robots/) only the reminders of that department's own people.

Like a digest, a message is a row (RobotMessage) written once per sweep and channel under a
unique constraint before anything is sent, then claimed with a conditional UPDATE for each
attempt: a re-run sweep or a redelivered task sends nothing twice, and a failed message is
retried by the next sweeps (REMINDER_RETRY_DAYS) and shown to the office until it goes out.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import notices, robots
from core.reminders import COLOURS, TODO

from .digests import SECTION_TITLES
from .models import ChatRobot, ReminderRecord, RobotMessage, SweepRun

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
STALE_CLAIM = dt.timedelta(minutes=10)
ENV_WECOM, ENV_DINGTALK = "env:wecom", "env:dingtalk"


def channels() -> list[tuple[str, ChatRobot | None]]:
    """(channel, department robot or None for the bureau's) of every robot configured now."""
    found = []
    if settings.WECOM_WEBHOOK_URL:
        found.append((ENV_WECOM, None))
    if settings.DINGTALK_WEBHOOK_URL:
        found.append((ENV_DINGTALK, None))
    found += [(f"robot:{robot.pk}", robot) for robot in ChatRobot.objects.filter(active=True)]
    return found


def robot_for(channel: str) -> robots.Robot | None:
    """The robot a channel names today (None when it was removed or switched off)."""
    if channel == ENV_WECOM and settings.WECOM_WEBHOOK_URL:
        return robots.Robot(robots.WECOM, settings.WECOM_WEBHOOK_URL)
    if channel == ENV_DINGTALK and settings.DINGTALK_WEBHOOK_URL:
        return robots.Robot(robots.DINGTALK, settings.DINGTALK_WEBHOOK_URL, settings.DINGTALK_SECRET)
    if channel.startswith("robot:"):
        robot = ChatRobot.objects.filter(pk=channel.split(":", 1)[1], active=True).first()
        if robot is not None:
            return robots.Robot(robot.kind, robot.webhook_url, robot.secret)
    return None


def prepare(run: SweepRun) -> list[int]:
    """Write this sweep's message for each robot that has something to say; their ids."""
    configured = channels()
    if not configured:
        return []
    rows = list(
        ReminderRecord.objects.filter(sweep=run)
        .order_by("deadline", "pk")
        .values("colour", "text", "link", department=F("recipient__cadre__department_id"))
    )
    messages = []
    for channel, robot in configured:
        mine = [r for r in rows if robot is None or r["department"] == robot.department_id]
        if mine:
            title, text = compose(run.day, mine, robot)
            messages.append(RobotMessage(sweep=run, channel=channel, robot=robot, title=title, text=text))
    RobotMessage.objects.bulk_create(messages, ignore_conflicts=True)
    return list(RobotMessage.objects.filter(sweep=run).order_by("pk").values_list("pk", flat=True))


def compose(day: dt.date, rows: list[dict], robot: ChatRobot | None) -> tuple[str, str]:
    """A title and a markdown text of at most 4,096 bytes: counts by warning colour, then
    each reminder once (the same measure reminds several people) with its link."""
    title = _("Rectification reminders for %(date)s") % {"date": date_format(day, "DATE_FORMAT")}
    where = robot.department.name if robot is not None else settings.BUREAU_NAME
    lines = [f"### {where} · {title}"]
    by_colour: dict[str, dict[tuple, dict]] = {colour: {} for colour in COLOURS}
    for row in rows:
        colour = row["colour"] if row["colour"] in COLOURS else TODO
        by_colour[colour].setdefault((row["text"], row["link"]), row)
    for colour in COLOURS:
        unique = list(by_colour[colour].values())
        if not unique:
            continue
        lines.append(f"**{SECTION_TITLES[colour]()}** ({len(unique)})")
        for row in unique:
            text = row["text"].replace("[", "(").replace("]", ")")
            lines.append(f"- [{text}]({notices.absolute_url(row['link'])})" if row["link"] else f"- {text}")
    footer = f"\n[{_('Open the dashboard')}]({notices.absolute_url(reverse('campaign:dashboard'))})"
    return title, robots.fit(lines, more=_more, limit=robots.MAX_BYTES - len(footer.encode())) + footer


def _more(n: int) -> str:
    return _("… and %(n)s more on the dashboard") % {"n": n}


def undelivered_message_ids(exclude: SweepRun | None = None) -> list[int]:
    """Messages of recent sweeps still owed (the robot or the network failed)."""
    since = timezone.now() - dt.timedelta(days=settings.REMINDER_RETRY_DAYS)
    owed = Q(status__in=[RobotMessage.Status.PENDING, RobotMessage.Status.FAILED], attempts__lt=MAX_ATTEMPTS) | Q(
        status=RobotMessage.Status.SENDING, claimed_at__lt=timezone.now() - STALE_CLAIM
    )
    qs = RobotMessage.objects.filter(owed, created_at__gte=since)
    if exclude is not None:
        qs = qs.exclude(sweep=exclude)
    return list(qs.order_by("pk").values_list("pk", flat=True))


def deliver(message_id: int) -> str:
    """Send one message once: "sent", "done" (nothing left to do); raises RobotError after
    recording a failure, so that a Celery task retries with backoff."""
    now = timezone.now()
    claimable = Q(status__in=[RobotMessage.Status.PENDING, RobotMessage.Status.FAILED], attempts__lt=MAX_ATTEMPTS) | Q(
        status=RobotMessage.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    claimed = RobotMessage.objects.filter(claimable, pk=message_id).update(
        status=RobotMessage.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return "done"
    message = RobotMessage.objects.get(pk=message_id)
    robot = robot_for(message.channel)
    try:
        if robot is None:
            raise robots.RobotError(_("This robot is no longer configured."))
        robots.post(robot, message.title, message.text)
    except robots.RobotError as exc:
        RobotMessage.objects.filter(pk=message_id).update(status=RobotMessage.Status.FAILED, error=str(exc)[:2000])
        raise
    RobotMessage.objects.filter(pk=message_id).update(status=RobotMessage.Status.SENT, sent_at=timezone.now(), error="")
    return "sent"


def deliver_logged(message_id: int) -> None:
    """Deliver in this process; a failure is logged, recorded, and retried by a later sweep."""
    try:
        deliver(message_id)
    except robots.RobotError as exc:
        logger.warning("robot message %s not sent; a later sweep retries it: %s", message_id, exc)
