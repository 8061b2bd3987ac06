"""What every page's shell needs: the bureau, the navigation for this user, unread notices.

The shell runs on every page, so it is kept cheap: one query reads the user's roles (priming cadres.roles.user_roles), the
name of their cadre and their unread notices together (always fresh, so nothing to
invalidate), and the navigation is built once per process for each set of roles (its
URLs never change while the process runs).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre
from cadres.roles import ADMIN, OFFICE, user_roles
from core.models import Notice

from .admin_site import is_administrator

# (label, url name, icon, roles that see it; None = everyone).
NAVIGATION = [
    (_("Home"), "home", "house", None),
    (_("Dashboard"), "campaign:dashboard", "speedometer2", None),
    (_("Rectification"), "rectification:ledger", "list-check", None),
    (_("Party building"), "partybuilding:home", "flag", None),
    (_("Organisation"), "cadres:cadre_list", "people", None),
    (_("Leadership group"), "campaign:group", "diagram-3", None),
    (_("Reports"), "campaign:reports", "file-earmark-text", {OFFICE, ADMIN}),
    (_("Group-chat robots"), "campaign:robots", "robot", {OFFICE, ADMIN}),
    (_("Administration"), "admin:index", "gear", {ADMIN}),
]

# Built navigations per (roles, superuser, administrator, language, script prefix): a
# handful at most. Labels are translated once here, not as lazy strings on every page.
_NAVIGATIONS: dict[tuple, tuple] = {}


def navigation_for(user):
    roles = user_roles(user)
    key = (roles, user.is_superuser, is_administrator(user), get_language(), get_script_prefix())
    items = _NAVIGATIONS.get(key)
    if items is None:
        items = _NAVIGATIONS[key] = tuple(_build_navigation(*key[:3]))
    return list(items)


def _build_navigation(roles, superuser: bool, administrator: bool):
    for label, name, icon, allowed in NAVIGATION:
        if allowed is not None and not (roles & allowed or superuser):
            continue
        if name == "admin:index" and not administrator:
            continue
        yield {"label": str(label), "url": reverse(name), "icon": icon, "name": name}


def _shell_row(user) -> tuple[frozenset[str], str | None, int]:
    """The user's group names, cadre name and number of unread notices, in one round trip.

    Plain SQL: the ORM's compilation of the same three subqueries costs more than the
    query itself, on every page."""
    User = get_user_model()
    groups, memberships = Group._meta.db_table, User.groups.through._meta.db_table
    sql = (
        f"SELECT 'g', g.name FROM {groups} g JOIN {memberships} m ON m.group_id = g.id WHERE m.user_id = %s "
        f"UNION ALL SELECT 'c', name FROM {Cadre._meta.db_table} WHERE user_id = %s "
        f"UNION ALL SELECT 'n', CAST(COUNT(*) AS varchar(20)) FROM {Notice._meta.db_table} "
        "WHERE recipient_id = %s AND NOT read"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk] * 3)
        rows = cursor.fetchall()
    names = frozenset(value for kind, value in rows if kind == "g")
    cadre_name = next((value for kind, value in rows if kind == "c"), None)
    unread = int(next(value for kind, value in rows if kind == "n"))
    return names, cadre_name, unread


def shell(request):
    context = {"BUREAU_NAME": settings.BUREAU_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        names, cadre_name, unread = _shell_row(user)
        if getattr(user, "_role_names", None) is None:  # what cadres.roles.user_roles would read
            user._role_names = names | {ADMIN} if user.is_superuser else names
        context["nav_items"] = navigation_for(user)
        context["unread_notices"] = unread
        context["shell_name"] = cadre_name
        current = request.path
        context["nav_active"] = max(
            (item["url"] for item in context["nav_items"] if current.startswith(item["url"]) and item["url"] != "/"),
            key=len,
            default="/" if current == "/" else None,
        )
    return context
