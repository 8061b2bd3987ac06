from django.db.models import QuerySet
from django.db.models.functions import Collate
from django.utils.translation import gettext as _

from .models import STROKE_COLLATION, Cadre, Department


def in_official_order(cadres: QuerySet) -> QuerySet:
    """Department order, then principal/deputy/member, then surname strokes."""
    return cadres.order_by("department__order", "department_id", "post_level", Collate("name", STROKE_COLLATION), "id")


def active_cadres() -> QuerySet:
    return in_official_order(Cadre.objects.filter(active=True).select_related("department", "post"))


def departments() -> QuerySet:
    return Department.objects.filter(active=True).select_related("overseen_by")


def leaders() -> QuerySet:
    return in_official_order(Cadre.objects.filter(is_leader=True, active=True))


def cadre_for(user) -> Cadre | None:
    try:
        return user.cadre
    except (Cadre.DoesNotExist, AttributeError):
        return None


def person_name(user) -> str:
    """The name to show for an account: its cadre's name, else the account's own."""
    if user is None:
        return _("the system")
    cadre = cadre_for(user)
    return cadre.name if cadre else (user.get_full_name() or user.get_username())
