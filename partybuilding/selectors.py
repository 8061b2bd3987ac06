"""Read queries that party building's views, reminders, the dashboard tile and the monthly
report share: visible branches and meetings, who should attend a meeting, a member's
tasks, open make-up study, members without organisational life, and the figures of a
month for the dashboard and the report (compliance.py builds the matrix itself).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery

from cadres.selectors import cadre_for, person_name
from core import dates

from . import compliance, permissions
from .models import Attendance, Branch, Meeting, Membership

A = Attendance.Status
K = Meeting.Kind


def visible_branches(user) -> QuerySet:
    ids = permissions.visible_branch_ids(user)
    branches = Branch.objects.all()
    return branches if ids is None else branches.filter(pk__in=ids)


def visible_meetings(user) -> QuerySet:
    ids = permissions.visible_branch_ids(user)
    meetings = Meeting.objects.select_related("branch", "group", "host", "recorder", "lecturer")
    return meetings if ids is None else meetings.filter(branch_id__in=ids)


def meeting_for(user, pk: int) -> Meeting | None:
    return visible_meetings(user).filter(pk=pk).first()


def with_attendance_counts(meetings: QuerySet) -> QuerySet:
    """Meetings annotated with expected (应到), present (实到), leave and absent counts."""
    due = Q(attendance__counted=True)
    return meetings.annotate(
        expected=Count("attendance", filter=due),
        present=Count("attendance", filter=due & Q(attendance__status=A.PRESENT)),
        leave=Count("attendance", filter=due & Q(attendance__status=A.LEAVE)),
        absent=Count("attendance", filter=due & Q(attendance__status=A.ABSENT)),
    )


def attendance_of(meeting: Meeting) -> list[Attendance]:
    return list(meeting.attendance.select_related("cadre__department"))


def invited_memberships(branch: Branch, kind: str, group_id: int | None) -> QuerySet:
    """Who should attend a meeting of `kind`: the committee for a 支委会, the group for a
    党小组会, every active member for the others."""
    members = Membership.objects.filter(branch=branch, active=True).select_related("cadre")
    if kind == K.COMMITTEE:
        return members.exclude(committee_role="")
    if kind == K.GROUP:
        return members.filter(group_id=group_id)
    return members


def committee(branch: Branch) -> list[Membership]:
    return list(branch.memberships.filter(active=True).exclude(committee_role="").select_related("cadre"))


def open_makeup(qs: QuerySet | None = None) -> QuerySet:
    """补学 tasks still open: on leave or absent at a held meeting, no make-up date yet."""
    qs = Attendance.objects.all() if qs is None else qs
    return qs.filter(status__in=[A.LEAVE, A.ABSENT], makeup_on=None, meeting__held_on__isnull=False)


def my_tasks(user) -> dict:
    """A member's own open work: make-up study, meetings ahead (to ask for leave)."""
    cadre = cadre_for(user)
    if cadre is None:
        return {"makeup": [], "upcoming": []}
    mine = Attendance.objects.filter(cadre=cadre).select_related("meeting__branch")
    return {
        "makeup": list(open_makeup(mine).order_by("meeting__held_on")),
        "upcoming": list(
            mine.filter(meeting__held_on=None, meeting__planned_at__date__gte=dates.today()).order_by(
                "meeting__planned_at"
            )
        ),
    }


def leave_requests(branch_ids) -> QuerySet:
    return (
        Attendance.objects.filter(meeting__branch_id__in=branch_ids, status=A.LEAVE_REQUESTED)
        .select_related("cadre", "meeting")
        .order_by("meeting__planned_at")
    )


def inactive_members(branch_ids, day: dt.date) -> list[Membership]:
    """Members due to attend with no organisational life (present, or made up) for
    PARTY_INACTIVE_MONTHS months up to `day` (党章 Art. 9); one query.

    Members who joined the branch's records less than that long ago are not flagged:
    `last` is their last meeting or make-up, or None when they never had one."""
    months = settings.PARTY_INACTIVE_MONTHS
    since = _months_before(day, months)
    mine = Attendance.objects.filter(cadre=OuterRef("cadre"), meeting__branch=OuterRef("branch"))
    last_present = mine.filter(status=A.PRESENT).order_by().values("cadre").annotate(m=Max("meeting__held_on"))
    last_makeup = mine.exclude(makeup_on=None).order_by().values("cadre").annotate(m=Max("makeup_on"))
    first_expected = mine.filter(meeting__held_on__isnull=False).order_by("meeting__held_on")
    members = (
        Membership.objects.filter(branch_id__in=branch_ids, active=True)
        .select_related("cadre", "branch")
        .annotate(
            present_on=Subquery(last_present.values("m")[:1]),
            made_up_on=Subquery(last_makeup.values("m")[:1]),
            first_on=Subquery(first_expected.values("meeting__held_on")[:1]),
        )
        .filter(first_on__lte=since)
    )
    flagged = []
    for m in members:
        if not m.counted_on(day):
            continue
        m.last = max((d for d in (m.present_on, m.made_up_on) if d), default=None)
        if m.last is None or m.last < since:
            flagged.append(m)
    return flagged


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = dates.month_bounds(year, month + 1)[1]
    return day.replace(year=year, month=month + 1, day=min(day.day, last.day))


def branch_attendance(branch_ids, start: dt.date, end: dt.date) -> dict[int, tuple[int, int]]:
    """{branch id: (due to attend, present)} over meetings held from `start` to `end`. One query."""
    rows = (
        Attendance.objects.filter(
            meeting__branch_id__in=branch_ids, meeting__held_on__gte=start, meeting__held_on__lte=end, counted=True
        )
        .values("meeting__branch_id")
        .annotate(expected=Count("id"), present=Count("id", filter=Q(status=A.PRESENT)))
    )
    return {r["meeting__branch_id"]: (r["expected"], r["present"]) for r in rows}


def member_attendance(branch_id: int, start: dt.date, end: dt.date) -> list[dict]:
    """Per member of a branch: meetings due, present, on leave, absent, made up, the rate. One query."""
    rows = list(
        Attendance.objects.filter(
            meeting__branch_id=branch_id, meeting__held_on__gte=start, meeting__held_on__lte=end, counted=True
        )
        .values("cadre_id", "cadre__name", "cadre__department__name")
        .annotate(
            expected=Count("id"),
            present=Count("id", filter=Q(status=A.PRESENT)),
            leave=Count("id", filter=Q(status=A.LEAVE)),
            absent=Count("id", filter=Q(status=A.ABSENT)),
            made_up=Count("id", filter=Q(makeup_on__isnull=False)),
            last_present=Max("meeting__held_on", filter=Q(status=A.PRESENT)),
            last_makeup=Max("makeup_on"),
        )
        .order_by("cadre__department__order", "cadre__post_level", "cadre__name")
    )
    for row in rows:
        row["rate"] = row["present"] / row["expected"] if row["expected"] else None
    return rows


# --- the month's figures for the dashboard tile and the monthly report ------------------


def month_figures(branch_ids, day: dt.date) -> dict:
    """This month's and this quarter's compliance, meetings held this month, the
    attendance rate and the branches with a missing obligation, for the branches in
    `branch_ids` (None: all) as of `day`. A fixed number of queries."""
    branches = Branch.objects.all() if branch_ids is None else Branch.objects.filter(pk__in=branch_ids)
    matrix = compliance.year_matrix(list(branches), day.year, day)
    month_start = dates.month_start(day)
    quarter_start = dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    ids = [b.pk for b in matrix.branches]
    held = Meeting.objects.filter(branch_id__in=ids, held_on__gte=month_start, held_on__lte=day).count()
    month_rate = _rate(branch_attendance(ids, month_start, day).values())
    year_rate = _rate(branch_attendance(ids, dt.date(day.year, 1, 1), day).values())
    month_cells = matrix.cells_ending_between(month_start, dates.month_bounds(day.year, day.month)[1])
    quarter_end = dates.month_bounds(day.year, quarter_start.month + 2)[1]
    quarter_cells = matrix.cells_ending_between(quarter_start, quarter_end)
    return {
        "on": day,
        "branches": len(ids),
        "meetings_held": held,
        "attendance": month_rate,
        "year_attendance": year_rate,
        "month": compliance.tally(month_cells),
        "quarter": compliance.tally(quarter_cells),
        "missing_branches": matrix.branches_missing(day),
        "open_makeup": open_makeup().filter(meeting__branch_id__in=ids).count(),
    }


def _rate(pairs) -> float | None:
    """present ÷ due to attend over (due, present) pairs; None when nobody was due."""
    pairs = list(pairs)
    expected = sum(e for e, _p in pairs)
    return sum(p for _e, p in pairs) / expected if expected else None


def meeting_history(meeting: Meeting, limit: int = 50) -> list[dict]:
    """Who changed the meeting and its attendance, when, and why (hand sign-in reasons)."""
    entries = [
        {
            "when": h.history_date,
            "user": person_name(h.history_user),
            "what": h.get_history_type_display(),
            "who": "",
            "note": "",
        }
        for h in meeting.history.select_related("history_user__cadre")[:limit]
    ]
    changes = Attendance.history.filter(meeting_id=meeting.pk).select_related("history_user__cadre", "cadre")
    for h in changes.order_by("-history_date")[:limit]:
        entries.append(
            {
                "when": h.history_date,
                "user": person_name(h.history_user),
                "what": h.get_status_display(),
                "who": h.cadre.name,
                "note": h.history_change_reason or (h.get_signed_in_how_display() if h.signed_in_how else ""),
            }
        )
    return sorted(entries, key=lambda e: e["when"], reverse=True)[:limit]


def period_summary(start: dt.date, end: dt.date, on: dt.date) -> list[dict]:
    """Per branch, for the monthly report: obligations due in the period (ending between
    `start` and `end`) met / missing / open, what is missing, meetings held and the
    attendance rate in the period. A fixed number of queries."""
    branches = list(Branch.objects.all())
    matrix = compliance.year_matrix(branches, end.year, on)
    ids = [b.pk for b in branches]
    held = dict(
        Meeting.objects.filter(branch_id__in=ids, held_on__gte=start, held_on__lte=end)
        .values("branch_id")
        .annotate(n=Count("id"))
        .values_list("branch_id", "n")
    )
    attendance = branch_attendance(ids, start, end)
    lines = []
    for branch in branches:
        cells = [c for row in matrix.rows_of(branch) for c in row.cells if start <= c.end <= end]
        lines.append(
            {
                "branch": branch,
                "tally": compliance.tally(cells),
                "missing": [c.rule.label for c in cells if c.state == "missing"],
                "meetings": held.get(branch.pk, 0),
                "attendance": _rate([attendance[branch.pk]]) if branch.pk in attendance else None,
            }
        )
    return lines


# --- a branch's organisation ----------------------------------------------------------


def branches_overview(user) -> QuerySet:
    """The visible branches with their secretary, commissioner, members and current groups."""
    return (
        visible_branches(user)
        .select_related("secretary", "commissioner")
        .annotate(
            members=Count("memberships", filter=Q(memberships__active=True), distinct=True),
            group_count=Count("groups", filter=Q(groups__dissolved_on=None), distinct=True),
        )
    )


def branch_organisation(branch: Branch) -> dict:
    """Everything the branch page shows, in three queries: the committee in post order,
    the current groups with their members, members (counted as due to attend or not
    today), ended memberships, dissolved groups and the exemptions."""
    today = dates.today()
    memberships = list(branch.memberships.select_related("cadre__department", "group"))
    active = [m for m in memberships if m.active]
    for m in active:
        m.counted_today = m.counted_on(today)
    post_order = {role: i for i, role in enumerate(Membership.CommitteeRole.values)}
    groups = list(branch.groups.select_related("leader"))
    current = [g for g in groups if g.dissolved_on is None]
    for g in current:
        g.members = [m for m in active if m.group_id == g.pk]
    return {
        "committee": sorted((m for m in active if m.committee_role), key=lambda m: post_order[m.committee_role]),
        "groups": current,
        "dissolved_groups": [g for g in groups if g.dissolved_on is not None],
        "ungrouped": [m for m in active if m.group_id is None],
        "members": active,
        "ended": [m for m in memberships if not m.active],
        "not_counted": sum(not m.counted_today for m in active),
        "exemptions": list(branch.exemptions.order_by("-first_month", "obligation")),
    }
