"""The static Celery beat schedule (one beat process; times in Asia/Shanghai).

Each app's periodic task is listed here by name so the whole schedule reads in one place;
config/settings.py builds it from REMINDER_HOUR and REMINDER_MINUTE.
"""

from celery.schedules import crontab


def beat_schedule(reminder_hour: int, reminder_minute: int) -> dict:
    schedule = {
        # The daily reminder sweep (campaign.reminders.tasks): every day at 08:30; the task
        # itself does nothing on non-working days.
        "reminder-sweep": {
            "task": "campaign.run_reminder_sweep",
            "schedule": crontab(hour=reminder_hour, minute=reminder_minute),
        },
        # The monthly report (campaign.reports.tasks): checked daily at 07:00; on the first
        # working day of a month (core.calendar) it queues the previous month's report, once.
        "monthly-report": {"task": "campaign.monthly_report", "schedule": crontab(hour=7, minute=0)},
        # Reports whose queue message or worker was lost are requeued within minutes
        # (campaign.reports.build.rescue_stale: no heartbeat for REPORT_STALE_SECONDS).
        "rescue-reports": {"task": "campaign.rescue_reports", "schedule": 60.0},
    }
    if reminder_hour < 23:
        # The hourly catch-up runs only when no sweep has finished yet today (the broker or
        # the worker was down at 08:30), so nothing is lost.
        schedule["reminder-sweep-catch-up"] = {
            "task": "campaign.run_reminder_sweep",
            "schedule": crontab(hour=f"{reminder_hour + 1}-{max(reminder_hour + 1, 20)}", minute=reminder_minute),
            "kwargs": {"catch_up": True},
        }
    return schedule
