"""The deadline-extension (延期申请) workflow, in the style of workflow.py.

    the lead department requests (new date, reason, optional evidence)
        → 待责任领导审批: the responsible leader (or the leader overseeing the lead
          department) approves or refuses
        → 待领导小组办公室确认: the campaign office confirms (the deadline moves) or refuses
    the requester (or the lead department's head) may withdraw a pending request;
    the office may extend directly, with a reason (recorded as an approved extension).

Until it is confirmed the measure keeps its deadline and its 三色预警, and shows 延期申请中.
The term and the partner departments are the office's to change (permissions.py).

- `Action` and `TRANSITIONS`: each step, the statuses it starts from, where it leads, who
  may take it; `options(user, measure, extension)`, `check(...)` as in workflow.py;
- the steps (request, decide, direct, and `apply_deadline` for the office's edit form):
  one transaction each, a notice to whoever is next, ledger_changed after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.roles import HEAD, LEADER, STAFF, has_role, is_office, office_users
from cadres.selectors import cadre_for
from core import dates
from core.notices import create_notices

from . import evidence as evidence_files
from . import uploads
from .history import save_as
from .models import Extension, Measure
from .signals import announce_change

E = Extension.Status
REASON_HISTORY_LIMIT = 100  # simple-history's change reason column


class Action:
    REQUEST = "request"
    LEADER_APPROVE = "leader_approve"
    LEADER_REFUSE = "leader_refuse"
    OFFICE_CONFIRM = "office_confirm"
    OFFICE_REFUSE = "office_refuse"
    WITHDRAW = "withdraw"
    DIRECT = "direct"


# --- who may take a step, status aside --------------------------------------------------


def in_lead_department(user, measure: Measure) -> bool:
    """Staff and heads of the lead department ask for an extension (partners do not)."""
    cadre = cadre_for(user) if has_role(user, STAFF, HEAD) else None
    return cadre is not None and cadre.department_id == measure.lead_department_id


def is_reviewing_leader(user, measure: Measure) -> bool:
    """The responsible leader, or the leader overseeing the lead department. Not the office:
    an extension needs both keys, the leader's and the office's (the office extends directly)."""
    cadre = cadre_for(user) if has_role(user, LEADER) else None
    if cadre is None:
        return False
    return measure.responsible_leader_id == cadre.pk or measure.lead_department.overseen_by_id == cadre.pk


def _office(user, measure: Measure) -> bool:
    return is_office(user)


def _may_withdraw(user, measure: Measure) -> bool:
    return in_lead_department(user, measure)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset  # extension statuses the step starts from (empty: no pending request)
    target: str
    verb: str
    who: Callable
    approve: bool = True
    button: str = "btn-success"


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(
            Action.REQUEST, frozenset(), E.LEADER_REVIEW, gettext_lazy("request an extension"), in_lead_department
        ),
        Transition(
            Action.LEADER_APPROVE,
            frozenset({E.LEADER_REVIEW}),
            E.OFFICE_REVIEW,
            gettext_lazy("approve the extension"),
            is_reviewing_leader,
        ),
        Transition(
            Action.LEADER_REFUSE,
            frozenset({E.LEADER_REVIEW}),
            E.REFUSED,
            gettext_lazy("refuse the extension"),
            is_reviewing_leader,
            approve=False,
            button="btn-outline-danger",
        ),
        Transition(
            Action.OFFICE_CONFIRM,
            frozenset({E.OFFICE_REVIEW}),
            E.APPROVED,
            gettext_lazy("confirm the extension"),
            _office,
        ),
        Transition(
            Action.OFFICE_REFUSE,
            frozenset({E.OFFICE_REVIEW}),
            E.REFUSED,
            gettext_lazy("refuse the extension"),
            _office,
            approve=False,
            button="btn-outline-danger",
        ),
        Transition(
            Action.WITHDRAW,
            frozenset(Extension.PENDING_STATUSES),
            E.WITHDRAWN,
            gettext_lazy("withdraw the request"),
            _may_withdraw,
            approve=False,
            button="btn-outline-secondary",
        ),
        Transition(Action.DIRECT, frozenset(), E.APPROVED, gettext_lazy("extend the deadline"), _office),
    ]
}
DECISIONS = [
    Action.LEADER_APPROVE,
    Action.LEADER_REFUSE,
    Action.OFFICE_CONFIRM,
    Action.OFFICE_REFUSE,
    Action.WITHDRAW,
]


class ExtensionError(ValidationError):
    """A step that is not valid now (a request already pending, a finished measure...)."""


# --- what may this user do now, and if not, why ----------------------------------------


def pending(measure: Measure) -> Extension | None:
    return (
        Extension.objects.filter(measure=measure, status__in=Extension.PENDING_STATUSES)
        .select_related("requested_by__cadre")
        .first()
    )


def _not_now(measure: Measure, extension: Extension | None, transition: Transition) -> str:
    if transition.action in (Action.REQUEST, Action.DIRECT):
        if measure.is_done or measure.status == Measure.Status.CLOSED:
            return _("The measure is finished: its deadline no longer moves.")
        if measure.term == Measure.Term.LONG_TERM or measure.deadline is None:
            return _("A long-term measure has no deadline to extend.")
        if extension is not None:
            return _("An extension request is already waiting for review.")
        return ""
    if extension is None or extension.status not in transition.sources:
        return _("No extension request is waiting for this step.")
    return ""


@dataclass(frozen=True)
class Option:
    action: str
    transition: Transition
    allowed: bool
    reason: str = ""

    @property
    def label(self) -> str:
        return str(self.transition.verb)


def options(user, measure: Measure, extension: Extension | None) -> list[Option]:
    """Every extension step, each saying whether this user may take it now and, if not, why."""
    result = []
    for action, transition in TRANSITIONS.items():
        if not transition.who(user, measure):
            result.append(Option(action, transition, False, _not_entitled(transition)))
            continue
        reason = _not_now(measure, extension, transition)
        result.append(Option(action, transition, not reason, reason))
    return result


def allowed(user, measure: Measure, extension: Extension | None) -> set[str]:
    return {o.action for o in options(user, measure, extension) if o.allowed}


def _not_entitled(transition: Transition) -> str:
    return _("You may not %(verb)s for this measure.") % {"verb": transition.verb}


def check(user, measure: Measure, extension: Extension | None, action: str) -> None:
    """Raise PermissionDenied (not this user's step) or ExtensionError (not now), with the reason."""
    transition = TRANSITIONS[action]
    if not transition.who(user, measure):
        raise PermissionDenied(_not_entitled(transition))
    reason = _not_now(measure, extension, transition)
    if reason:
        raise ExtensionError(reason)


# --- notices --------------------------------------------------------------------------


def _tell(users, measure: Measure, actor, what: str, text: str = ""):
    title = _("%(what)s: %(code)s %(measure)s") % {
        "what": what,
        "code": measure.code,
        "measure": measure.description[:40],
    }
    create_notices(users, title, text, measure.get_absolute_url(), exclude=actor)


def leader_reviewers(measure: Measure) -> list:
    if measure.responsible_leader and measure.responsible_leader.user_id:
        return [measure.responsible_leader.user]
    overseer = measure.lead_department.overseen_by
    return [overseer.user] if overseer is not None and overseer.user_id else []


def _requester_side(extension: Extension, measure: Measure) -> list:
    users = [extension.requested_by]
    if measure.responsible_person and measure.responsible_person.user_id:
        users.append(measure.responsible_person.user)
    return users


def _when(extension: Extension) -> str:
    return _("%(old)s → %(new)s (%(days)s days later)") % {
        "old": extension.old_deadline.isoformat(),
        "new": extension.new_deadline.isoformat(),
        "days": extension.days,
    }


# --- the steps ------------------------------------------------------------------------


def _locked(measure_id: int) -> Measure:
    return (
        Measure.objects.select_for_update(of=("self",))
        .select_related(
            "lead_department__overseen_by", "responsible_leader__user", "responsible_person__user", "problem"
        )
        .get(pk=measure_id)
    )


def _validate_request(measure: Measure, new_deadline: dt.date | None, reason: str) -> None:
    errors = {}
    if not reason:
        errors["reason"] = _("Say why the deadline must move.")
    if new_deadline is None:
        errors["new_deadline"] = _("Enter the new deadline.")
    elif measure.deadline is not None and new_deadline <= measure.deadline:
        errors["new_deadline"] = _("The new deadline must be after the current one (%(date)s).") % {
            "date": measure.deadline.isoformat()
        }
    elif new_deadline < dates.today():
        errors["new_deadline"] = _("The new deadline cannot be in the past.")
    if errors:
        raise ValidationError(errors)


def request(measure_id: int, actor, new_deadline: dt.date | None, reason: str, files=(), *, check_user=True):
    """延期申请 by the lead department: waits for the responsible leader; the deadline stays."""
    checked = evidence_files.check_all(files)
    reason = (reason or "").strip()
    with evidence_files.removed_on_error() as stored, transaction.atomic():
        measure = _locked(measure_id)
        if check_user:
            check(actor, measure, pending(measure), Action.REQUEST)
        else:
            _raise_if_not_now(measure, Action.REQUEST)
        _validate_request(measure, new_deadline, reason)
        uploads.refuse_duplicates(measure, checked)
        extension = _create(
            measure, actor, status=E.LEADER_REVIEW, new_deadline=new_deadline, reason=reason, direct=False
        )
        for item in checked:
            stored.append(evidence_files.store(item, measure=measure, progress=None, user=actor))
            stored[-1].extension = extension
            stored[-1].save(update_fields=["extension"])
        text = _("%(dept)s asks to move the deadline %(when)s: %(reason)s") % {
            "dept": measure.lead_department.name,
            "when": _when(extension),
            "reason": reason,
        }
        _tell(leader_reviewers(measure), measure, actor, _("Extension requested"), text)
        announce_change([measure.pk])
    return extension


def _raise_if_not_now(measure: Measure, action: str, extension: Extension | None = None) -> None:
    if action in (Action.REQUEST, Action.DIRECT):
        extension = pending(measure)
    reason = _not_now(measure, extension, TRANSITIONS[action])
    if reason:
        raise ExtensionError(reason)


def _create(measure: Measure, actor, **fields) -> Extension:
    try:
        with transaction.atomic():
            return Extension.objects.create(
                measure=measure, old_deadline=measure.deadline, requested_by=actor, **fields
            )
    except IntegrityError:
        # Another request was saved a moment ago (one pending request per measure).
        raise ExtensionError(_("An extension request is already waiting for review.")) from None


@transaction.atomic
def decide(extension_id: int, actor, action: str, comment: str = "", *, check_user=True) -> Extension:
    """Approve, refuse, confirm or withdraw a pending request; a refusal needs a reason."""
    if action not in DECISIONS:
        raise ValueError(action)
    extension = Extension.objects.select_for_update().get(pk=extension_id)
    measure = _locked(extension.measure_id)
    transition = TRANSITIONS[action]
    if check_user:
        check(actor, measure, extension, action)
    else:
        _raise_if_not_now(measure, action, extension)
    comment = (comment or "").strip()
    if action in (Action.LEADER_REFUSE, Action.OFFICE_REFUSE) and not comment:
        raise ValidationError({"comment": _("Say why the extension is refused.")})
    now = timezone.now()
    if action in (Action.LEADER_APPROVE, Action.LEADER_REFUSE):
        extension.leader, extension.leader_at, extension.leader_comment = actor, now, comment
    elif action in (Action.OFFICE_CONFIRM, Action.OFFICE_REFUSE):
        extension.office, extension.office_at, extension.office_comment = actor, now, comment
    extension.status = transition.target
    if transition.target != E.OFFICE_REVIEW:
        extension.decided_on = dates.today()
    extension.save()
    if action == Action.OFFICE_CONFIRM:
        _move_deadline(measure, extension, actor)
    _announce(action, extension, measure, actor, comment)
    announce_change([measure.pk])
    return extension


def _announce(action: str, extension: Extension, measure: Measure, actor, comment: str) -> None:
    if action == Action.LEADER_APPROVE:
        text = _("The responsible leader agrees to move the deadline %(when)s. Please confirm.") % {
            "when": _when(extension)
        }
        _tell(office_users(), measure, actor, _("Extension approved by the leader"), text)
    elif action == Action.OFFICE_CONFIRM:
        text = _("The deadline is now %(date)s.") % {"date": extension.new_deadline.isoformat()}
        _tell(_requester_side(extension, measure), measure, actor, _("Extension confirmed"), text)
    elif action in (Action.LEADER_REFUSE, Action.OFFICE_REFUSE):
        text = _("The deadline stays %(date)s. Reason: %(reason)s") % {
            "date": extension.old_deadline.isoformat(),
            "reason": comment,
        }
        _tell(_requester_side(extension, measure), measure, actor, _("Extension refused"), text)


def _move_deadline(measure: Measure, extension: Extension, actor) -> None:
    """The approved extension takes effect: the deadline moves, the history says why."""
    extension.old_deadline = measure.deadline or extension.old_deadline
    if extension.new_deadline <= extension.old_deadline:
        raise ExtensionError(_("The deadline is already %(date)s or later.") % {"date": measure.deadline.isoformat()})
    extension.save(update_fields=["old_deadline"])
    measure.deadline = extension.new_deadline
    measure.version += 1
    reason = _("Extension: %(reason)s") % {"reason": extension.reason}
    save_as(measure, actor, reason=reason[:REASON_HISTORY_LIMIT])


@transaction.atomic
def direct(measure_id: int, actor, new_deadline: dt.date | None, reason: str, *, check_user=True) -> Extension:
    """The office extends the deadline itself, with a reason (recorded as an approved extension)."""
    measure = _locked(measure_id)
    if check_user:
        check(actor, measure, pending(measure), Action.DIRECT)
    else:
        _raise_if_not_now(measure, Action.DIRECT)
    reason = (reason or "").strip()
    _validate_request(measure, new_deadline, reason)
    extension = _create(
        measure,
        actor,
        status=E.APPROVED,
        direct=True,
        new_deadline=new_deadline,
        reason=reason,
        office=actor,
        office_at=timezone.now(),
        decided_on=dates.today(),
    )
    _move_deadline(measure, extension, actor)
    text = _("The campaign office moved the deadline %(when)s: %(reason)s") % {
        "when": _when(extension),
        "reason": reason,
    }
    _tell(_requester_side(extension, measure), measure, actor, _("Deadline extended"), text)
    announce_change([measure.pk])
    return extension


def settle_after_edit(measure: Measure, old_deadline: dt.date | None, actor, reason: str) -> None:
    """After the office changed a deadline (or the term) on the edit form, inside its
    transaction: a pending request is superseded, and a later date counts as a direct
    extension. An earlier date is a correction, not an extension."""
    if measure.deadline == old_deadline:
        return
    Extension.objects.filter(measure=measure, status__in=Extension.PENDING_STATUSES).update(
        status=E.WITHDRAWN, decided_on=dates.today(), office_comment=_("Superseded by the office's change.")
    )
    if old_deadline is None or measure.deadline is None or measure.deadline <= old_deadline:
        return
    Extension.objects.create(
        measure=measure,
        status=E.APPROVED,
        direct=True,
        old_deadline=old_deadline,
        new_deadline=measure.deadline,
        reason=reason,
        requested_by=actor,
        office=actor,
        office_at=timezone.now(),
        decided_on=dates.today(),
    )


STATUS_NOTES = {
    E.LEADER_REVIEW: gettext_lazy("Waiting for the responsible leader's review."),
    E.OFFICE_REVIEW: gettext_lazy("Approved by the leader; waiting for the campaign office's confirmation."),
}
