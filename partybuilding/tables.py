"""Column definitions shared by the screens and their xlsx exports (core.xlsx.Column):
meetings, attendance, activity days, the annual 组织生活开展情况统计表 and the quarterly
summary (应完成, 已完成, 是否完成, 会议数)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from core.xlsx import Column

from .compliance import QuarterLine
from .obligations import weekday_name


def rate_text(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _name(cadre) -> str:
    return cadre.name if cadre else ""


def meeting_columns() -> list[Column]:
    """Meetings (rows: Meeting with attendance counts annotated: expected, present, leave, absent)."""
    return [
        Column(_("Branch"), lambda m: m.branch.name, 16, wrap=True),
        Column(_("Kind"), lambda m: m.get_kind_display(), 14),
        Column(_("Party group"), lambda m: m.group.name if m.group else "", 12),
        Column(_("Topic"), lambda m: m.topic, 36, wrap=True),
        Column(_("Planned for"), lambda m: timezone.localtime(m.planned_at).strftime("%Y-%m-%d %H:%M"), 16),
        Column(_("Held on"), lambda m: m.held_on or "", 12),
        Column(_("Place"), lambda m: m.place, 14, wrap=True),
        Column(_("Host"), lambda m: _name(m.host), 10),
        Column(_("Recorder"), lambda m: _name(m.recorder), 10),
        Column(_("Lecturer"), lambda m: _name(m.lecturer), 10),
        Column(_("Due to attend"), lambda m: m.expected, 8),
        Column(_("Present"), lambda m: m.present, 8),
        Column(_("On leave"), lambda m: m.leave, 8),
        Column(_("Absent"), lambda m: m.absent, 8),
    ]


def attendance_columns() -> list[Column]:
    """Attendance rows of meetings (Attendance with meeting and cadre)."""
    return [
        Column(_("Held on"), lambda a: a.meeting.held_on or "", 12),
        Column(_("Kind"), lambda a: a.meeting.get_kind_display(), 14),
        Column(_("Topic"), lambda a: a.meeting.topic, 30, wrap=True),
        Column(_("Member"), lambda a: a.cadre.name, 10),
        Column(_("Membership"), lambda a: _("formal member") if a.formal else _("probationary member"), 10),
        Column(_("Attendance"), lambda a: a.get_status_display(), 10),
        Column(_("Reason"), lambda a: a.reason, 24, wrap=True),
        Column(_("Signed in"), lambda a: a.get_signed_in_how_display() if a.signed_in_how else "", 14),
        Column(_("Make-up study on"), lambda a: a.makeup_on or "", 12),
        Column(_("What I learned"), lambda a: a.makeup_note, 36, wrap=True),
    ]


def activity_day_columns() -> list[Column]:
    return [
        Column(_("Month"), lambda d: f"{d.month.month}月", 8),
        Column(_("Nominal day"), lambda d: d.nominal, 12),
        Column(_("Activity day"), lambda d: d.day, 12),
        Column(_("Weekday"), lambda d: weekday_name(d.day), 8),
        Column(_("Why"), lambda d: d.reason, 36, wrap=True),
    ]


def _months(values: list[bool]) -> list:
    return ["✓" if v else "" for v in values] or [""] * 12


def annual_columns() -> list[Column]:
    """党支部 | 类型 | 支委会 1–12月, 按时开展月份数, 完成率 | 党员集体活动 (the same)."""
    columns = [
        Column(_("Party branch"), lambda line: line.branch.name, 18, wrap=True),
        Column(_("Type"), lambda line: line.branch.get_kind_display(), 10),
    ]
    for label, attr in ((_("Committee meeting"), "committee"), (_("Collective activity of members"), "activity")):
        for month in range(1, 13):
            columns.append(
                Column(f"{label} {month}月", lambda line, a=attr, i=month - 1: _months(getattr(line, a))[i], 5)
            )
        columns.append(
            Column(f"{label} " + _("months held on time"), lambda line, a=attr: getattr(line, f"{a}_months"), 9)
        )
        columns.append(
            Column(f"{label} " + _("completion rate"), lambda line, a=attr: rate_text(getattr(line, f"{a}_rate")), 9)
        )
    return columns


def complete_text(line: QuarterLine) -> str:
    return {True: _("yes"), False: _("no"), None: _("not yet due")}[line.complete]


def quarter_columns() -> list[Column]:
    return [
        Column(_("Party branch"), lambda q: q.branch.name, 18, wrap=True),
        Column(_("Quarter"), lambda q: _("Q%(n)s") % {"n": q.quarter}, 8),
        Column(_("Due"), lambda q: q.due, 8),
        Column(_("Done"), lambda q: q.done, 8),
        Column(_("Complete"), complete_text, 8),
        Column(_("Meetings held"), lambda q: q.meetings, 8),
        Column(_("Exempt"), lambda q: q.exempt, 8),
    ]
