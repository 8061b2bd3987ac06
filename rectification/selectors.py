"""Read queries on the ledger shared by views, the dashboard, reminders and reports."""

from django.db.models import Q, QuerySet

from cadres.roles import LEADER, has_role
from cadres.scoping import scope
from cadres.selectors import cadre_for

from .models import Measure

AREA = "rectification"


def measures_for_list() -> QuerySet:
    return Measure.objects.select_related(
        "problem__round", "responsible_leader", "lead_department", "responsible_person"
    )


def visible_measures(user, whole_bureau: bool = False) -> QuerySet:
    """Measures the user may see: lead or partner department in the user's scope.

    A bureau leader sees the departments they oversee by default and may ask for the
    whole bureau (the dashboard's switch); they still act only on their own.
    """
    if whole_bureau and has_role(user, LEADER):
        return measures_for_list()
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
