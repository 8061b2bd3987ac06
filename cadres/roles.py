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
    "partybuilding": {OFFICE, ADMIN},
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
