"""Party building's reminder rules for the daily sweep (registered with core.reminders;
the sweep sends each person one digest a day and never the same reminder twice):

- the meeting notice: to everyone who should attend, once when a meeting is planned, and
  once more PARTY_MEETING_NOTICE_WORKDAYS working day(s) before it;
- the activity day (主题党日), PARTY_ACTIVITY_DAY_LEAD_WORKDAYS working days ahead, to the
  secretary and the commissioner of every branch that has not planned it yet;
- obligations still missing PARTY_OBLIGATION_LEAD_WORKDAYS working days before the end of
  their month, quarter or year, to the secretary and the commissioner;
- open make-up study (补学), to the member, weekly;
- members without organisational life for PARTY_INACTIVE_MONTHS months, to the secretary
  and the commissioner, weekly.

Rules select by "due − lead ≤ today", so a missed sweep is caught up by the next one.
Each rule makes a fixed number of queries, whatever the number of meetings and members.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import calendar, dates
from core import reminders as registry
from core.reminders import ONCE, TODO, WEEKLY, Item

from . import compliance, obligations, selectors
from .models import Attendance, Branch, Meeting

A = Attendance.Status


def _managers() -> dict[int, list[int]]:
    """{branch id: [user ids of its secretary and commissioner]}. One query."""
    managers: dict[int, list[int]] = {}
    rows = Branch.objects.values_list(
        "pk",
        "secretary__user_id",
        "secretary__user__is_active",
        "commissioner__user_id",
        "commissioner__user__is_active",
    )
    for pk, sec, sec_active, com, com_active in rows:
        managers[pk] = list(dict.fromkeys(u for u, active in ((sec, sec_active), (com, com_active)) if u and active))
    return managers


def _when(meeting_row) -> str:
    return timezone.localtime(meeting_row["meeting__planned_at"]).strftime("%Y-%m-%d %H:%M")


@registry.register_rule("partybuilding.meeting_notice")
def meeting_notices(day: dt.date):
    lead_end = calendar.add_workdays(day, settings.PARTY_MEETING_NOTICE_WORKDAYS)
    rows = (
        Attendance.objects.filter(
            meeting__held_on=None,
            meeting__planned_at__date__gte=day,
            cadre__user__isnull=False,
            status__in=[A.EXPECTED, A.LEAVE_REQUESTED],
        )
        .values(
            "cadre__user_id",
            "meeting_id",
            "meeting__planned_at",
            "meeting__kind",
            "meeting__topic",
            "meeting__place",
            "meeting__branch__name",
        )
        .order_by("meeting__planned_at", "meeting_id")
    )
    kinds = dict(Meeting.Kind.choices)
    for row in rows:
        date = timezone.localtime(row["meeting__planned_at"]).date()
        text = _("%(branch)s · %(kind)s “%(topic)s” · %(when)s %(place)s") % {
            "branch": row["meeting__branch__name"],
            "kind": kinds[row["meeting__kind"]],
            "topic": row["meeting__topic"],
            "when": _when(row),
            "place": row["meeting__place"],
        }
        link = reverse("partybuilding:meeting_detail", args=[row["meeting_id"]])
        common = {"recipient_id": row["cadre__user_id"], "key": f"meeting:{row['meeting_id']}", "deadline": date}
        yield Item(**common, kind="party.meeting.notice", colour=TODO, text=text, link=link, repeat=ONCE)
        if date <= lead_end:
            yield Item(**common, kind="party.meeting.soon", colour=TODO, text=text, link=link, repeat=ONCE)


@registry.register_rule("partybuilding.activity_day")
def activity_day_reminders(day: dt.date):
    lead = settings.PARTY_ACTIVITY_DAY_LEAD_WORKDAYS
    upcoming = [obligations.activity_day(m.year, m.month) for m in (dates.month_start(day), dates.next_month(day))]
    upcoming = [a for a in upcoming if day <= a.day and calendar.add_workdays(a.day, -lead) <= day]
    if not upcoming:
        return
    managers = _managers()
    for activity in upcoming:
        month_end = dates.month_bounds(activity.month.year, activity.month.month)[1]
        planned = set(
            Meeting.objects.filter(
                kind=Meeting.Kind.ACTIVITY_DAY, planned_at__date__gte=activity.month, planned_at__date__lte=month_end
            ).values_list("branch_id", flat=True)
        )
        for branch_id, name in Branch.objects.filter(kind=Branch.Kind.BRANCH).values_list("pk", "name"):
            if branch_id in planned:
                continue
            text = _("%(branch)s · the Party member activity day is %(date)s (%(reason)s); it is not planned yet") % {
                "branch": name,
                "date": activity.day.isoformat(),
                "reason": activity.reason,
            }
            for user_id in managers.get(branch_id, []):
                yield Item(
                    recipient_id=user_id,
                    key=f"activity_day:{branch_id}",
                    kind="party.activity_day",
                    colour=TODO,
                    deadline=activity.day,
                    text=text,
                    link=reverse("partybuilding:meeting_create") + "?kind=activity_day",
                    repeat=ONCE,
                )


@registry.register_rule("partybuilding.obligations")
def obligation_reminders(day: dt.date):
    """Obligations whose period ends within the lead and that are still not met."""
    horizon = calendar.add_workdays(day, settings.PARTY_OBLIGATION_LEAD_WORKDAYS)
    branches = list(Branch.objects.all())
    matrix = compliance.year_matrix(branches, day.year, day)
    managers = _managers()
    for row in matrix.rows:
        for cell in row.cells:
            if cell.state != obligations.NOT_DUE or not day <= cell.end <= horizon:
                continue
            text = _("%(branch)s · %(obligation)s not held yet; the period ends %(end)s") % {
                "branch": row.branch.name,
                "obligation": row.rule.label,
                "end": cell.end.isoformat(),
            }
            for user_id in managers.get(row.branch.pk, []):
                yield Item(
                    recipient_id=user_id,
                    key=f"obligation:{row.branch.pk}:{row.rule.key}",
                    kind="party.obligation",
                    colour=TODO,
                    deadline=cell.end,
                    text=text,
                    link=cell.link,
                    repeat=ONCE,
                )


@registry.register_rule("partybuilding.makeup")
def makeup_reminders(day: dt.date):
    rows = (
        selectors.open_makeup()
        .filter(cadre__user__isnull=False)
        .values("pk", "cadre__user_id", "meeting_id", "meeting__held_on", "meeting__topic", "meeting__kind")
        .order_by("meeting__held_on", "pk")
    )
    kinds = dict(Meeting.Kind.choices)
    for row in rows:
        yield Item(
            recipient_id=row["cadre__user_id"],
            key=f"makeup:{row['pk']}",
            kind="party.makeup",
            colour=TODO,
            deadline=row["meeting__held_on"],
            text=_("Make-up study open: %(kind)s “%(topic)s” of %(date)s")
            % {
                "kind": kinds[row["meeting__kind"]],
                "topic": row["meeting__topic"],
                "date": row["meeting__held_on"].isoformat(),
            },
            link=reverse("partybuilding:makeup", args=[row["pk"]]),
            repeat=WEEKLY,
        )


@registry.register_rule("partybuilding.inactive")
def inactive_reminders(day: dt.date):
    managers = _managers()
    months = settings.PARTY_INACTIVE_MONTHS
    for member in selectors.inactive_members(list(managers), day):
        last = member.last.isoformat() if member.last else _("never")
        text = _("%(branch)s · %(name)s has had no organisational life for %(months)s months (last: %(last)s)") % {
            "branch": member.branch.name,
            "name": member.cadre.name,
            "months": months,
            "last": last,
        }
        for user_id in managers.get(member.branch_id, []):
            yield Item(
                recipient_id=user_id,
                key=f"inactive:{member.pk}",
                kind="party.inactive",
                colour=TODO,
                deadline=member.last or member.first_on,  # fixed while the member stays away
                text=text,
                link=reverse("partybuilding:home"),
                repeat=WEEKLY,
            )
