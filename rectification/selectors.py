"""Read queries on the ledger shared by views, the dashboard, reminders and reports."""

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import translation

from cadres.roles import LEADER, has_role
from cadres.scoping import visible_department_ids
from cadres.selectors import cadre_for
from core import calendar, dates

from .deadlines import overdue_q
from .models import Evidence, Extension, InspectionRound, Measure, Problem, Progress, SignoffStep

AREA = "rectification"


def measures_for_list() -> QuerySet:
    return Measure.objects.select_related(
        "problem__round", "responsible_leader", "lead_department", "responsible_person"
    )


def visibility_q(user) -> Q | None:
    """The condition for measures the user may see, or None for every measure.

    Lead or partner department in the user's scope (own department; a leader's overseen
    departments); a leader also sees the measures they are the responsible leader of,
    and anyone the measures they are the responsible person of. Written with a subquery
    on the partner table rather than a join, so that no DISTINCT is needed.
    """
    ids = visible_department_ids(user, AREA)
    if ids is None:
        return None
    partners = Measure.partner_departments.through.objects.filter(department_id__in=ids).values("measure_id")
    condition = Q(lead_department_id__in=ids) | Q(pk__in=partners)
    cadre = cadre_for(user)
    if cadre is not None:
        condition |= Q(responsible_person=cadre)
        if has_role(user, LEADER):
            condition |= Q(responsible_leader=cadre)
    return condition


def visible_measures(user, whole_bureau: bool = False) -> QuerySet:
    """Measures the user may see: lead or partner department in the user's scope.

    A bureau leader sees the departments they oversee by default and may ask for the
    whole bureau (the dashboard's switch); they still act only on their own.
    """
    qs = measures_for_list()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if whole_bureau and has_role(user, LEADER):
        return qs
    condition = visibility_q(user)
    return qs if condition is None else qs.filter(condition)


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


# What a ledger row shows (templates/jinja2/rectification/ledger_body.html): building six
# model instances a row from every column of six tables cost more than the SQL itself.
LEDGER_ROW_FIELDS = (
    "problem__number",
    "problem__description",
    "problem__round__source",
    "number",
    "description",
    "lead_department__name",
    "responsible_leader__name",
    "responsible_person__name",
    "term",
    "deadline",
    "status",
)


def ledger_page(pks) -> list[Measure]:
    """The ledger page's rows for these measure ids, in that order, with what each row shows.

    The ledger pages over narrow ids first (filter, sort, LIMIT on the id alone) and
    fetches the wide rows for one page only: sorting 5,000 rows of text is what made
    the page slow, sorting their ids is not. The latest progress date and the extension
    figures come from two plain queries on the page's ids (four correlated subqueries
    cost more to compile than to run).
    """
    pks = list(pks)
    rows = measures_for_list().filter(pk__in=pks).only(*LEDGER_ROW_FIELDS).order_by()
    by_pk = {m.pk: m for m in rows}
    last = Progress.objects.filter(measure_id__in=pks).values("measure_id").annotate(last=Max("date")).order_by()
    latest = {row["measure_id"]: row["last"] for row in last}
    extensions = Extension.objects.filter(measure_id__in=pks).values_list("measure_id", "status", "days").order_by()
    for m in by_pk.values():
        m.last_progress_date = latest.get(m.pk)
        m.extension_pending, m.extension_count, m.extension_days = False, 0, 0
    for measure_id, status, days in extensions:
        m = by_pk[measure_id]
        if status in Extension.PENDING_STATUSES:
            m.extension_pending = True
        elif status == Extension.Status.APPROVED:
            m.extension_count += 1
            m.extension_days += days
    return [by_pk[pk] for pk in pks if pk in by_pk]


def with_extensions(qs: QuerySet) -> QuerySet:
    """Each measure with `extension_pending` (a request waits for review), `extension_count`
    and `extension_days` (approved extensions: how often, and by how many days in all)."""
    approved = Extension.objects.filter(measure=OuterRef("pk"), status=Extension.Status.APPROVED).order_by()
    totals = approved.values("measure")
    return qs.annotate(
        extension_pending=Exists(
            Extension.objects.filter(measure=OuterRef("pk"), status__in=Extension.PENDING_STATUSES)
        ),
        extension_count=Coalesce(Subquery(totals.annotate(n=Count("id")).values("n")), 0),
        extension_days=Coalesce(Subquery(totals.annotate(n=Sum("days")).values("n")), 0),
    )


def measure_detail(user, pk: int) -> Measure | None:
    """One visible measure with what its page shows, or None (the view answers 404)."""
    return (
        visible_measures(user)
        .select_related("lead_department__overseen_by", "responsible_leader__user", "responsible_person__user")
        .prefetch_related("partner_departments")
        .filter(pk=pk)
        .first()
    )


def progress_and_evidence(measure: Measure) -> tuple[list[Progress], list[Evidence]]:
    """The measure's progress entries (newest first), each with `files` (its evidence, in
    upload order), and all of the measure's evidence (newest first): one query for the
    files serves both lists."""
    evidence = list(Evidence.objects.filter(measure=measure).select_related("uploaded_by__cadre", "progress"))
    entries = list(Progress.objects.filter(measure=measure).select_related("author__cadre").order_by("-date", "-id"))
    by_entry: dict[int, list[Evidence]] = {}
    for item in sorted(evidence, key=lambda e: e.pk):
        by_entry.setdefault(item.progress_id, []).append(item)
    for entry in entries:
        entry.files = by_entry.get(entry.pk, [])
    return entries, evidence


def signoff_steps(measure: Measure) -> QuerySet:
    return SignoffStep.objects.filter(measure=measure).select_related("actor__cadre").order_by("created_at", "id")


def visible_evidence(user, pk: int) -> Evidence | None:
    """An evidence file whose measure the user may see, or None (404)."""
    return Evidence.objects.filter(pk=pk, measure__in=visible_measures(user).values("pk")).first()


def rounds_with_counts(user) -> QuerySet:
    """Every round with the number of problems and of measures this user may see."""
    condition = visibility_q(user)
    measure_filter = Q() if condition is None else Q(problems__measures__in=Measure.objects.filter(condition))
    return InspectionRound.objects.annotate(
        problem_count=Count("problems", distinct=True),
        measure_count=Count("problems__measures", filter=measure_filter, distinct=True),
        closed_count=Count(
            "problems__measures",
            filter=measure_filter & Q(problems__measures__status__in=Measure.DONE_STATUSES),
            distinct=True,
        ),
    ).order_by("-feedback_date", "-id")


def round_problems(user, round_: InspectionRound) -> list[Problem]:
    """The round's problems, each with the measures this user may see (office: all problems)."""
    measures = visible_measures(user).filter(problem__round=round_).order_by("number", "id")
    problems = (
        Problem.objects.filter(round=round_)
        .order_by("number", "id")
        .prefetch_related(Prefetch("measures", queryset=measures, to_attr="visible"))
    )
    everything = visibility_q(user) is None
    return [p for p in problems if everything or p.visible]


def status_counts(qs: QuerySet) -> dict[str, int]:
    return dict(qs.order_by().values_list("status").annotate(n=Count("id")))


def extensions_of(measure: Measure) -> QuerySet:
    """Every extension request of the measure, oldest first, with who took each step."""
    return (
        Extension.objects.filter(measure=measure)
        .select_related("requested_by__cadre", "leader__cadre", "office__cadre")
        .prefetch_related("evidence")
        .order_by("requested_at", "id")
    )


# --- work queues (the home page): what waits for this person ------------------------------

QUEUE_LIMIT = 8


def my_measures(user) -> list[Measure]:
    """The staff member's open measures, most urgent first: overdue (longest first), then due
    soon, then the rest by deadline, then those without a deadline (长期坚持)."""
    today = dates.today()
    soon = calendar.add_workdays(today, settings.DUE_SOON_WORKDAYS)
    measures = list(with_extensions(assigned_to(user)))

    def urgency(m):
        if m.is_done or m.deadline is None:
            return (3, dt.date.max, m.pk)
        if m.deadline < today:
            return (0, m.deadline, m.pk)
        return (1 if m.deadline <= soon else 2, m.deadline, m.pk)

    return sorted(measures, key=urgency)


def _returned_q() -> Q:
    """In progress again after a review sent it back (退回): the last step was a return."""
    last = SignoffStep.objects.filter(measure=OuterRef("pk")).order_by("-created_at", "-id").values("action")[:1]
    return Q(
        pk__in=Measure.objects.annotate(last_step=Subquery(last))
        .filter(last_step=SignoffStep.Action.RETURN)
        .values("pk")
    )


def _ready_q() -> Q:
    """In progress, and the latest progress entry reports 100%: ready to request sign-off."""
    last = Progress.objects.filter(measure=OuterRef("pk")).order_by("-date", "-id").values("percent")[:1]
    return Q(
        status=Measure.Status.IN_PROGRESS,
        pk__in=Measure.objects.annotate(last_percent=Subquery(last)).filter(last_percent=100).values("pk"),
    )


QUEUE_CONDITIONS = {
    "unassigned": lambda: Q(responsible_person__isnull=True) & ~Q(status__in=Measure.DONE_STATUSES),
    "returned": lambda: Q(status=Measure.Status.IN_PROGRESS) & _returned_q(),
    "ready": _ready_q,
}


def queue_q(name: str) -> Q:
    """The condition of one of the head's queues (the ledger's ?queue= filter)."""
    return QUEUE_CONDITIONS[name]()


def department_queue(user) -> dict[str, tuple[list[Measure], int]] | None:
    """A department head's queues over the measures their department leads:
    {name: (first measures, count)} for unassigned, returned, ready, extension, overdue."""
    cadre = cadre_for(user)
    if cadre is None or cadre.department_id is None:
        return None
    today = dates.today()
    mine = with_extensions(measures_for_list().filter(lead_department_id=cadre.department_id))
    pending = Extension.objects.filter(status__in=Extension.PENDING_STATUSES).values("measure_id")
    queues = {
        "unassigned": mine.filter(queue_q("unassigned")).order_by("deadline", "id"),
        "returned": mine.filter(queue_q("returned")).order_by("deadline", "id"),
        "ready": mine.filter(queue_q("ready")).order_by("deadline", "id"),
        "extension": mine.filter(pk__in=pending).order_by("deadline", "id"),
        "overdue": mine.filter(overdue_q(today)).order_by("deadline", "id"),
    }
    return {name: (list(qs[:QUEUE_LIMIT]), qs.count()) for name, qs in queues.items()}


def reviews_q(cadre) -> Q:
    """Measures this leader reviews: the responsible leader, or the overseer of the lead department."""
    return Q(responsible_leader=cadre) | Q(lead_department__overseen_by=cadre)


def leader_queue(user) -> dict[str, tuple[list[Measure], int]] | None:
    """What waits for a bureau leader: sign-off requests to review, extension requests to decide."""
    cadre = cadre_for(user) if has_role(user, LEADER) else None
    if cadre is None:
        return None
    theirs = with_extensions(measures_for_list().filter(reviews_q(cadre)))
    waiting = Extension.objects.filter(status=Extension.Status.LEADER_REVIEW).values("measure_id")
    queues = {
        "signoff": theirs.filter(status=Measure.Status.SUBMITTED).order_by("updated_at", "id"),
        "extension": theirs.filter(pk__in=waiting).order_by("deadline", "id"),
    }
    return {name: (list(qs[:QUEUE_LIMIT]), qs.count()) for name, qs in queues.items()}


def office_queue() -> dict[str, tuple[list, int]]:
    """What waits for the campaign office: sign-offs and extensions to confirm, rounds to import."""
    everything = with_extensions(measures_for_list())
    waiting = Extension.objects.filter(status=Extension.Status.OFFICE_REVIEW).values("measure_id")
    rounds = InspectionRound.objects.annotate(n=Count("problems")).filter(n=0).order_by("-feedback_date", "-id")
    queues = {
        "confirm": everything.filter(status=Measure.Status.LEADER_APPROVED).order_by("updated_at", "id"),
        "extension": everything.filter(pk__in=waiting).order_by("deadline", "id"),
        "rounds": rounds,
    }
    return {name: (list(qs[:QUEUE_LIMIT]), qs.count()) for name, qs in queues.items()}


# --- the ledger filter's choice lists ---------------------------------------------------

FILTER_CHOICES_KEY = "rectification:filter-choices:{lang}"
# A backstop for writes that send no signal (bulk_create, raw SQL): stale for at most this long.
FILTER_CHOICES_SECONDS = 600


def filter_choices(form, names=("round", "department", "leader")) -> dict[str, list[tuple[str, str]]]:
    """The (value, label) options of the ledger filter's model selects, from the cache.

    The same for every user (rounds, active departments, leaders), so one copy serves
    everyone until a round, department or cadre is saved or deleted (forget_filter_choices,
    connected in signals.py). Read from the form's own querysets, so the options and the
    validation agree."""
    key = FILTER_CHOICES_KEY.format(lang=translation.get_language())
    choices = cache.get(key)
    if choices is None:
        choices = {}
        for name in names:
            field = form.fields[name]
            choices[name] = [(str(obj.pk), str(field.label_from_instance(obj))) for obj in field.queryset]
        cache.set(key, choices, FILTER_CHOICES_SECONDS)
    return choices


def forget_filter_choices(**_kwargs) -> None:
    cache.delete_many([FILTER_CHOICES_KEY.format(lang=code) for code, _name in settings.LANGUAGES])
