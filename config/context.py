"""What every page's shell needs: the bureau, the navigation for this user, unread notices."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cadres.roles import ADMIN, OFFICE, user_roles

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


def navigation_for(user):
    roles = user_roles(user)
    items = []
    for label, name, icon, allowed in NAVIGATION:
        if allowed is not None and not (roles & allowed or user.is_superuser):
            continue
        if name == "admin:index" and not is_administrator(user):
            continue
        items.append({"label": label, "url": reverse(name), "icon": icon, "name": name})
    return items


def shell(request):
    context = {"BUREAU_NAME": settings.BUREAU_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["nav_items"] = navigation_for(user)
        context["unread_notices"] = user.notices.filter(read=False).count()
        current = request.path
        context["nav_active"] = max(
            (item["url"] for item in context["nav_items"] if current.startswith(item["url"]) and item["url"] != "/"),
            key=len,
            default="/" if current == "/" else None,
        )
    return context
