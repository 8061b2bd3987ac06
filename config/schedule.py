"""The static Celery beat schedule (one beat process; times in Asia/Shanghai).

Each app's periodic task is listed here by name so the whole schedule reads in one place.
"""

from celery.schedules import crontab

from .env import env_int

# The daily reminder sweep: every day at 08:30 (REMINDER_HOUR / REMINDER_MINUTE); the task
# itself does nothing on non-working days. The hourly catch-up runs only when no sweep has
# finished yet today (the broker or worker was down at 08:30), so nothing is lost.
REMINDER_HOUR = env_int("REMINDER_HOUR", 8)
REMINDER_MINUTE = env_int("REMINDER_MINUTE", 30)

BEAT_SCHEDULE: dict = {
    "reminder-sweep": {
        "task": "campaign.run_reminder_sweep",
        "schedule": crontab(hour=REMINDER_HOUR, minute=REMINDER_MINUTE),
    },
}
# The monthly report (campaign.report_tasks): checked daily at 07:00; on the first working
# day of a month (core.calendar) it queues the previous month's report, once.
BEAT_SCHEDULE["monthly-report"] = {"task": "campaign.monthly_report", "schedule": crontab(hour=7, minute=0)}
if REMINDER_HOUR < 23:
    BEAT_SCHEDULE["reminder-sweep-catch-up"] = {
        "task": "campaign.run_reminder_sweep",
        "schedule": crontab(hour=f"{REMINDER_HOUR + 1}-{max(REMINDER_HOUR + 1, 20)}", minute=REMINDER_MINUTE),
        "kwargs": {"catch_up": True},
    }
