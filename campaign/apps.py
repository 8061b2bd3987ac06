from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignConfig(AppConfig):
    name = "campaign"
    verbose_name = _("Campaign")

    def ready(self):
        from core import reminders

        from . import tasks  # noqa: F401  (registers the Celery tasks: reports.services.enqueue finds them by name)
        from .dashboard import signals
        from .group.selectors import main_leader_user_id
        from .reports import checks

        checks.register()  # the report PDF's CJK fonts and HarfBuzz subsetting
        # Lower apps' reminder rules escalate red warnings to the 组长, whom only the group knows.
        reminders.provide("main_leader_user_id", main_leader_user_id)
        signals.connect()  # every write that changes a figure clears the dashboard's cache
