"""Meetings: the list (filtered, with its xlsx), planning one, its page, the one-page
record form (plan, minutes, vote, attendance, attachments), its PDF record, attachments."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext as _

from core import dates
from core.downloads import protect_download
from core.pagination import paginate
from core.xlsx import xlsx_response

from .. import obligations, pdf, permissions, quorum, selectors, services, tables
from ..forms import AttendanceForm, MakeupForm, MeetingForm, ReasonForm
from ..models import Attachment, Attendance, Branch, Meeting
from .common import errors_to_form, meeting_or_404, wants_xlsx

A = Attendance.Status
PAGE_SIZE = 50


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def filtered_meetings(request):
    """The visible meetings as the query string filters them (branch, kind, from, to, held)."""
    qs = selectors.visible_meetings(request.user)
    get = request.GET
    if get.get("branch", "").isdigit():
        qs = qs.filter(branch_id=int(get["branch"]))
    if get.get("kind") in Meeting.Kind.values:
        qs = qs.filter(kind=get["kind"])
    start, end = _parse_date(get.get("from")), _parse_date(get.get("to"))
    if get.get("held") == "1":
        qs = qs.filter(held_on__isnull=False)
        qs = qs.filter(held_on__gte=start) if start else qs
        qs = qs.filter(held_on__lte=end) if end else qs
    else:
        qs = qs.filter(held_on__isnull=True) if get.get("held") == "0" else qs
        qs = qs.filter(planned_at__date__gte=start) if start else qs
        qs = qs.filter(planned_at__date__lte=end) if end else qs
    return selectors.with_attendance_counts(qs).order_by("-planned_at", "-id")


def meeting_list(request):
    qs = filtered_meetings(request)
    if wants_xlsx(request):
        title = _("Meetings")
        return xlsx_response(title, tables.meeting_columns(), qs.iterator(), f"{title}_{dates.today():%Y%m%d}.xlsx")
    context = {
        "page": paginate(request, qs, PAGE_SIZE),
        "branches": selectors.visible_branches(request.user),
        "kinds": Meeting.Kind.choices,
        "can_plan": permissions.manages_any(request.user),
        "filtered": any(request.GET.get(k) for k in ("branch", "kind", "from", "to", "held")),
    }
    return render(request, "partybuilding/meeting_list.html", context)


def _initial_plan(request) -> dict:
    """?kind=activity_day pre-fills this month's (or next month's) activity day at 15:00."""
    kind = request.GET.get("kind")
    initial = {"kind": kind} if kind in Meeting.Kind.values else {}
    if kind == Meeting.Kind.ACTIVITY_DAY:
        today = dates.today()
        day = obligations.activity_day(today.year, today.month).day
        if day < today:
            following = dates.next_month(today)
            day = obligations.activity_day(following.year, following.month).day
        initial["planned_at"] = timezone.make_aware(dt.datetime.combine(day, dt.time(15, 0)))
    return initial


def meeting_create(request):
    branches = Branch.objects.filter(pk__in=permissions.managed_branch_ids(request.user))
    if not branches.exists():
        raise PermissionDenied(_("Only a branch's secretary and organisation commissioner plan its meetings."))
    form = MeetingForm(request.POST or None, branches=branches, initial=_initial_plan(request))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.plan_meeting(request.user, form.cleaned_data["branch"], form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Meeting planned. Those who should attend are told with the next reminder."))
            return redirect(meeting)
    return render(request, "partybuilding/meeting_form.html", {"form": form, "creating": True})


def meeting_detail(request, pk: int):
    meeting = meeting_or_404(request, pk)
    rows = selectors.attendance_of(meeting)
    manager = permissions.can_manage(request.user, meeting.branch_id)
    mine = next((r for r in rows if r.cadre.user_id == request.user.pk), None)
    context = {
        "meeting": meeting,
        "rows": rows,
        "counts": quorum.counts(rows),
        "quorum": quorum.quorum(meeting.kind, rows) if meeting.is_held else None,
        "can_manage": manager,
        "mine": mine,
        "leave_form": ReasonForm(prefix="leave") if mine and not meeting.is_held else None,
        "makeup_form": MakeupForm(initial={"on": dates.today()}) if mine and mine.makeup_open else None,
        "signin_window": services.signin_window(meeting),
        "attachments": list(meeting.attachments.all()),
        "history": selectors.meeting_history(meeting) if manager else [],
    }
    return render(request, "partybuilding/meeting_detail.html", context)


def meeting_edit(request, pk: int):
    meeting = meeting_or_404(request, pk)
    if not permissions.can_manage(request.user, meeting.branch_id):
        raise PermissionDenied(_("Only the branch's secretary and organisation commissioner may do this."))
    rows = selectors.attendance_of(meeting)
    post = request.POST if request.method == "POST" else None
    initial = {} if meeting.held_on else {"held_on": None}
    form = MeetingForm(post, request.FILES or None, instance=meeting, initial=initial)
    attendance = AttendanceForm(rows, post, prefix="att")
    if post is not None and form.is_valid():
        held = form.cleaned_data.get("held_on")
        if not held or attendance.is_valid():
            try:
                warnings = services.save_meeting(
                    request.user,
                    meeting.pk,
                    form.cleaned_data,
                    attendance.changes() if held else {},
                    form.cleaned_data.get("attachments") or [],
                )
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                for warning in warnings:
                    messages.warning(request, warning)
                messages.success(request, _("Meeting recorded.") if held else _("Plan saved."))
                return redirect(meeting)
    status = 400 if post is not None else 200
    context = {"form": form, "attendance": attendance, "meeting": meeting, "creating": False}
    return render(request, "partybuilding/meeting_form.html", context, status=status)


def record_pdf(request, pk: int):
    meeting = meeting_or_404(request, pk)
    full = pdf.meetings_for_records(Meeting.objects.filter(pk=meeting.pk)).get()
    content = pdf.render([full], title=str(full), contents=False)
    response = HttpResponse(content, content_type="application/pdf")
    day = full.held_on or timezone.localtime(full.planned_at).date()
    name = f"{full.branch.name}_{full.get_kind_display()}_{day:%Y%m%d}.pdf"
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{escape_uri_path(name)}"
    # Our own rendering, shown inline to print (a sandbox CSP would stop the browser's PDF viewer).
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def attachment_download(request, pk: int):
    item = Attachment.objects.filter(pk=pk, meeting__in=selectors.visible_meetings(request.user)).first()
    if item is None:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=item.original_name, content_type=item.content_type)
    return protect_download(response)
