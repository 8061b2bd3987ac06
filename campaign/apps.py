from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignConfig(AppConfig):
    name = "campaign"
    verbose_name = _("Campaign")

    def ready(self):
        from . import (
            checks,  # noqa: F401  (system checks: the report PDF's CJK fonts and HarfBuzz)
            signals,
        )

        signals.connect()
