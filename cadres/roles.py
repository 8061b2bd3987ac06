"""Roles are Django groups. The group names are the bureau's own words."""

from django.utils.translation import gettext_lazy as _

OFFICE = "领导小组办公室"
LEADER = "局领导"
HEAD = "科室负责人"
STAFF = "科室干部"
SECRETARY = "支部书记"
HR = "组织人事科"
ADMIN = "系统管理员"

ALL_ROLES = [OFFICE, LEADER, HEAD, STAFF, SECRETARY, HR, ADMIN]

ROLE_LABELS = {
    OFFICE: _("Campaign office"),
    LEADER: _("Bureau leader"),
    HEAD: _("Department head"),
    STAFF: _("Staff"),
    SECRETARY: _("Branch secretary"),
    HR: _("Personnel section"),
    ADMIN: _("System administrator"),
}

# Per area, the roles that see every department's records.
SEE_ALL = {
    "cadres": {OFFICE, HR, ADMIN},
    "rectification": {OFFICE, ADMIN},
    "partybuilding": {OFFICE, ADMIN, LEADER},  # leaders see every branch (issue 10)
    "campaign": {OFFICE, ADMIN},
}


def user_roles(user) -> frozenset[str]:
    """The user's role names, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached = cached | {ADMIN}
        user._role_names = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def is_office(user) -> bool:
    """The campaign office's powers: the office itself, system administrators, superusers."""
    return bool(getattr(user, "is_authenticated", False)) and (user.is_superuser or has_role(user, OFFICE, ADMIN))


def office_users():
    """The active accounts of the campaign office: who is told about imports, reports, sign-offs."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True, groups__name=OFFICE).order_by("pk").distinct()


# Django-admin permissions each role's group carries, as "app_label.model" -> actions.
# The admin is for administrators only (config.admin_site): every other role keeps its
# records in the app's own pages, which apply the same scoping as everywhere else.
ADMIN_PERMISSIONS = {
    ADMIN: {
        "auth.user": ("view", "add", "change"),
        "cadres.department": ("view", "add", "change"),
        "cadres.cadre": ("view", "add", "change"),
        "cadres.post": ("view", "add", "change", "delete"),
        "cadres.postrisk": ("view", "add", "change", "delete"),
        "partybuilding.branch": ("view", "add", "change"),
        "core.calendaryear": ("view", "add", "change", "delete"),
        "core.calendarday": ("view", "add", "change", "delete"),
    },
}


def ensure_role_groups(**kwargs):
    """Create the role groups and give them their admin permissions (after every migrate)."""
    from django.contrib.auth.models import Group, Permission

    for name in ALL_ROLES:
        group, _created = Group.objects.get_or_create(name=name)
        for model, actions in ADMIN_PERMISSIONS.get(name, {}).items():
            app_label, model_name = model.split(".")
            codenames = [f"{action}_{model_name}" for action in actions]
            group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
