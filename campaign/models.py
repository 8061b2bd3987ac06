"""Django finds the campaign app's models here; each feature defines its own."""

from .group.models import Campaign, GroupMember, Phase
from .reminders.models import ChatRobot, Digest, ReminderRecord, RobotMessage, SweepRun
from .reports.models import Report, ReportNarrative

__all__ = [
    "Campaign",
    "Phase",
    "GroupMember",
    "SweepRun",
    "ReminderRecord",
    "Digest",
    "ChatRobot",
    "RobotMessage",
    "Report",
    "ReportNarrative",
]
