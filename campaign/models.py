"""Django finds the campaign app's models here; each feature defines its own."""

from .group.models import Campaign, GroupMember, Phase
from .reminders.models import Digest, ReminderRecord, SweepRun
from .reports.models import Report, ReportNarrative

__all__ = ["Campaign", "Phase", "GroupMember", "SweepRun", "ReminderRecord", "Digest", "Report", "ReportNarrative"]
