"""Celery's autodiscovery imports this module; each feature keeps its tasks in its own package.

Task names are explicit ("campaign.build_report", …) and did not change when the modules moved,
so messages queued before an upgrade still run.
"""

from .reminders.tasks import run_reminder_sweep, send_reminder_digest, send_robot_message
from .reports.tasks import build_report, monthly_report

__all__ = ["run_reminder_sweep", "send_reminder_digest", "send_robot_message", "build_report", "monthly_report"]
