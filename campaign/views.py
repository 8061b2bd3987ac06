from django.shortcuts import render

from cadres.roles import LEADER, OFFICE, ROLE_LABELS, user_roles
from cadres.selectors import cadre_for
from core import calendar, dates
from rectification.selectors import assigned_to

from .views_dashboard import dashboard


def home(request):
    """Tells each role where their work is."""
    roles = user_roles(request.user)
    # For leaders and the office the home page is the dashboard (shown here, not by a
    # redirect, so a bookmark of the home page opens it); ?stay=1 shows them this page.
    if roles & {LEADER, OFFICE} and request.GET.get("stay") != "1":
        return dashboard(request)
    day = dates.today()
    context = {
        "cadre": cadre_for(request.user),
        "roles": [ROLE_LABELS[r] for r in ROLE_LABELS if r in roles],
        "role_names": roles,
        "my_measures": assigned_to(request.user)[:10],
        "today": day,
        "calendar_missing": not calendar.has_data(day.year),
    }
    return render(request, "home.html", context)
