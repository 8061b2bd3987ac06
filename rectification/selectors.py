"""Read queries on the ledger shared by views, the dashboard, reminders and reports."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from cadres.roles import LEADER, has_role
from cadres.scoping import visible_department_ids
from cadres.selectors import cadre_for

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


def ledger_page(pks) -> list[Measure]:
    """The ledger page's rows for these measure ids, in that order, with what each row shows.

    The ledger pages over narrow ids first (filter, sort, LIMIT on the id alone) and
    fetches the wide rows for one page only: sorting 5,000 rows of text is what made
    the page slow, sorting their ids is not.
    """
    pks = list(pks)
    last = Progress.objects.filter(measure=OuterRef("pk")).order_by("-date")
    rows = with_extensions(
        measures_for_list().filter(pk__in=pks).annotate(last_progress_date=Subquery(last.values("date")[:1]))
    )
    by_pk = {m.pk: m for m in rows}
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


def progress_entries(measure: Measure) -> QuerySet:
    return (
        Progress.objects.filter(measure=measure)
        .select_related("author__cadre")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("id")))
        .order_by("-date", "-id")
    )


def evidence_files(measure: Measure) -> QuerySet:
    return Evidence.objects.filter(measure=measure).select_related("uploaded_by__cadre", "progress")


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
