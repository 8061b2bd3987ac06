"""Reminder sweep records (the reminders feature).

SweepRun: one run of the daily sweep (the dashboard shows the last one).
ReminderRecord: one reminder for one person, written under a unique constraint BEFORE
anything is sent, so a re-run, a retried task or two overlapping sweeps send nothing new.
Digest: everything one person gets from one sweep, delivered once to the inbox and once
by email; its state columns are claimed with conditional UPDATEs.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["SweepRun", "ReminderRecord", "Digest", "ChatRobot", "RobotMessage"]


class SweepRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        SKIPPED = "skipped", _("skipped (not a working day)")
        FAILED = "failed", _("failed")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("schedule")
        COMMAND = "command", _("command")

    day = models.DateField(_("day"))
    trigger = models.CharField(_("trigger"), max_length=10, choices=Trigger.choices, default=Trigger.SCHEDULE)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    items = models.PositiveIntegerField(_("items found"), default=0)
    reminders = models.PositiveIntegerField(_("new reminders"), default=0)
    digests = models.PositiveIntegerField(_("digests"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["day", "status"])]
        verbose_name = _("reminder sweep")
        verbose_name_plural = _("reminder sweeps")

    def __str__(self):
        return f"{self.day} {self.get_status_display()}"


class Digest(models.Model):
    """One person's reminders from one sweep: one inbox notice, one email."""

    class Email(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        SKIPPED = "skipped", _("not sent (email turned off or no address)")
        FAILED = "failed", _("failed")

    sweep = models.ForeignKey(SweepRun, on_delete=models.CASCADE, related_name="digest_set", verbose_name=_("sweep"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    items = models.PositiveIntegerField(_("items"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    notice = models.ForeignKey(
        "core.Notice", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("notice")
    )
    inbox_sent_at = models.DateTimeField(_("in inbox since"), null=True, blank=True)
    email_status = models.CharField(_("email"), max_length=8, choices=Email.choices, default=Email.PENDING)
    email_attempts = models.PositiveSmallIntegerField(_("email attempts"), default=0)
    email_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    email_sent_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    email_error = models.TextField(_("email error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["sweep", "recipient"], name="digest_once_per_sweep")]
        indexes = [models.Index(fields=["email_status", "created_at"])]
        verbose_name = _("reminder digest")
        verbose_name_plural = _("reminder digests")

    def __str__(self):
        return f"{self.recipient} · {self.sweep.day}"


class ReminderRecord(models.Model):
    """The same (person, item, kind, deadline, period) exists once, and is sent once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    item_key = models.CharField(_("item"), max_length=100)
    kind = models.CharField(_("kind"), max_length=50)
    deadline = models.DateField(_("deadline"))
    # The day (2026-03-30) for daily reminders, the week counted from the deadline (w2)
    # for weekly ones, "once" for one-off ones.
    period = models.CharField(_("period"), max_length=12)
    sweep = models.ForeignKey(SweepRun, on_delete=models.CASCADE, related_name="records", verbose_name=_("sweep"))
    colour = models.CharField(_("colour"), max_length=8)
    text = models.CharField(_("text"), max_length=500)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "item_key", "kind", "deadline", "period"], name="reminder_once_per_period"
            )
        ]
        indexes = [models.Index(fields=["sweep", "recipient"])]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self):
        return f"{self.recipient} {self.kind} {self.item_key} {self.period}"


class ChatRobot(models.Model):
    """A department's group-chat robot (企业微信 or 钉钉), set by the campaign office.

    The bureau-wide robots come from the environment (WECOM_WEBHOOK_URL, DINGTALK_WEBHOOK_URL
    with DINGTALK_SECRET); a department's robot gets only the reminders of its own people."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("WeCom group robot")
        DINGTALK = "dingtalk", _("DingTalk group robot")

    department = models.ForeignKey(
        "cadres.Department", on_delete=models.CASCADE, related_name="chat_robots", verbose_name=_("department")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    webhook_url = models.URLField(_("webhook URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["department__order", "department_id", "id"]
        verbose_name = _("group-chat robot")
        verbose_name_plural = _("group-chat robots")

    def __str__(self):
        return f"{self.department} · {self.get_kind_display()}"


class RobotMessage(models.Model):
    """One sweep's message to one robot, written before it is sent (so it is sent once),
    and claimed with a conditional UPDATE for each attempt."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    sweep = models.ForeignKey(
        SweepRun, on_delete=models.CASCADE, related_name="robot_messages", verbose_name=_("sweep")
    )
    # "env:wecom" / "env:dingtalk" for the bureau's robots, "robot:<pk>" for a department's.
    channel = models.CharField(_("channel"), max_length=40)
    robot = models.ForeignKey(
        ChatRobot, on_delete=models.CASCADE, null=True, blank=True, related_name="messages", verbose_name=_("robot")
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["sweep", "channel"], name="robot_message_once_per_sweep")]
        indexes = [models.Index(fields=["status", "created_at"])]
        verbose_name = _("robot message")
        verbose_name_plural = _("robot messages")

    def __str__(self):
        return f"{self.channel} · {self.sweep.day} · {self.get_status_display()}"
