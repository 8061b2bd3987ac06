"""Writes of party building, each in one transaction: planning and recording a meeting
(with the quorum check), sign-in by QR and by the recorder (代签/补签), leave and its
decision, make-up study (补学), attachments.

Who may do what is checked here too (permissions.py), so a view cannot forget it; a
refusal raises PermissionDenied with the reason, bad input a ValidationError per field.
Changes to meetings and attendance are kept by simple_history (who, when, what).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.selectors import cadre_for
from core import dates

from . import permissions, selectors, uploads
from .models import Attendance, Branch, Meeting
from .quorum import quorum

A = Attendance.Status
K = Meeting.Kind

PLAN_FIELDS = ("kind", "group", "topic", "planned_at", "place", "host", "recorder", "lecturer")
RECORD_FIELDS = (
    "held_on",
    "content",
    "decisions",
    "observers",
    "vote_subject",
    "votes_for",
    "votes_against",
    "votes_abstain",
)


def _require_manager(user, branch_id: int) -> None:
    if not permissions.can_manage(user, branch_id):
        raise PermissionDenied(_("Only the branch's secretary and organisation commissioner may do this."))


def attendance_row(meeting: Meeting, membership) -> Attendance:
    """An unsaved attendance row with the member's standing on the meeting's day."""
    day = meeting.held_on or timezone.localtime(meeting.planned_at).date()
    return Attendance(
        meeting=meeting,
        cadre=membership.cadre,
        formal=membership.status == membership.Status.FORMAL,
        counted=membership.counted_on(day),
        has_vote=membership.has_vote(day),
        committee=membership.on_committee,
    )


@transaction.atomic
def plan_meeting(user, branch: Branch, data: dict) -> Meeting:
    """A planned meeting and its list of who should attend (the branch, the committee or
    the group, by kind). The meeting notice goes out with the next reminder sweep."""
    _require_manager(user, branch.pk)
    meeting = Meeting(branch=branch, created_by=user, **{f: data.get(f) for f in PLAN_FIELDS})
    meeting.place = meeting.place or ""
    meeting.full_clean(exclude=["created_by"])
    meeting.save()
    invited = selectors.invited_memberships(branch, meeting.kind, meeting.group_id)
    Attendance.objects.bulk_create([attendance_row(meeting, m) for m in invited])
    return meeting


def check_vote(meeting: Meeting, rows) -> list[str]:
    """ValidationError when a vote is recorded without quorum (the message gives both
    numbers); otherwise the warnings to show (no quorum, no vote)."""
    q = quorum(meeting.kind, rows)
    if q.met:
        return []
    if meeting.kind == K.GENERAL:
        numbers = _(
            "%(present)s of %(base)s members with voting rights are present; more than half (%(needed)s) are needed"
        )
    else:
        numbers = _("%(present)s of %(base)s committee members are present; more than half (%(needed)s) are needed")
    numbers = numbers % {"present": q.present, "base": q.base, "needed": q.needed}
    if meeting.has_vote:
        raise ValidationError({"votes_for": _("A vote needs a quorum: %(numbers)s.") % {"numbers": numbers}})
    return [_("No quorum: %(numbers)s. The meeting is saved without a vote.") % {"numbers": numbers}]


def check_roles(meeting: Meeting, rows) -> list[str]:
    """Warnings when the host or the recorder is recorded as on leave or absent: the
    record would name someone who was not there."""
    away = {r.cadre_id: r for r in rows if r.status in (A.LEAVE, A.ABSENT, A.LEAVE_REQUESTED)}
    warnings = []
    for field, label in (("host", _("host")), ("recorder", _("recorder"))):
        person = getattr(meeting, field)
        if person is not None and person.pk in away:
            warnings.append(
                _("%(name)s, the %(role)s, is recorded as %(status)s: check who hosted and who recorded.")
                % {"name": person.name, "role": label, "status": away[person.pk].get_status_display()}
            )
    return warnings


@transaction.atomic
def save_meeting(user, meeting_id: int, data: dict, attendance: dict[int, tuple[str, str]], files=()) -> list[str]:
    """Change the plan and, with a held date, the record: minutes, the vote, attendance
    ({attendance id: (status, reason)}) and new attachments. Returns the warnings to show.

    A vote without quorum is refused with nothing saved (ValidationError)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
    _require_manager(user, meeting.branch_id)
    checked_files = uploads.check_all(files)
    for name in PLAN_FIELDS + RECORD_FIELDS:
        if name in data:
            setattr(meeting, name, data[name])
    meeting.place = meeting.place or ""
    if meeting.held_on and meeting.held_on > dates.today():
        raise ValidationError({"held_on": _("A meeting cannot be recorded as held in the future.")})
    rows = list(meeting.attendance.select_related("cadre"))
    for row in rows:
        if row.pk in attendance:
            row.status, row.reason = attendance[row.pk]
    warnings = check_vote(meeting, rows) + check_roles(meeting, rows) if meeting.held_on else []
    meeting.full_clean(exclude=["created_by"])
    meeting.save()
    changed = [r for r in rows if r.pk in attendance]
    for row in changed:
        if row.status == A.LEAVE and row.leave_decided_by_id is None:
            row.leave_decided_by = user  # leave granted while recording
        row.save(update_fields=["status", "reason", "leave_decided_by"])
    for checked in checked_files:
        uploads.store(checked, meeting=meeting, user=user)
    return warnings


def signin_window(meeting: Meeting) -> tuple[dt.datetime, dt.datetime]:
    start = meeting.planned_at - dt.timedelta(minutes=settings.PARTY_SIGNIN_OPEN_MINUTES)
    return start, meeting.planned_at + dt.timedelta(minutes=settings.PARTY_SIGNIN_CLOSE_MINUTES)


@transaction.atomic
def sign_in(user, meeting_id: int, code: str, now: dt.datetime | None = None) -> Attendance:
    """A member signs themself in by the meeting's QR code, inside its time window."""
    now = now or timezone.now()
    meeting = Meeting.objects.get(pk=meeting_id)
    if code != meeting.signin_code:
        raise PermissionDenied(_("This sign-in link is not valid. Scan the QR code shown at the meeting."))
    start, end = signin_window(meeting)
    if not start <= now <= end:
        when = timezone.localtime(start).strftime("%Y-%m-%d %H:%M")
        until = timezone.localtime(end).strftime("%H:%M")
        raise PermissionDenied(_("Sign-in is open from %(start)s to %(end)s.") % {"start": when, "end": until})
    cadre = cadre_for(user)
    row = Attendance.objects.select_for_update().filter(meeting=meeting, cadre=cadre).first() if cadre else None
    if row is None:
        raise PermissionDenied(_("You are not on the list of those who should attend this meeting."))
    if row.status != A.PRESENT:
        row.status = A.PRESENT
        row.signed_in_at = now
        row.signed_in_how = Attendance.SignIn.QR
        row.save(update_fields=["status", "signed_in_at", "signed_in_how"])
    return row


@transaction.atomic
def sign_in_for(user, attendance_id: int, reason: str) -> Attendance:
    """The recorder signs a member in by hand (代签, or 补签 afterwards), with the reason."""
    row = Attendance.objects.select_for_update().select_related("meeting").get(pk=attendance_id)
    _require_manager(user, row.meeting.branch_id)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you sign this member in by hand.")})
    row.status = A.PRESENT
    row.reason = reason.strip()
    row.signed_in_at = timezone.now()
    row.signed_in_how = Attendance.SignIn.BY_RECORDER
    row._change_reason = reason.strip()
    row.save(update_fields=["status", "reason", "signed_in_at", "signed_in_how"])
    return row


@transaction.atomic
def request_leave(user, meeting_id: int, reason: str) -> Attendance:
    """A member asks for leave before the meeting, with the reason."""
    cadre = cadre_for(user)
    row = (
        Attendance.objects.select_for_update().select_related("meeting").filter(meeting_id=meeting_id, cadre=cadre)
    ).first()
    if row is None:
        raise PermissionDenied(_("You are not on the list of those who should attend this meeting."))
    if row.meeting.is_held:
        raise PermissionDenied(_("The meeting has been held; leave is asked for before it."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for your leave.")})
    row.status = A.LEAVE_REQUESTED
    row.reason = reason.strip()
    row.leave_decided_by = None
    row.save(update_fields=["status", "reason", "leave_decided_by"])
    return row


@transaction.atomic
def decide_leave(user, attendance_id: int, approve: bool) -> Attendance:
    row = Attendance.objects.select_for_update().select_related("meeting").get(pk=attendance_id)
    _require_manager(user, row.meeting.branch_id)
    if row.status != A.LEAVE_REQUESTED:
        raise PermissionDenied(_("There is no leave request to decide on."))
    row.status = A.LEAVE if approve else A.EXPECTED
    row.leave_decided_by = user
    row.save(update_fields=["status", "leave_decided_by"])
    return row


@transaction.atomic
def record_makeup(user, attendance_id: int, on: dt.date, note: str) -> Attendance:
    """The member records their make-up study (the date and a short 体会); the task closes."""
    row = Attendance.objects.select_for_update().select_related("meeting").get(pk=attendance_id)
    if row.cadre_id != getattr(cadre_for(user), "pk", None):
        raise PermissionDenied(_("Only the member records their own make-up study."))
    if not row.needs_makeup or not row.meeting.is_held:
        raise PermissionDenied(_("This meeting needs no make-up study from you."))
    errors = {}
    if on > dates.today():
        errors["on"] = _("The make-up study cannot be in the future.")
    elif on < row.meeting.held_on:
        errors["on"] = _("The make-up study comes after the meeting (%(date)s).") % {"date": row.meeting.held_on}
    if not note.strip():
        errors["note"] = _("Write a few lines on what you learned.")
    if errors:
        raise ValidationError(errors)
    row.makeup_on = on
    row.makeup_note = note.strip()
    row.save(update_fields=["makeup_on", "makeup_note"])
    return row
