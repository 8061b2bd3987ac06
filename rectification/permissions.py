"""Who may change a measure, outside the sign-off workflow. Views and services ask here.

- the campaign office (领导小组办公室) and the system administrator: everything;
- staff (科室干部) and heads (科室负责人): change a measure and add progress when its lead
  or one of its partner departments is their own department;
- everyone else reads what their scope allows (selectors.visible_measures).

Who may take a sign-off step (submit, review, confirm, return) and when is workflow.py.
Seeing a measure at all is selectors.visible_measures (404 outside it).
"""

from cadres.roles import HEAD, STAFF, has_role, is_office
from cadres.selectors import cadre_for

from .models import Measure


def _own_department(user, measure: Measure) -> bool:
    cadre = cadre_for(user)
    if cadre is None:
        return False
    if cadre.department_id == measure.lead_department_id:
        return True
    # Uses the prefetch cache when the view prefetched partner_departments.
    return cadre.department_id in {d.pk for d in measure.partner_departments.all()}


def can_create(user) -> bool:
    """Creating rounds, problems and measures is the office's job."""
    return is_office(user)


def can_edit(user, measure: Measure) -> bool:
    if is_office(user):
        return True
    return has_role(user, STAFF, HEAD) and _own_department(user, measure)


def can_add_progress(user, measure: Measure) -> bool:
    if measure.status == Measure.Status.CLOSED:
        return False  # 已销号 is final; 阶段性完成 measures keep reporting
    return can_edit(user, measure)
