"""Attendance: the QR page the host shows, the member's sign-in behind it, the recorder's
hand sign-in (代签/补签), asking for leave and deciding on it, make-up study (补学)."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions, selectors, services
from ..forms import MakeupForm
from ..models import Attendance
from .common import meeting_or_404


def signin_url(meeting) -> str:
    """The absolute URL the QR code carries (settings.SITE_URL)."""
    path = reverse("partybuilding:sign_in", args=[meeting.pk]) + "?" + urlencode({"code": meeting.signin_code})
    return settings.SITE_URL.rstrip("/") + path


def _attendance_or_404(request, pk: int) -> Attendance:
    row = (
        Attendance.objects.select_related("meeting__branch", "cadre")
        .filter(pk=pk, meeting__in=selectors.visible_meetings(request.user))
        .first()
    )
    if row is None:
        raise Http404
    return row


def signin_qr(request, pk: int):
    """The page the host puts on a screen: the QR code of the sign-in link, drawn here (segno)."""
    meeting = meeting_or_404(request, pk)
    if not permissions.can_manage(request.user, meeting.branch_id):
        raise PermissionDenied(_("Only the branch's secretary and organisation commissioner may do this."))
    url = signin_url(meeting)
    svg = segno.make(url, error="m").svg_inline(scale=8, border=2, dark="#000", light="#fff")
    context = {
        "meeting": meeting,
        "qr_svg": mark_safe(svg),  # noqa: S308 (segno's own SVG markup for our own URL)
        "url": url,
        "window": services.signin_window(meeting),
        "present": meeting.attendance.filter(status=Attendance.Status.PRESENT).count(),
        "expected": meeting.attendance.filter(counted=True).count(),
    }
    return render(request, "partybuilding/signin_qr.html", context)


def sign_in(request, pk: int):
    """Where the QR code leads: the member confirms with one tap (a POST, with their own login)."""
    meeting = meeting_or_404(request, pk)
    code = request.POST.get("code") or request.GET.get("code", "")
    if request.method == "POST":
        services.sign_in(request.user, meeting.pk, code)
        messages.success(request, _("You are signed in. Thank you."))
        return redirect(meeting)
    mine = meeting.attendance.filter(cadre__user=request.user).first()
    context = {"meeting": meeting, "code": code, "mine": mine, "window": services.signin_window(meeting)}
    return render(request, "partybuilding/sign_in.html", context)


@require_POST
def sign_in_for(request, pk: int):
    row = _attendance_or_404(request, pk)
    try:
        services.sign_in_for(request.user, row.pk, request.POST.get("reason", ""))
    except ValidationError:
        messages.error(request, _("Say why you sign this member in by hand."))
    else:
        messages.success(request, _("%(name)s is signed in.") % {"name": row.cadre.name})
    return redirect(row.meeting)


@require_POST
def leave_request(request, pk: int):
    meeting = meeting_or_404(request, pk)
    reason = request.POST.get("leave-reason", "")
    try:
        services.request_leave(request.user, meeting.pk, reason)
    except ValidationError:
        messages.error(request, _("Give the reason for your leave."))
    else:
        messages.success(request, _("Your leave request is sent to the branch secretary."))
    return redirect(meeting)


@require_POST
def leave_decision(request, pk: int):
    row = _attendance_or_404(request, pk)
    approve = request.POST.get("decision") == "approve"
    services.decide_leave(request.user, row.pk, approve)
    if approve:
        messages.success(request, _("Leave granted to %(name)s.") % {"name": row.cadre.name})
    else:
        messages.info(request, _("Leave refused: %(name)s is expected at the meeting.") % {"name": row.cadre.name})
    return redirect(
        request.POST.get("next") if request.POST.get("next") == reverse("partybuilding:home") else row.meeting
    )


def makeup(request, pk: int):
    row = _attendance_or_404(request, pk)
    if row.cadre.user_id != request.user.pk:
        raise PermissionDenied(_("Only the member records their own make-up study."))
    form = MakeupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_makeup(request.user, row.pk, form.cleaned_data["on"], form.cleaned_data["note"])
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                form.add_error(field, errors)
        else:
            messages.success(request, _("Make-up study recorded; the task is closed."))
            return redirect(row.meeting)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "partybuilding/makeup.html", {"row": row, "meeting": row.meeting, "form": form}, status=status
    )
