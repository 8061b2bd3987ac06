"""The sign-off (销号) workflow, in one place.

    未启动 → 整改中 → 申请销号 → 责任领导已审核 → 已销号 (or 阶段性完成 for 长期坚持)
    any review may 退回 (with a reason) → 整改中

- `Action`: the steps, as `SignoffStep` records store them (SignoffStep.Action);
- `TRANSITIONS`: for each action, the statuses it starts from, where it leads, who may
  take it and how its form looks;
- `options(user, measure)`: what this user may do to this measure now, and if not, why;
  `check(user, measure, action)` raises that reason (PermissionDenied or WorkflowError);
- the steps themselves (start, submit, leader_approve, office_confirm, stage_complete,
  return_measure, and `run` for any of them): one transaction each, a SignoffStep
  record, a notice to whoever is next, ledger_changed after commit;
- `status_note(measure)`: what the measure waits for when this user has nothing to do.

Who may edit a measure or log progress (not workflow steps) is in permissions.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.roles import HEAD, LEADER, has_role, is_office, office_users
from cadres.selectors import cadre_for
from core import dates
from core.notices import create_notices

from . import evidence as evidence_files
from . import permissions, uploads
from .history import save_as
from .models import Measure, Progress, SignoffStep
from .signals import announce_change

S = Measure.Status
T = Measure.Term
Action = SignoffStep.Action


class WorkflowError(ValidationError):
    """A step that is not valid from the measure's current status."""


# --- who may take a step, status aside --------------------------------------------------


def may_submit(user, measure: Measure) -> bool:
    """The head of the lead department (or the office) requests sign-off."""
    if is_office(user):
        return True
    cadre = cadre_for(user) if has_role(user, HEAD) else None
    return cadre is not None and cadre.department_id == measure.lead_department_id


def may_leader_review(user, measure: Measure) -> bool:
    """The responsible leader, or the leader overseeing the lead department (or the office)."""
    if is_office(user):
        return True
    cadre = cadre_for(user) if has_role(user, LEADER) else None
    if cadre is None:
        return False
    return measure.responsible_leader_id == cadre.pk or measure.lead_department.overseen_by_id == cadre.pk


def may_office_confirm(user, measure: Measure) -> bool:
    return is_office(user)


def _may_return(user, measure: Measure) -> bool:
    # Whoever reviews the current step may send it back.
    if measure.status == S.SUBMITTED:
        return may_leader_review(user, measure)
    return may_office_confirm(user, measure)


# --- the table --------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    target: str
    verb: str  # "request sign-off": what the button does, and the refusal says
    who: Callable
    terms: frozenset = frozenset(T.values)  # the terms the step applies to
    form: str = "comment"  # what its form asks: "none", "comment", "reason" (required), "summary" (and files)
    button: str = "btn-success"


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(
            Action.START,
            frozenset({S.NOT_STARTED}),
            S.IN_PROGRESS,
            gettext_lazy("start the rectification"),
            permissions.can_edit,
            form="none",
            button="btn-outline-primary",
        ),
        Transition(
            Action.SUBMIT,
            frozenset({S.IN_PROGRESS}),
            S.SUBMITTED,
            gettext_lazy("request sign-off"),
            may_submit,
            form="summary",
        ),
        Transition(
            Action.LEADER_APPROVE,
            frozenset({S.SUBMITTED}),
            S.LEADER_APPROVED,
            gettext_lazy("approve as responsible leader"),
            may_leader_review,
        ),
        Transition(
            Action.OFFICE_CONFIRM,
            frozenset({S.LEADER_APPROVED}),
            S.CLOSED,
            gettext_lazy("confirm the sign-off"),
            may_office_confirm,
            terms=frozenset({T.IMMEDIATE, T.DEADLINE}),
        ),
        Transition(
            Action.STAGE_COMPLETE,
            frozenset({S.LEADER_APPROVED}),
            S.STAGE_COMPLETE,
            gettext_lazy("confirm stage completion"),
            may_office_confirm,
            terms=frozenset({T.LONG_TERM}),
        ),
        Transition(
            Action.RETURN,
            frozenset({S.SUBMITTED, S.LEADER_APPROVED}),
            S.IN_PROGRESS,
            gettext_lazy("return"),
            _may_return,
            form="reason",
            button="btn-danger",
        ),
    ]
}


# --- what may this user do now, and if not, why ----------------------------------------


@dataclass(frozen=True)
class Option:
    action: str
    transition: Transition
    allowed: bool
    reason: str = ""  # why not, when not allowed

    @property
    def label(self) -> str:
        return str(self.transition.verb)


def _not_entitled(transition: Transition) -> str:
    return _("You may not %(verb)s for this measure.") % {"verb": transition.verb}


def _not_now(measure: Measure, transition: Transition) -> str:
    """Why the step is not valid from the measure's status and term, or ""."""
    if (
        transition.action == Action.OFFICE_CONFIRM
        and measure.term == T.LONG_TERM
        and measure.status == S.LEADER_APPROVED
    ):
        return _("A long-term measure is not closed: confirm it as stage complete instead.")
    if transition.action == Action.STAGE_COMPLETE and measure.term != T.LONG_TERM:
        return _("Only long-term measures are marked stage complete.")
    if measure.status in transition.sources and measure.term in transition.terms:
        return ""
    return _("This measure is “%(status)s”: you cannot %(verb)s now.") % {
        "status": measure.get_status_display(),
        "verb": transition.verb,
    }


def option(user, measure: Measure, action: str) -> Option:
    transition = TRANSITIONS[action]
    if not transition.who(user, measure):
        return Option(action, transition, False, _not_entitled(transition))
    reason = _not_now(measure, transition)
    return Option(action, transition, not reason, reason)


def options(user, measure: Measure) -> list[Option]:
    """Every step of the workflow, each saying whether this user may take it now and, if not, why."""
    return [option(user, measure, action) for action in TRANSITIONS]


def allowed(user, measure: Measure) -> list[str]:
    """The steps this user may take now."""
    return [o.action for o in options(user, measure) if o.allowed]


def check(user, measure: Measure, action: str) -> None:
    """Raise PermissionDenied (not this user's step) or WorkflowError (not now), with the reason."""
    transition = TRANSITIONS[action]
    if not transition.who(user, measure):
        raise PermissionDenied(_not_entitled(transition))
    reason = _not_now(measure, transition)
    if reason:
        raise WorkflowError(reason)


STATUS_NOTES = {
    S.CLOSED: gettext_lazy("This measure is signed off."),
    S.STAGE_COMPLETE: gettext_lazy("Stage complete: the measure keeps reporting progress."),
    S.SUBMITTED: gettext_lazy("Waiting for the responsible leader's review."),
    S.LEADER_APPROVED: gettext_lazy("Waiting for the campaign office's confirmation."),
}


def status_note(measure: Measure) -> str:
    """What the measure waits for, for a user who has no step to take."""
    return str(STATUS_NOTES.get(measure.status, gettext_lazy("No sign-off step for you at the moment.")))


# --- the steps ----------------------------------------------------------------------------


def record_step(measure: Measure, actor, action: str, comment: str = "") -> SignoffStep:
    """Move the measure along `action` and keep the SignoffStep (inside the caller's transaction)."""
    to_status = TRANSITIONS[action].target
    step = SignoffStep.objects.create(
        measure=measure, action=action, from_status=measure.status, to_status=to_status, actor=actor, comment=comment
    )
    measure.status = to_status
    if to_status in Measure.DONE_STATUSES:
        measure.completed_on = dates.today()
    elif to_status == S.IN_PROGRESS:
        measure.completed_on = None
    measure.version += 1
    save_as(measure, actor)
    return step


def _locked(measure_id: int) -> Measure:
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer joins.
    return (
        Measure.objects.select_for_update(of=("self",))
        .select_related(
            "lead_department__overseen_by", "responsible_leader__user", "responsible_person__user", "problem"
        )
        .get(pk=measure_id)
    )


def _begin(measure_id: int, actor, action: str, check_user: bool) -> Measure:
    measure = _locked(measure_id)
    if check_user:
        check(actor, measure, action)
    else:
        reason = _not_now(measure, TRANSITIONS[action])
        if reason:
            raise WorkflowError(reason)
    return measure


def _tell(users, measure: Measure, actor, what: str, text: str = ""):
    """An inbox notice about the measure to `users` (not to the actor)."""
    title = _("%(what)s: %(code)s %(measure)s") % {
        "what": what,
        "code": measure.code,
        "measure": measure.description[:40],
    }
    create_notices(users, title, text, measure.get_absolute_url(), exclude=actor)


def _reviewers(measure: Measure):
    if measure.responsible_leader and measure.responsible_leader.user:
        return [measure.responsible_leader.user]
    overseer = measure.lead_department.overseen_by
    return [overseer.user] if overseer is not None and overseer.user_id else []


def _tell_department(measure: Measure, actor, what: str, text: str = ""):
    """The last submitter and the responsible person hear how the review ended."""
    last_submit = (
        SignoffStep.objects.filter(measure=measure, action=Action.SUBMIT)
        .select_related("actor")
        .order_by("-id")
        .first()
    )
    users = [last_submit.actor if last_submit else None]
    if measure.responsible_person and measure.responsible_person.user:
        users.append(measure.responsible_person.user)
    _tell(users, measure, actor, what, text)


@transaction.atomic
def start(measure_id: int, actor, comment: str = "", *, check=True) -> Measure:
    measure = _begin(measure_id, actor, Action.START, check)
    record_step(measure, actor, Action.START, comment)
    announce_change([measure.pk])
    return measure


def submit(measure_id: int, actor, summary: str, files=(), *, check=True) -> Measure:
    """申请销号: a completion summary and at least one evidence file (new or already uploaded)."""
    checked = evidence_files.check_all(files)
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("Write a completion summary.")})
    with evidence_files.removed_on_error() as stored:
        with transaction.atomic():
            measure = _begin(measure_id, actor, Action.SUBMIT, check)
            uploads.refuse_duplicates(measure, checked)
            if not checked and not measure.evidence.exists():
                raise ValidationError({"files": _("Attach at least one evidence file to request sign-off.")})
            entry = Progress.objects.create(
                measure=measure, date=dates.today(), text=summary, percent=100, author=actor
            )
            stored += [evidence_files.store(item, measure=measure, progress=entry, user=actor) for item in checked]
            record_step(measure, actor, Action.SUBMIT, summary)
            text = _("%(dept)s requests sign-off. Please review.") % {"dept": measure.lead_department.name}
            _tell(_reviewers(measure), measure, actor, _("Sign-off requested"), text)
            announce_change([measure.pk])
    return measure


@transaction.atomic
def leader_approve(measure_id: int, actor, comment: str = "", *, check=True) -> Measure:
    measure = _begin(measure_id, actor, Action.LEADER_APPROVE, check)
    record_step(measure, actor, Action.LEADER_APPROVE, (comment or "").strip())
    _tell(office_users(), measure, actor, _("Approved by the responsible leader"), _("Please confirm the sign-off."))
    announce_change([measure.pk])
    return measure


@transaction.atomic
def office_confirm(measure_id: int, actor, comment: str = "", *, check=True) -> Measure:
    return _finish(measure_id, actor, Action.OFFICE_CONFIRM, comment, _("Signed off"), check)


@transaction.atomic
def stage_complete(measure_id: int, actor, comment: str = "", *, check=True) -> Measure:
    return _finish(measure_id, actor, Action.STAGE_COMPLETE, comment, _("Stage complete, keep reporting"), check)


def _finish(measure_id: int, actor, action: str, comment: str, what: str, check: bool) -> Measure:
    """The office's last step (已销号 or 阶段性完成); the department hears of it."""
    measure = _begin(measure_id, actor, action, check)
    record_step(measure, actor, action, (comment or "").strip())
    _tell_department(measure, actor, what)
    announce_change([measure.pk])
    return measure


@transaction.atomic
def return_measure(measure_id: int, actor, reason: str, *, check=True) -> Measure:
    """退回: back to 整改中, with a required reason, to the submitter and the responsible person."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"comment": _("Say why the measure is returned.")})
    measure = _begin(measure_id, actor, Action.RETURN, check)
    record_step(measure, actor, Action.RETURN, reason)
    _tell_department(measure, actor, _("Returned"), reason)
    announce_change([measure.pk])
    return measure


STEPS = {
    Action.START: start,
    Action.LEADER_APPROVE: leader_approve,
    Action.OFFICE_CONFIRM: office_confirm,
    Action.STAGE_COMPLETE: stage_complete,
    Action.RETURN: return_measure,
}


def run(action: str, measure_id: int, actor, text: str = "", files=()) -> Measure:
    """Take any step: `text` is the summary of a submit, else the comment or reason."""
    if action == Action.SUBMIT:
        return submit(measure_id, actor, text, files)
    return STEPS[action](measure_id, actor, text)
