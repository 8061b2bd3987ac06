"""The static Celery beat schedule (one beat process; times in Asia/Shanghai).

Each app's periodic task is listed here by name so the whole schedule reads in one place.
"""

BEAT_SCHEDULE: dict = {}
