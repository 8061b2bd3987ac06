"""The party-building app: registers its reminder rules with core.reminders and gives the
branch secretary's role the admin permissions on the branch's organisation records."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# The records a secretary keeps in the admin (scoped there to their own branch: admin.py).
SECRETARY_ADMIN = {
    "partygroup": ("view", "add", "change", "delete"),
    "membership": ("view", "add", "change", "delete"),
    "exemption": ("view", "add", "change", "delete"),
}


def grant_secretary_permissions(**kwargs):
    from django.contrib.auth.models import Group, Permission

    from cadres.roles import SECRETARY

    group, _created = Group.objects.get_or_create(name=SECRETARY)
    for model, actions in SECRETARY_ADMIN.items():
        codenames = [f"{action}_{model}" for action in actions]
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="partybuilding", codename__in=codenames)
        )


class PartybuildingConfig(AppConfig):
    name = "partybuilding"
    verbose_name = _("Party building")

    def ready(self):
        from . import reminders  # noqa: F401  (registers the reminder rules with the sweep)

        post_migrate.connect(grant_secretary_permissions, sender=self, dispatch_uid="partybuilding.secretary_perms")
