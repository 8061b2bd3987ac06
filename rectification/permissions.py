"""Who may do what to a measure (issue 3, item 6). Views, services and templates ask here.

- the campaign office (领导小组办公室) and the system administrator: everything;
- staff (科室干部) and heads (科室负责人): change a measure and add progress when its lead
  or one of its partner departments is their own department;
- a department head: submits for sign-off (申请销号) the measures their department leads;
- a bureau leader (局领导): reviews the measures of the departments they oversee (分管)
  and those where they are the responsible leader (责任领导);
- everyone else reads what their scope allows (selectors.visible_measures).

The can_* functions answer "may this user, in principle, do this to this measure";
allowed_actions() adds the workflow: what this user may do now, in the current status.
Seeing a measure at all is selectors.visible_measures (404 outside it).
"""

from django.utils.translation import gettext_lazy as _

from cadres.roles import HEAD, LEADER, STAFF, has_role, is_office
from cadres.selectors import cadre_for

from .models import Measure

S = Measure.Status

# action -> (statuses it starts from, status it leads to, a readable verb)
TRANSITIONS = {
    "start": ({S.NOT_STARTED}, S.IN_PROGRESS, _("start the rectification")),
    "submit": ({S.IN_PROGRESS}, S.SUBMITTED, _("request sign-off")),
    "leader_approve": ({S.SUBMITTED}, S.LEADER_APPROVED, _("approve as responsible leader")),
    "office_confirm": ({S.LEADER_APPROVED}, S.CLOSED, _("confirm the sign-off")),
    "stage_complete": ({S.LEADER_APPROVED}, S.STAGE_COMPLETE, _("confirm stage completion")),
    "return": ({S.SUBMITTED, S.LEADER_APPROVED}, S.IN_PROGRESS, _("return")),
}
ACTIONS = list(TRANSITIONS)


def _partner_ids(measure: Measure) -> set[int]:
    # Uses the prefetch cache when the view prefetched partner_departments.
    return {d.pk for d in measure.partner_departments.all()}


def _own_department(user, measure: Measure) -> bool:
    cadre = cadre_for(user)
    if cadre is None:
        return False
    return cadre.department_id == measure.lead_department_id or cadre.department_id in _partner_ids(measure)


def can_create(user) -> bool:
    """Creating rounds, problems and measures is the office's job."""
    return is_office(user)


def can_edit(user, measure: Measure) -> bool:
    if is_office(user):
        return True
    return has_role(user, STAFF, HEAD) and _own_department(user, measure)


def can_add_progress(user, measure: Measure) -> bool:
    if measure.status == S.CLOSED:
        return False  # 已销号 is final; 阶段性完成 measures keep reporting
    return can_edit(user, measure)


def can_submit(user, measure: Measure) -> bool:
    if is_office(user):
        return True
    if not has_role(user, HEAD):
        return False
    cadre = cadre_for(user)
    return cadre is not None and cadre.department_id == measure.lead_department_id


def can_leader_review(user, measure: Measure) -> bool:
    if is_office(user):
        return True
    if not has_role(user, LEADER):
        return False
    cadre = cadre_for(user)
    if cadre is None:
        return False
    return measure.responsible_leader_id == cadre.pk or measure.lead_department.overseen_by_id == cadre.pk


def can_office_confirm(user, measure: Measure) -> bool:
    return is_office(user)


def may(user, measure: Measure, action: str) -> bool:
    """May the user take `action` on this measure, status aside?"""
    if action == "start":
        return can_edit(user, measure)
    if action == "submit":
        return can_submit(user, measure)
    if action == "leader_approve":
        return can_leader_review(user, measure)
    if action in ("office_confirm", "stage_complete"):
        return can_office_confirm(user, measure)
    if action == "return":
        if measure.status == S.SUBMITTED:
            return can_leader_review(user, measure)
        return can_office_confirm(user, measure)
    raise ValueError(action)


def valid_now(measure: Measure, action: str) -> bool:
    """Is `action` a valid step from the measure's current status (whoever asks)?"""
    sources, _target, _verb = TRANSITIONS[action]
    if measure.status not in sources:
        return False
    if action == "office_confirm":
        return measure.term != Measure.Term.LONG_TERM
    if action == "stage_complete":
        return measure.term == Measure.Term.LONG_TERM
    return True


def allowed_actions(user, measure: Measure) -> list[str]:
    """What the user may do to the measure now: 'edit', 'progress' and workflow actions."""
    actions = []
    if can_edit(user, measure):
        actions.append("edit")
    if can_add_progress(user, measure):
        actions.append("progress")
    actions += [a for a in ACTIONS if valid_now(measure, a) and may(user, measure, a)]
    return actions
