"""The ledger's filters: one definition for the ledger page, its export, and every
dashboard figure that links to it (a figure's count equals the ledger's count).

Query parameters (a contract: the dashboard and reports build links with them):
  source, round, department (lead or partner), leader, person, status (repeatable),
  term, flag=overdue|due_soon|open|done, q (problem and measure text), mine=1,
  closed_month=YYYY-MM, overdue_min / overdue_max (days overdue), scope=all (leaders), sort.
Added for the dashboard (campaign/dashboard/):
  lead_department (the lead department only, not partners: completion by department),
  progress_month=YYYY-MM (measures with at least one progress entry dated in that month),
  reviewer=<leader cadre id> (measures that leader reviews: responsible leader, or overseer
  of the lead department; with status=submitted: "sign-offs waiting for me").
Added for deadline extensions (延期): extension=pending|leader_review|office_review|extended
  (a request waiting for review, for the leader, for the office; extended at least once).
Added for the home page's queues: queue=unassigned|returned|ready (no responsible person;
  returned by a review; latest progress at 100% and not yet submitted).
"""

import datetime as dt

import django_filters as filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre, Department
from core import dates

from . import deadlines
from .models import Extension, InspectionRound, Measure, Problem, Progress
from .selectors import queue_q

FLAG_CHOICES = [
    ("overdue", _("overdue")),
    ("due_soon", _("due soon")),
    ("open", _("not signed off")),
    ("done", _("signed off or stage complete")),
]

SORTS = {
    "deadline": ("deadline", "id"),
    "-deadline": ("-deadline", "-id"),
    "status": ("status", "id"),
    "-status": ("-status", "-id"),
    "department": ("lead_department__order", "id"),
    "-department": ("-lead_department__order", "-id"),
    "number": ("problem__round", "problem__number", "number", "id"),
    "-number": ("-problem__round", "-problem__number", "-number", "-id"),
    "-updated": ("-updated_at", "-id"),
}
DEFAULT_SORT = "number"


def apply_sort(qs, key: str | None):
    """Order the ledger by one of SORTS (unknown keys fall back to the ledger order)."""
    key = key if key in SORTS else DEFAULT_SORT
    return qs.order_by(*SORTS[key]), key


def _month(value: str) -> tuple[dt.date, dt.date] | None:
    """'2026-03' -> (2026-03-01, 2026-04-01): the month's first day and the next month's; None if invalid."""
    try:
        first, last = dates.parse_month(value)
    except ValueError:
        return None
    return first, last + dt.timedelta(days=1)


EXTENSION_CHOICES = [
    ("pending", _("extension requested")),
    ("leader_review", _("extension waiting for the leader")),
    ("office_review", _("extension waiting for the office")),
    ("extended", _("extended")),
]


class MeasureFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_text", label=_("Search"))
    source = filters.ChoiceFilter(
        field_name="problem__round__source",
        choices=InspectionRound.Source.choices,
        label=_("Source"),
        empty_label=_("All sources"),
    )
    round = filters.ModelChoiceFilter(
        field_name="problem__round",
        queryset=InspectionRound.objects.all(),
        label=_("Inspection round"),
        empty_label=_("All rounds"),
    )
    department = filters.ModelChoiceFilter(
        queryset=Department.objects.filter(active=True),
        method="filter_department",
        label=_("Department"),
        empty_label=_("All departments"),
    )
    leader = filters.ModelChoiceFilter(
        field_name="responsible_leader",
        queryset=Cadre.objects.filter(is_leader=True),
        label=_("Responsible leader"),
        empty_label=_("All leaders"),
    )
    person = filters.ModelChoiceFilter(
        field_name="responsible_person",
        queryset=Cadre.objects.all(),
        label=_("Responsible person"),
        widget=filters.widgets.forms.HiddenInput,
    )
    status = filters.MultipleChoiceFilter(choices=Measure.Status.choices, label=_("Status"))
    term = filters.ChoiceFilter(choices=Measure.Term.choices, label=_("Term"), empty_label=_("All terms"))
    flag = filters.ChoiceFilter(
        choices=FLAG_CHOICES, method="filter_flag", label=_("Deadline"), empty_label=_("Any deadline")
    )
    closed_month = filters.CharFilter(
        method="filter_closed_month", label=_("Closed in month"), widget=filters.widgets.forms.HiddenInput
    )
    overdue_min = filters.NumberFilter(method="filter_overdue_min", widget=filters.widgets.forms.HiddenInput)
    overdue_max = filters.NumberFilter(method="filter_overdue_max", widget=filters.widgets.forms.HiddenInput)
    # Dashboard links (campaign/dashboard/): the lead department alone, and progress logged in a month.
    lead_department = filters.ModelChoiceFilter(
        field_name="lead_department",
        queryset=Department.objects.all(),
        label=_("Lead department"),
        widget=filters.widgets.forms.HiddenInput,
    )
    progress_month = filters.CharFilter(
        method="filter_progress_month", label=_("Progress logged in month"), widget=filters.widgets.forms.HiddenInput
    )
    reviewer = filters.ModelChoiceFilter(
        queryset=Cadre.objects.filter(is_leader=True),
        method="filter_reviewer",
        label=_("Reviewing leader"),
        widget=filters.widgets.forms.HiddenInput,
    )

    extension = filters.ChoiceFilter(
        choices=EXTENSION_CHOICES,
        method="filter_extension",
        label=_("Extension"),
        widget=filters.widgets.forms.HiddenInput,
    )

    queue = filters.ChoiceFilter(
        choices=[
            ("unassigned", _("no responsible person")),
            ("returned", _("returned")),
            ("ready", _("ready to request sign-off")),
        ],
        method="filter_queue",
        label=_("Work queue"),
        widget=filters.widgets.forms.HiddenInput,
    )

    class Meta:
        model = Measure
        fields: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            widget = field.widget
            if widget.is_hidden or getattr(widget, "allow_multiple_selected", False):
                continue
            is_select = isinstance(widget, forms.Select)
            widget.attrs.setdefault(
                "class", "form-select form-select-sm" if is_select else "form-control form-control-sm"
            )
            # The filter bar shows no <label>s: each control is named for screen readers.
            widget.attrs.setdefault("aria-label", str(field.label))
        self.form.fields["q"].widget.attrs["placeholder"] = _("Problem or measure text")

    def filter_text(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        # Text without letter case (Chinese, digits) matches the same either way: a plain
        # LIKE then spares PostgreSQL an UPPER() of every text on every row (4 × slower).
        # The problems are searched once each in a subquery, not once per joined measure.
        lookup = "icontains" if value.upper() != value.lower() else "contains"
        problems = Problem.objects.filter(
            Q(**{f"description__{lookup}": value}) | Q(**{f"category__{lookup}": value})
        ).values("pk")
        return qs.filter(
            Q(**{f"description__{lookup}": value}) | Q(**{f"goal__{lookup}": value}) | Q(problem__in=problems)
        )

    def filter_department(self, qs, name, value):
        # A subquery on the partner table instead of a join: no DISTINCT over the ledger.
        partners = Measure.partner_departments.through.objects.filter(department=value).values("measure_id")
        return qs.filter(Q(lead_department=value) | Q(pk__in=partners))

    def filter_flag(self, qs, name, value):
        on = dates.today()
        condition = {
            "overdue": deadlines.overdue_q(on),
            "due_soon": deadlines.due_soon_q(on),
            "open": ~Q(status=Measure.Status.CLOSED),
            "done": Q(status__in=Measure.DONE_STATUSES),
        }[value]
        return qs.filter(condition)

    def filter_closed_month(self, qs, name, value):
        month = _month(value)
        if month is None:
            return qs.none()
        first, following = month
        return qs.filter(status=Measure.Status.CLOSED, completed_on__gte=first, completed_on__lt=following)

    def filter_overdue_min(self, qs, name, value):
        # at least `value` days overdue: deadline <= today - value
        on = dates.today()
        return qs.filter(deadlines.unfinished_q(), deadline__lte=on - dt.timedelta(days=int(value)))

    def filter_progress_month(self, qs, name, value):
        month = _month(value)
        if month is None:
            return qs.none()
        first, following = month
        logged = Progress.objects.filter(date__gte=first, date__lt=following).values("measure_id")
        return qs.filter(pk__in=logged)

    def filter_reviewer(self, qs, name, value):
        # The leader who reviews a sign-off request (rectification.workflow.may_leader_review).
        return qs.filter(Q(responsible_leader=value) | Q(lead_department__overseen_by=value))

    def filter_queue(self, qs, name, value):
        return qs.filter(queue_q(value))

    def filter_extension(self, qs, name, value):
        statuses = {
            "pending": Extension.PENDING_STATUSES,
            "leader_review": [Extension.Status.LEADER_REVIEW],
            "office_review": [Extension.Status.OFFICE_REVIEW],
            "extended": [Extension.Status.APPROVED],
        }[value]
        return qs.filter(pk__in=Extension.objects.filter(status__in=statuses).values("measure_id"))

    def filter_overdue_max(self, qs, name, value):
        on = dates.today()
        return qs.filter(deadlines.unfinished_q(), deadline__gte=on - dt.timedelta(days=int(value)))
