"""The party-building app: registers its reminder rules with core.reminders.

Branch secretaries keep their branch's organisation on the app's own pages
(/partybuilding/branches/<id>/); the Django admin is for administrators."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartybuildingConfig(AppConfig):
    name = "partybuilding"
    verbose_name = _("Party building")

    def ready(self):
        from . import reminders  # noqa: F401  (registers the reminder rules with the sweep)
