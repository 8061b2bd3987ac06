"""Every write to the ledger: one transaction each, history with the actor, a
ledger_changed signal after commit, notices to the next reviewer.

Views, commands and tasks call these; they check permissions themselves (pass
check=False from trusted code such as the demo or an import that checked already).
Outside a request simple-history does not know the user, so each service sets
`instance._history_user = actor` before saving; a 延期 reason is stored as the history
record's change reason.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cadres.roles import office_users
from core import dates
from core.models import Notice

from . import evidence as evidence_files
from . import permissions
from .models import InspectionRound, Measure, Problem, Progress, SignoffStep
from .signals import ledger_changed

S = Measure.Status

# Fields a measure form may change (status only moves through the workflow).
EDITABLE_FIELDS = [
    "problem",
    "number",
    "goal",
    "description",
    "responsible_leader",
    "lead_department",
    "responsible_person",
    "term",
    "deadline",
    "note",
]


class ConflictError(Exception):
    """Someone saved the measure after the editor opened it."""

    def __init__(self, current: Measure):
        super().__init__("version conflict")
        self.current = current


class WorkflowError(ValidationError):
    """A transition that is not valid from the measure's current status."""


def _changed(measure_ids):
    ids = list(measure_ids) if measure_ids is not None else None
    transaction.on_commit(lambda: ledger_changed.send(sender=Measure, measure_ids=ids))


def _save(instance, actor, reason: str = "", **kwargs):
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    instance.save(**kwargs)


def _deny(message):
    raise PermissionDenied(message)


def _link(measure: Measure) -> str:
    return measure.get_absolute_url()


def notify(users, title: str, text: str, link: str, exclude=None):
    seen = set()
    rows = []
    for user in users:
        if user is None or user.pk in seen or (exclude is not None and user.pk == exclude.pk) or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(Notice(recipient=user, title=title[:200], text=text, link=link))
    Notice.objects.bulk_create(rows)
    return rows


# --- rounds and problems --------------------------------------------------------------


@transaction.atomic
def save_round(round_: InspectionRound, actor, *, check=True) -> InspectionRound:
    if check and not permissions.can_create(actor):
        _deny(_("Only the campaign office may set up inspection rounds."))
    round_.save()
    return round_


@transaction.atomic
def save_problem(problem: Problem, actor, *, check=True) -> Problem:
    if check and not permissions.can_create(actor):
        _deny(_("Only the campaign office may record problems."))
    _save(problem, actor)
    _changed(list(problem.measures.values_list("pk", flat=True)) if problem.pk else [])
    return problem


def next_problem_number(round_: InspectionRound) -> int:
    last = Problem.objects.filter(round=round_).order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def next_measure_number(problem: Problem) -> int:
    last = Measure.objects.filter(problem=problem).order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


# --- measures ----------------------------------------------------------------------------


@transaction.atomic
def create_measure(actor, data: dict, partner_departments=(), *, check=True) -> Measure:
    if check and not permissions.can_create(actor):
        _deny(_("Only the campaign office may create measures."))
    measure = Measure(**{k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    if not data.get("number"):
        measure.number = next_measure_number(measure.problem)
    _validate_measure(measure, partner_departments)
    _save(measure, actor)
    if partner_departments:
        measure.partner_departments.set(partner_departments)
    _changed([measure.pk])
    return measure


def _validate_measure(measure: Measure, partner_departments):
    errors = {}
    if measure.term != Measure.Term.LONG_TERM and measure.deadline is None:
        errors["deadline"] = _("A measure that is immediate or by deadline needs a deadline.")
    if any(d.pk == measure.lead_department_id for d in partner_departments):
        errors["partner_departments"] = _("The lead department cannot also be a partner department.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def update_measure(
    measure_id: int,
    actor,
    data: dict,
    expected_version: int,
    *,
    partner_departments=None,
    reason: str = "",
    check=True,
) -> Measure:
    """Save an edit made on a form opened at `expected_version`.

    Raises ConflictError (carrying the current measure) when someone saved in between,
    ValidationError when the deadline changes without a reason.
    """
    measure = Measure.objects.select_for_update(of=("self",)).select_related("lead_department").get(pk=measure_id)
    if check and not permissions.can_edit(actor, measure):
        _deny(_("You may not change this measure."))
    if measure.version != expected_version:
        raise ConflictError(measure)
    old_deadline = measure.deadline
    for field, value in data.items():
        if field in EDITABLE_FIELDS:
            setattr(measure, field, value)
    reason = (reason or "").strip()
    if measure.deadline != old_deadline and not reason:
        raise ValidationError({"deadline_reason": _("Say why the deadline changes (延期 needs a reason).")})
    partners = list(partner_departments) if partner_departments is not None else list(measure.partner_departments.all())
    _validate_measure(measure, partners)
    if measure.deadline != old_deadline:
        reason = _("Deadline changed: %(reason)s") % {"reason": reason}
    measure.version += 1
    _save(measure, actor, reason=reason[:100] if reason else "")
    if partner_departments is not None:
        current = set(measure.partner_departments.values_list("pk", flat=True))
        wanted = {d.pk for d in partners}
        if current != wanted:
            measure._history_user = actor
            measure.partner_departments.set(partners)
    _changed([measure.pk])
    return measure


@transaction.atomic
def change_deadline(measure_id: int, actor, deadline: dt.date | None, reason: str, *, check=True) -> Measure:
    """延期 outside the edit form (commands, tasks): a reason is required."""
    measure = Measure.objects.get(pk=measure_id)
    return update_measure(measure_id, actor, {"deadline": deadline}, measure.version, reason=reason, check=check)


# --- progress and evidence ------------------------------------------------------------


def add_progress(
    measure_id: int,
    actor,
    *,
    text: str,
    date: dt.date | None = None,
    percent: int | None = None,
    files=(),
    token: uuid.UUID | None = None,
    check=True,
) -> tuple[Progress, bool]:
    """Add a progress entry with its evidence files. Returns (entry, created).

    A second call with the same submission token (a double-submitted form) returns the
    first entry and adds nothing. Files are checked before anything is written.
    """
    checked = evidence_files.check_all(files)
    if token is not None:
        existing = Progress.objects.filter(submission_token=token).first()
        if existing is not None:
            return existing, False
    stored = []
    try:
        with transaction.atomic():
            measure = (
                Measure.objects.select_for_update(of=("self",)).select_related("lead_department").get(pk=measure_id)
            )
            if check and not permissions.can_add_progress(actor, measure):
                _deny(_("You may not add progress to this measure."))
            date = date or dates.today()
            if date > dates.today():
                raise ValidationError({"date": _("The date of a progress entry cannot be in the future.")})
            try:
                with transaction.atomic():
                    entry = Progress.objects.create(
                        measure=measure,
                        date=date,
                        text=text.strip(),
                        percent=percent,
                        author=actor,
                        submission_token=token,
                    )
            except IntegrityError:
                existing = Progress.objects.filter(submission_token=token).first()
                if existing is None:
                    raise
                return existing, False
            for item in checked:
                stored.append(evidence_files.store(item, measure=measure, progress=entry, user=actor))
            if measure.status == S.NOT_STARTED:
                _step(measure, actor, "start", S.IN_PROGRESS, _("Started with the first progress entry."))
            _changed([measure.pk])
    except Exception:
        for evidence in stored:
            evidence.file.storage.delete(evidence.file.name)
        raise
    return entry, True


# --- the sign-off workflow ---------------------------------------------------------------


def _step(measure: Measure, actor, action: str, to_status: str, comment: str = "") -> SignoffStep:
    step = SignoffStep.objects.create(
        measure=measure,
        action=action,
        from_status=measure.status,
        to_status=to_status,
        actor=actor,
        comment=comment,
    )
    measure.status = to_status
    if to_status in Measure.DONE_STATUSES:
        measure.completed_on = dates.today()
    elif to_status == S.IN_PROGRESS:
        measure.completed_on = None
    measure.version += 1
    _save(measure, actor)
    return step


def _refuse_invalid(measure: Measure, action: str):
    _sources, _target, verb = permissions.TRANSITIONS[action]
    if action == "office_confirm" and measure.term == Measure.Term.LONG_TERM and measure.status == S.LEADER_APPROVED:
        raise WorkflowError(_("A long-term measure is not closed: confirm it as stage complete instead."))
    if action == "stage_complete" and measure.term != Measure.Term.LONG_TERM:
        raise WorkflowError(_("Only long-term measures are marked stage complete."))
    raise WorkflowError(
        _("This measure is “%(status)s”: you cannot %(verb)s now.")
        % {"status": measure.get_status_display(), "verb": verb}
    )


def _locked(measure_id: int) -> Measure:
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer joins.
    return (
        Measure.objects.select_for_update(of=("self",))
        .select_related(
            "lead_department__overseen_by", "responsible_leader__user", "responsible_person__user", "problem"
        )
        .get(pk=measure_id)
    )


def _begin(measure_id: int, actor, action: str, check: bool) -> Measure:
    measure = _locked(measure_id)
    if check and not permissions.may(actor, measure, action):
        _deny(_("You may not %(verb)s for this measure.") % {"verb": permissions.TRANSITIONS[action][2]})
    if not permissions.valid_now(measure, action):
        _refuse_invalid(measure, action)
    return measure


def _reviewers(measure: Measure):
    users = []
    if measure.responsible_leader and measure.responsible_leader.user:
        users.append(measure.responsible_leader.user)
    overseer = measure.lead_department.overseen_by
    if not users and overseer is not None and overseer.user_id:
        users.append(overseer.user)
    return users


def _title(measure: Measure, what: str) -> str:
    return f"{what}：{measure.code} {measure.description[:40]}"


@transaction.atomic
def start(measure_id: int, actor, comment: str = "", *, check=True) -> Measure:
    measure = _begin(measure_id, actor, "start", check)
    _step(measure, actor, "start", S.IN_PROGRESS, comment)
    _changed([measure.pk])
    return measure


def submit(measure_id: int, actor, summary: str, files=(), *, check=True) -> Measure:
    """申请销号: a completion summary and at least one evidence file (new or already uploaded)."""
    checked = evidence_files.check_all(files)
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("Write a completion summary.")})
    stored = []
    try:
        with transaction.atomic():
            measure = _begin(measure_id, actor, "submit", check)
            if not checked and not measure.evidence.exists():
                raise ValidationError({"files": _("Attach at least one evidence file to request sign-off.")})
            entry = Progress.objects.create(
                measure=measure, date=dates.today(), text=summary, percent=100, author=actor
            )
            for item in checked:
                stored.append(evidence_files.store(item, measure=measure, progress=entry, user=actor))
            _step(measure, actor, "submit", S.SUBMITTED, summary)
            notify(
                _reviewers(measure),
                _title(measure, _("Sign-off requested")),
                _("%(dept)s requests sign-off. Please review.") % {"dept": measure.lead_department.name},
                _link(measure),
                exclude=actor,
            )
            _changed([measure.pk])
    except Exception:
        for evidence in stored:
            evidence.file.storage.delete(evidence.file.name)
        raise
    return measure


@transaction.atomic
def leader_approve(measure_id: int, actor, comment: str = "", *, check=True) -> Measure:
    measure = _begin(measure_id, actor, "leader_approve", check)
    _step(measure, actor, "leader_approve", S.LEADER_APPROVED, (comment or "").strip())
    notify(
        office_users(),
        _title(measure, _("Approved by the responsible leader")),
        _("Please confirm the sign-off."),
        _link(measure),
        exclude=actor,
    )
    _changed([measure.pk])
    return measure


@transaction.atomic
def office_confirm(measure_id: int, actor, comment: str = "", *, check=True) -> Measure:
    measure = _begin(measure_id, actor, "office_confirm", check)
    _step(measure, actor, "office_confirm", S.CLOSED, (comment or "").strip())
    _notify_department(measure, actor, _("Signed off"))
    _changed([measure.pk])
    return measure


@transaction.atomic
def stage_complete(measure_id: int, actor, comment: str = "", *, check=True) -> Measure:
    measure = _begin(measure_id, actor, "stage_complete", check)
    _step(measure, actor, "stage_complete", S.STAGE_COMPLETE, (comment or "").strip())
    _notify_department(measure, actor, _("Stage complete, keep reporting"))
    _changed([measure.pk])
    return measure


@transaction.atomic
def return_measure(measure_id: int, actor, reason: str, *, check=True) -> Measure:
    """退回: back to 整改中, with a required reason, to the submitter and the responsible person."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"comment": _("Say why the measure is returned.")})
    measure = _begin(measure_id, actor, "return", check)
    _step(measure, actor, "return", S.IN_PROGRESS, reason)
    _notify_department(measure, actor, _("Returned"), reason)
    _changed([measure.pk])
    return measure


def _notify_department(measure: Measure, actor, what: str, text: str = ""):
    last_submit = (
        SignoffStep.objects.filter(measure=measure, action="submit").select_related("actor").order_by("-id").first()
    )
    users = [last_submit.actor if last_submit else None]
    if measure.responsible_person and measure.responsible_person.user:
        users.append(measure.responsible_person.user)
    notify(users, _title(measure, what), text, _link(measure), exclude=actor)


TRANSITION_SERVICES = {
    "start": start,
    "submit": submit,
    "leader_approve": leader_approve,
    "office_confirm": office_confirm,
    "stage_complete": stage_complete,
    "return": return_measure,
}
