# Celery discovers tasks in this module; each feature keeps its tasks in its own module.
from .reminder_tasks import *  # noqa: F401,F403
from .report_tasks import *  # noqa: F401,F403
