"""Read queries on the ledger shared by views, the dashboard, reminders and reports."""

from django.db.models import Q, QuerySet

from cadres.scoping import scope
from cadres.selectors import cadre_for

from .models import Measure

AREA = "rectification"


def measures_for_list() -> QuerySet:
    return Measure.objects.select_related(
        "problem__round", "responsible_leader", "lead_department", "responsible_person"
    )


def visible_measures(user) -> QuerySet:
    """Measures the user may see: lead or partner department in the user's scope."""
    return scope(measures_for_list(), user, AREA, "lead_department", "partner_departments")


def assigned_to(user) -> QuerySet:
    """Open measures where the user is the responsible person: the home page's 'my work'."""
    cadre = cadre_for(user)
    if cadre is None:
        return Measure.objects.none()
    return (
        measures_for_list()
        .filter(Q(responsible_person=cadre))
        .exclude(status=Measure.Status.CLOSED)
        .order_by("deadline", "id")
    )
