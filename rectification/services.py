"""Writes to the ledger outside the sign-off workflow (workflow.py): rounds, problems,
measures, 延期 and progress with its evidence. One transaction each, history with the
actor (history.save_as), a ledger_changed signal after commit (signals.announce_change).

Views, commands and tasks call these; they check permissions themselves (pass
check=False from trusted code such as the demo or an import that checked already).
A department changes only its own fields of a measure (OFFICE_FIELDS are the office's):
its deadline moves through an extension request (extensions.py). When the office moves a
deadline on the edit form, the reason is kept in the history and a later date counts as
an extension.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cadres.roles import is_office
from core import dates

from . import evidence as evidence_files
from . import extensions, permissions, uploads, wording, workflow
from .history import save_as
from .models import InspectionRound, Measure, Problem, Progress
from .signals import announce_change

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


# What only the campaign office changes: where the measure belongs, who answers for it,
# its term and its deadline (and its partner departments, which then see and edit it).
OFFICE_FIELDS = ["problem", "responsible_leader", "lead_department", "term", "deadline"]


class ConflictError(Exception):
    """Someone saved the measure after the editor opened it."""

    def __init__(self, current: Measure):
        super().__init__("version conflict")
        self.current = current


# --- rounds and problems --------------------------------------------------------------


@transaction.atomic
def save_round(round_: InspectionRound, actor, *, check=True) -> InspectionRound:
    if check and not permissions.can_create(actor):
        raise PermissionDenied(_("Only the campaign office may set up inspection rounds."))
    round_.save()
    return round_


@transaction.atomic
def save_problem(problem: Problem, actor, *, check=True) -> Problem:
    if check and not permissions.can_create(actor):
        raise PermissionDenied(_("Only the campaign office may record problems."))
    save_as(problem, actor)
    announce_change(list(problem.measures.values_list("pk", flat=True)) if problem.pk else [])
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
        raise PermissionDenied(_("Only the campaign office may create measures."))
    measure = Measure(**{k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    if not data.get("number"):
        measure.number = next_measure_number(measure.problem)
    _validate_measure(measure, partner_departments)
    save_as(measure, actor)
    if partner_departments:
        measure.partner_departments.set(partner_departments)
    announce_change([measure.pk])
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
        raise PermissionDenied(_("You may not change this measure."))
    if measure.version != expected_version:
        raise ConflictError(measure)
    old_deadline = measure.deadline
    old_partners = set(measure.partner_departments.values_list("pk", flat=True))
    for field, value in data.items():
        if field in EDITABLE_FIELDS:
            setattr(measure, field, value)
    partners = list(partner_departments) if partner_departments is not None else None
    if check and not is_office(actor):
        _refuse_office_changes(measure, data, partners, old_partners)
    reason = (reason or "").strip()
    if measure.deadline != old_deadline and not reason:
        raise ValidationError({"deadline_reason": _("Say why the deadline changes.")})
    if partners is None:
        partners = list(measure.partner_departments.all())
    _validate_measure(measure, partners)
    if measure.deadline != old_deadline:
        extensions.settle_after_edit(measure, old_deadline, actor, reason)
        reason = _("Deadline changed: %(reason)s") % {"reason": reason}
    measure.version += 1
    save_as(measure, actor, reason=reason[:100] if reason else "")
    if {d.pk for d in partners} != old_partners:
        measure._history_user = actor
        measure.partner_departments.set(partners)
    announce_change([measure.pk])
    return measure


def _refuse_office_changes(measure: Measure, data: dict, partners, old_partners: set) -> None:
    """A department may not move the measure, its term, deadline or partner departments."""
    original = Measure.objects.get(pk=measure.pk)
    changed = [f for f in OFFICE_FIELDS if f in data and getattr(measure, f) != getattr(original, f)]
    if partners is not None and {d.pk for d in partners} != old_partners:
        changed.append("partner_departments")
    if changed:
        labels = wording.join(Measure._meta.get_field(f).verbose_name for f in changed)
        raise PermissionDenied(
            _("Only the campaign office changes %(fields)s. To move the deadline, request an extension.")
            % {"fields": labels}
        )


@transaction.atomic
def change_deadline(measure_id: int, actor, deadline: dt.date | None, reason: str, *, check=True) -> Measure:
    """The office changes a deadline outside the edit form (commands, tasks): a reason is
    required; a later date counts as an extension."""
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
    existing = Progress.objects.filter(submission_token=token).first() if token is not None else None
    if existing is not None:
        return existing, False
    with evidence_files.removed_on_error() as stored, transaction.atomic():
        measure = Measure.objects.select_for_update(of=("self",)).select_related("lead_department").get(pk=measure_id)
        if check and not permissions.can_add_progress(actor, measure):
            raise PermissionDenied(_("You may not add progress to this measure."))
        uploads.refuse_duplicates(measure, checked)
        date = date or dates.today()
        if date > dates.today():
            raise ValidationError({"date": _("The date of a progress entry cannot be in the future.")})
        entry, created = _new_entry(measure, actor, date=date, text=text.strip(), percent=percent, token=token)
        if not created:
            return entry, False
        stored += [evidence_files.store(item, measure=measure, progress=entry, user=actor) for item in checked]
        if measure.status == S.NOT_STARTED:
            workflow.record_step(measure, actor, workflow.Action.START, _("Started with the first progress entry."))
        announce_change([measure.pk])
    return entry, True


def _new_entry(measure: Measure, actor, *, date, text, percent, token) -> tuple[Progress, bool]:
    """The entry, or the one a concurrent double submit with the same token saved first."""
    try:
        with transaction.atomic():
            entry = Progress.objects.create(
                measure=measure, date=date, text=text, percent=percent, author=actor, submission_token=token
            )
    except IntegrityError:
        existing = Progress.objects.filter(submission_token=token).first()
        if existing is None:
            raise
        return existing, False
    return entry, True
