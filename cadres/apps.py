from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "cadres"
    verbose_name = _("Organisation and cadres")

    def ready(self):
        from . import reminders  # noqa: F401  (registers the cadres rules with core.reminders)
        from .roles import ensure_role_groups

        # The roles exist in every installation, not only in the demo.
        post_migrate.connect(ensure_role_groups, dispatch_uid="cadres.ensure_role_groups")
