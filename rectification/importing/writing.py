"""Writing a valid import: all or nothing, in one transaction, with history records that
name the importer and "导入" as the reason; ledger_changed after commit."""

from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

from ..models import InspectionRound, Measure, Problem
from ..signals import announce_change
from .validation import validate

CHANGE_REASON = "导入"


class ImportInvalid(Exception):
    """The file was read but is not valid: nothing was written. Carries the preview."""

    def __init__(self, preview):
        super().__init__(_("The file has errors; nothing was imported."))
        self.preview = preview


@dataclass
class ImportResult:
    round: InspectionRound
    problems: int
    measures: int
    measure_ids: list


def import_feedback_xlsx(data: bytes, round: InspectionRound, actor=None, mapping: dict | None = None) -> ImportResult:
    """Validate and, if the whole file is valid, write it: all or nothing.

    History records carry `actor` as the user and "导入" as the reason; ledger_changed is
    sent once the transaction has committed. `mapping` is the office's correction of the
    columns, as previewed.
    """
    with transaction.atomic():
        # Lock the round so two imports into it cannot number their problems alike.
        round = InspectionRound.objects.select_for_update().get(pk=round.pk)
        preview = validate(data, round, mapping)
        if not preview.ok:
            raise ImportInvalid(preview)
        actor = actor if getattr(actor, "pk", None) else None
        problems = _write_problems(preview, round, actor)
        measures = _write_measures(preview, problems, actor)
        ids = [m.pk for m in measures]
        announce_change(ids)
    return ImportResult(round=round, problems=len(problems), measures=len(measures), measure_ids=ids)


def _write_problems(preview, round: InspectionRound, actor) -> list[Problem]:
    problems = [
        Problem(round=round, number=p.number, category=p.category, description=p.description) for p in preview.problems
    ]
    problems = bulk_create_with_history(
        problems, Problem, batch_size=500, default_user=actor, default_change_reason=CHANGE_REASON
    )
    if any(p.pk is None for p in problems):  # databases that return no ids from bulk inserts
        by_number = dict(Problem.objects.filter(round=round).values_list("number", "id"))
        for p in problems:
            p.pk = p.id = by_number[p.number]
    return problems


def _measure(r, problem: Problem) -> Measure:
    return Measure(
        problem=problem,
        number=r.measure_number,
        goal=r.values.get("goal", ""),
        description=r.values["measure"],
        responsible_leader=r.leader,
        lead_department=r.lead,
        responsible_person=r.person,
        term=r.term,
        deadline=r.deadline,
        status=Measure.Status.NOT_STARTED,
        note="\n".join(t for t in (r.values.get("note", ""), r.extra_note) if t),
    )


def _write_measures(preview, problems: list[Problem], actor) -> list[Measure]:
    """The measures, their partner departments, and the history of both."""
    rows = [r for p in preview.problems for r in p.rows]
    by_draft = zip(preview.problems, problems, strict=True)
    measures = [_measure(r, problem) for draft, problem in by_draft for r in draft.rows]
    measures = Measure.objects.bulk_create(measures, batch_size=500)
    through = Measure.partner_departments.through
    links = [
        through(measure_id=m.pk, department_id=d.pk) for m, r in zip(measures, rows, strict=True) for d in r.partners
    ]
    links = through.objects.bulk_create(links, batch_size=1000)
    history = get_history_manager_for_model(Measure).bulk_history_create(
        measures, batch_size=500, default_user=actor, default_change_reason=CHANGE_REASON
    )
    _partner_history(history or [], links)
    return measures


def _partner_history(history, links):
    """The partner departments in each new history record, as simple-history keeps them."""
    if not links:
        return
    m2m_model = apps.get_model("rectification", "HistoricalMeasure_partner_departments")
    if any(h.pk is None for h in history):
        history = list(Measure.history.filter(id__in=[h.id for h in history], history_type="+"))
    by_measure = {h.id: h for h in history}
    m2m_model.objects.bulk_create(
        [
            m2m_model(
                history=by_measure[link.measure_id],
                id=link.pk,
                measure_id=link.measure_id,
                department_id=link.department_id,
            )
            for link in links
        ],
        batch_size=1000,
    )
