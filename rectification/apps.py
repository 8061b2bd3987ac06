"""The rectification app: registers the ledger's reminder rules with core.reminders when Django starts."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "rectification"
    verbose_name = _("Rectification")

    def ready(self):
        from . import reminders  # noqa: F401  (registers the ledger's rules with the reminder sweep)
        from .signals import connect_filter_choices

        connect_filter_choices()
