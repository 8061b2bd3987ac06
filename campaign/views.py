from django.shortcuts import redirect, render

from cadres.roles import LEADER, OFFICE, ROLE_LABELS, user_roles
from cadres.selectors import cadre_for
from core import calendar
from rectification.deadlines import today
from rectification.selectors import assigned_to


def home(request):
    """Tells each role where their work is."""
    roles = user_roles(request.user)
    # Leaders and the office land on the dashboard; ?stay=1 shows them this page.
    if roles & {LEADER, OFFICE} and request.GET.get("stay") != "1":
        return redirect("campaign:dashboard")
    day = today()
    context = {
        "cadre": cadre_for(request.user),
        "roles": [ROLE_LABELS[r] for r in ROLE_LABELS if r in roles],
        "role_names": roles,
        "my_measures": assigned_to(request.user)[:10],
        "today": day,
        "calendar_missing": not calendar.has_data(day.year),
    }
    return render(request, "home.html", context)
