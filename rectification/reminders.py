"""The ledger's reminder rules for the daily sweep (registered with core.reminders).

三色预警 (thresholds are settings; colours from rectification.deadlines):

- 绿色 (deadline within WARNING_GREEN_DAYS): the responsible person, once per deadline.
- 黄色 (within WARNING_YELLOW_DAYS): the responsible person once, and also the head of the
  lead department and its overseeing leader (分管领导), once each. In the last
  DUE_SOON_WORKDAYS working days (临期) the responsible person is reminded every working day.
- 红色 (overdue): the responsible person every working day; the department head, the
  overseeing leader and the bureau's main leader (the 组长) weekly, not daily.
- A sign-off request waiting more than REMINDER_SIGNOFF_WAIT_WORKDAYS working days: the
  reviewer whose turn it is (申请销号 → the responsible leader, else the overseeing leader;
  责任领导已审核 → the campaign office), every working day until it moves.
- A 长期坚持 measure with no progress for REMINDER_LONG_TERM_REPORT_DAYS days: its periodic
  report is due; the responsible person, weekly.
- A deadline extension request (延期申请) waiting for review: the reviewer whose turn it is
  (待责任领导审批 → the responsible leader, else the overseeing leader; 待办公室确认 → the
  campaign office), every working day from the day after it reached them.

A measure without a responsible person (or whose person has no account) reminds the head
of its lead department instead. Every rule makes a fixed number of queries, whatever the
number of measures.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres import roles
from cadres.models import Cadre, Department
from cadres.selectors import in_official_order
from core import calendar
from core import reminders as registry
from core.reminders import DAILY, ONCE, WEEKLY, Item

from .deadlines import GREEN, RED, YELLOW, due_soon_q, warning_q
from .models import Extension, Measure, SignoffStep

S = Measure.Status

# What the sweep asks for: `core.reminders.provide("main_leader_user_id", func(day))`.
MAIN_LEADER = "main_leader_user_id"


def _measure_link(pk: int) -> str:
    return reverse("rectification:measure_detail", args=[pk])


def main_leader_user_id(day: dt.date) -> int | None:
    """The bureau's main leader: the 组长 of the leadership group (provided by the campaign
    app), else the MAIN_LEADER_USERNAME setting, else the principal bureau leader."""
    user_id = registry.resolve(MAIN_LEADER, day)
    if user_id:
        return user_id
    users = get_user_model().objects.filter(is_active=True)
    if settings.MAIN_LEADER_USERNAME:
        user_id = users.filter(username=settings.MAIN_LEADER_USERNAME).values_list("pk", flat=True).first()
        if user_id:
            return user_id
    principal = in_official_order(
        Cadre.objects.filter(is_leader=True, active=True, post_level=Cadre.PostLevel.PRINCIPAL, user__is_active=True)
    )
    return principal.values_list("user_id", flat=True).first()


def department_heads() -> dict[int, list[int]]:
    """{department id: [user ids of its head(s)]}: the principal of the department, or whoever
    holds the 科室负责人 role there. One query."""
    rows = (
        Cadre.objects.filter(active=True, is_leader=False, user__isnull=False, user__is_active=True)
        .filter(Q(post_level=Cadre.PostLevel.PRINCIPAL) | Q(user__groups__name=roles.HEAD))
        .values_list("department_id", "user_id")
        .distinct()
    )
    heads: dict[int, list[int]] = {}
    for department_id, user_id in rows:
        heads.setdefault(department_id, [])
        if user_id not in heads[department_id]:
            heads[department_id].append(user_id)
    return heads


def overseeing_leaders() -> dict[int, int]:
    """{department id: user id of its overseeing leader (分管领导)}. One query."""
    return dict(
        Department.objects.filter(
            overseen_by__isnull=False, overseen_by__user__isnull=False, overseen_by__user__is_active=True
        ).values_list("pk", "overseen_by__user_id")
    )


MEASURE_FIELDS = (
    "pk",
    "number",
    "problem__number",
    "description",
    "deadline",
    "status",
    "lead_department_id",
    "lead_department__name",
    "responsible_person__name",
    "responsible_person__user_id",
    "responsible_person__user__is_active",
    "responsible_leader__user_id",
    "responsible_leader__user__is_active",
)


def _summary(row) -> str:
    description = " ".join(row["description"].split())
    if len(description) > 40:
        description = description[:40] + "…"
    return f"{row['problem__number']}.{row['number']} {description}"


def _who(row) -> str:
    person = row["responsible_person__name"] or _("no responsible person yet")
    return _("lead: %(department)s, responsible: %(person)s") % {
        "department": row["lead_department__name"],
        "person": person,
    }


def _person(row) -> int | None:
    if row["responsible_person__user_id"] and row["responsible_person__user__is_active"]:
        return row["responsible_person__user_id"]
    return None


def _deadline_text(row, colour: str, day: dt.date) -> str:
    left = (row["deadline"] - day).days
    when = row["deadline"].isoformat()
    if colour == RED:
        state = _("overdue by %(days)s days (deadline %(date)s)") % {"days": -left, "date": when}
    elif left == 0:
        state = _("due today (%(date)s)") % {"date": when}
    else:
        state = _("%(days)s days left (deadline %(date)s)") % {"days": left, "date": when}
    return f"{_summary(row)} · {state} · {_who(row)}"


@registry.register_rule("rectification.deadlines")
def deadline_reminders(day: dt.date):
    """Green, yellow and red warnings for open measures with a deadline (三色预警)."""
    heads = department_heads()
    overseers = overseeing_leaders()
    # Asked for once, and only when a red warning needs them.
    main_leader = functools.cache(lambda: main_leader_user_id(day) or 0)
    due_soon = set(Measure.objects.filter(due_soon_q(day)).values_list("pk", flat=True))
    query = warning_q(RED, day) | warning_q(YELLOW, day) | warning_q(GREEN, day)
    for row in Measure.objects.filter(query).values(*MEASURE_FIELDS).order_by("deadline", "pk"):
        left = (row["deadline"] - day).days
        colour = RED if left < 0 else YELLOW if left <= settings.WARNING_YELLOW_DAYS else GREEN
        department = row["lead_department_id"]
        person = _person(row)
        front = [person] if person else heads.get(department, [])
        above = [*heads.get(department, []), overseers.get(department)]
        if colour == RED:
            above.append(main_leader())
        to = _deadline_recipients(colour, row, front, above, row["pk"] in due_soon)
        text = _deadline_text(row, colour, day)
        for user_id, (kind, repeat, anchor) in to.items():
            yield Item(
                recipient_id=user_id,
                key=f"measure:{row['pk']}",
                kind=kind,
                colour=colour,
                deadline=row["deadline"],
                text=text,
                link=_measure_link(row["pk"]),
                repeat=repeat,
                anchor=anchor,
            )


def _deadline_recipients(colour: str, row, front: list, above: list, due_soon: bool) -> dict:
    """recipient -> (kind, repeat, anchor); the first role a person holds wins.

    `front`: the responsible person (else the department's heads); `above`: the heads and
    the overseeing leader (and for red, the main leader)."""
    to: dict[int, tuple[str, str, dt.date | None]] = {}

    def add(user_ids, kind, repeat, anchor=None):
        for user_id in user_ids:
            if user_id and user_id not in to:
                to[user_id] = (kind, repeat, anchor)

    if colour == RED:
        add(front, "deadline.red", DAILY)
        add(above, "deadline.red.escalated", WEEKLY, row["deadline"] + dt.timedelta(days=1))
    elif colour == YELLOW:
        add(front, *(("deadline.due_soon", DAILY) if due_soon else ("deadline.yellow", ONCE)))
        add(above, "deadline.yellow.escalated", ONCE)
    else:
        add(front, "deadline.green", ONCE)
    return to


def wait_cutoff(day: dt.date, wait: int) -> dt.date:
    """The first start date that has NOT waited more than `wait` working days by `day`:
    calendar.workdays_between(start, day) > wait exactly when start < wait_cutoff(day, wait).
    (One short walk back through the calendar instead of one walk per request.)"""
    found = 0
    current = day
    while True:
        if calendar.is_workday(current):
            found += 1
            if found == wait + 1:
                return current
        current -= dt.timedelta(days=1)


@registry.register_rule("rectification.signoff")
def signoff_reminders(day: dt.date):
    """Sign-off requests waiting too long, to the reviewer whose turn it is."""
    wait = settings.REMINDER_SIGNOFF_WAIT_WORKDAYS
    since = (
        SignoffStep.objects.filter(measure=OuterRef("pk"), to_status=OuterRef("status"))
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )
    rows = (
        Measure.objects.filter(status__in=[S.SUBMITTED, S.LEADER_APPROVED])
        .annotate(since=Subquery(since))
        .values(*MEASURE_FIELDS, "since", "updated_at")
        .order_by("pk")
    )
    cutoff = wait_cutoff(day, wait)
    overseers = None
    office = None
    for row in rows:
        started = timezone.localtime(row["since"] or row["updated_at"]).date()
        if started >= cutoff:
            continue
        if row["status"] == S.SUBMITTED:
            reviewers = []
            if row["responsible_leader__user_id"] and row["responsible_leader__user__is_active"]:
                reviewers = [row["responsible_leader__user_id"]]
            else:
                if overseers is None:
                    overseers = overseeing_leaders()
                if overseers.get(row["lead_department_id"]):
                    reviewers = [overseers[row["lead_department_id"]]]
            kind = "signoff.leader_review"
            what = _("sign-off requested on %(date)s, waiting for the responsible leader's review")
        else:
            if office is None:
                office = list(roles.office_users().values_list("pk", flat=True))
            reviewers = office
            kind = "signoff.office_confirm"
            what = _("approved by the leader on %(date)s, waiting for the campaign office to confirm")
        text = f"{_summary(row)} · {what % {'date': started.isoformat()}} · {_who(row)}"
        for user_id in reviewers:
            yield Item(
                recipient_id=user_id,
                key=f"measure:{row['pk']}",
                kind=kind,
                colour=registry.TODO,
                deadline=started,
                text=text,
                link=_measure_link(row["pk"]),
                repeat=DAILY,
            )


@registry.register_rule("rectification.long_term_reports")
def long_term_report_reminders(day: dt.date):
    """长期坚持 measures whose periodic progress report is due."""
    every = settings.REMINDER_LONG_TERM_REPORT_DAYS
    heads = None
    rows = (
        Measure.objects.filter(term=Measure.Term.LONG_TERM)
        .exclude(status=S.CLOSED)
        .annotate(last_report=Max("progress__date"))
        .values(*MEASURE_FIELDS, "last_report", "created_at")
        .order_by("pk")
    )
    for row in rows:
        last = row["last_report"] or timezone.localtime(row["created_at"]).date()
        due = last + dt.timedelta(days=every)
        if due > day:
            continue
        person = _person(row)
        if person:
            recipients = [person]
        else:
            if heads is None:
                heads = department_heads()
            recipients = heads.get(row["lead_department_id"], [])
        if row["last_report"]:
            what = _("long-term measure: periodic progress report due since %(due)s (last report %(last)s)") % {
                "due": due.isoformat(),
                "last": last.isoformat(),
            }
        else:
            what = _("long-term measure: periodic progress report due since %(due)s (no report yet)") % {
                "due": due.isoformat()
            }
        for user_id in recipients:
            yield Item(
                recipient_id=user_id,
                key=f"measure:{row['pk']}",
                kind="long_term.report_due",
                colour=registry.TODO,
                deadline=due,
                text=f"{_summary(row)} · {what} · {_who(row)}",
                link=_measure_link(row["pk"]),
                repeat=WEEKLY,
            )


@registry.register_rule("rectification.extensions")
def extension_reminders(day: dt.date):
    """Extension requests waiting for review, to the reviewer whose turn it is."""
    fields = [f"measure__{f}" if f != "pk" else "measure_id" for f in MEASURE_FIELDS]
    rows = (
        Extension.objects.filter(status__in=Extension.PENDING_STATUSES)
        .values("pk", "status", "new_deadline", "old_deadline", "requested_at", "leader_at", *fields)
        .order_by("pk")
    )
    overseers = None
    office = None
    for ext in rows:
        row = {f: ext[f"measure__{f}" if f != "pk" else "measure_id"] for f in MEASURE_FIELDS}
        since = timezone.localtime(ext["leader_at"] or ext["requested_at"]).date()
        if since >= day:
            continue  # it reached the reviewer today: the notice told them already
        if ext["status"] == Extension.Status.LEADER_REVIEW:
            reviewers = []
            if row["responsible_leader__user_id"] and row["responsible_leader__user__is_active"]:
                reviewers = [row["responsible_leader__user_id"]]
            else:
                overseers = overseers if overseers is not None else overseeing_leaders()
                reviewers = [overseers[row["lead_department_id"]]] if overseers.get(row["lead_department_id"]) else []
            kind = "extension.leader_review"
            what = _("extension to %(date)s requested on %(since)s, waiting for the responsible leader")
        else:
            office = office if office is not None else list(roles.office_users().values_list("pk", flat=True))
            reviewers = office
            kind = "extension.office_confirm"
            what = _("extension to %(date)s approved by the leader on %(since)s, waiting for the campaign office")
        what = what % {"date": ext["new_deadline"].isoformat(), "since": since.isoformat()}
        for user_id in reviewers:
            yield Item(
                recipient_id=user_id,
                key=f"extension:{ext['pk']}",
                kind=kind,
                colour=registry.TODO,
                deadline=since,
                text=f"{_summary(row)} · {what} · {_who(row)}",
                link=_measure_link(row["pk"]) + "#extension",
                repeat=DAILY,
            )
