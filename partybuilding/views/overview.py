"""The area's home (my tasks, my branch), the compliance matrix with its upward tables,
the year's activity days, and a branch's yearly archive (学习档案: PDF volume or xlsx)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from cadres.selectors import cadre_for
from core import calendar, dates, icons
from core.formats import percent
from core.xlsx import add_sheet, attachment_response, new_workbook, workbook_bytes, xlsx_response

from .. import compliance, obligations, pdf, permissions, selectors, tables
from ..models import Attendance, Branch, Meeting
from .common import branch_or_404, wants_xlsx, year_of


def home(request):
    today = dates.today()
    managed = Branch.objects.filter(pk__in=permissions.managed_branch_ids(request.user))
    managed_ids = [b.pk for b in managed]
    matrix = compliance.year_matrix(list(managed), today.year, today) if managed_ids else None
    month_start = dates.month_start(today)
    context = {
        "today": today,
        "cadre": cadre_for(request.user),
        "tasks": selectors.my_tasks(request.user),
        "managed": managed,
        "leave_requests": list(selectors.leave_requests(managed_ids)) if managed_ids else [],
        "inactive": selectors.inactive_members(managed_ids, today) if managed_ids else [],
        "open_makeup": list(
            selectors.open_makeup(Attendance.objects.filter(meeting__branch_id__in=managed_ids)).select_related(
                "cadre", "meeting"
            )
        )
        if managed_ids
        else [],
        "this_month": [(row, next(c for c in row.cells if c.start <= month_start <= c.end)) for row in matrix.rows]
        if matrix
        else [],
        "my_branches": selectors.visible_branches(request.user).filter(
            pk__in=permissions.member_branch_ids(request.user)
        ),
        "sees_all": permissions.sees_every_branch(request.user),
        "activity_day": obligations.activity_day(today.year, today.month),
        "rules": obligations.rules_for(Branch.Kind.BRANCH),
        "activity_day_number": obligations.activity_day(today.year, today.month).nominal.day,
    }
    return render(request, "partybuilding/home.html", context)


def compliance_view(request):
    year = year_of(request)
    today = dates.today()
    branches = list(selectors.visible_branches(request.user))
    matrix = compliance.year_matrix(branches, year, today)
    if wants_xlsx(request):
        return _compliance_xlsx(matrix)
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    attendance = selectors.branch_attendance([b.pk for b in branches], start, end)
    chosen = request.GET.get("branch", "")
    chosen = next((b for b in branches if str(b.pk) == chosen), None)
    context = {
        "year": year,
        "years": range(today.year - 2, today.year + 1),
        "matrix": matrix,
        "matrix_html": _matrix_html(matrix, attendance),
        "totals": compliance.tally(matrix.cells()),
        "chosen": chosen,
        "members": selectors.member_attendance(chosen.pk, start, end) if chosen else [],
        "months": range(1, 13),
    }
    return render(request, "partybuilding/compliance.html", context)


def _matrix_html(matrix: compliance.Matrix, attendance: dict) -> str:
    """The matrix's rows through Jinja2: Django's engine spent ~75 % of the page on its ~1,400
    cells. Every URL and word is made here once, not per cell."""
    detail = reverse("partybuilding:branch_detail", args=[0])
    archive = reverse("partybuilding:branch_archive", args=[0])
    rows = defaultdict(list)  # {branch id: rows}, in one pass
    for row in matrix.rows:
        rows[row.branch.pk].append(row)
    blocks = []
    for branch in matrix.branches:
        expected, present = attendance.get(branch.pk, (0, 0))
        blocks.append(
            {
                "branch": branch,
                "rows": rows[branch.pk],
                "detail_url": detail.replace("/0/", f"/{branch.pk}/"),
                "archive_url": archive.replace("/0/", f"/{branch.pk}/") + f"?year={matrix.year}",
                "members_url": f"?year={matrix.year}&branch={branch.pk}#members",
                "rate": percent(present / expected if expected else None),
            }
        )
    words = {"attendance": _("attendance"), "members": _("members"), "archive": _("archive")}
    # Escaped here: the cells print these without escaping again.
    # Each state's icon markup and word made once, not once per cell (~1,400 of them).
    states = {
        state: (icons.render(icon), escape(compliance.state_text(state)))
        for state, icon in compliance.STATE_ICONS.items()
    }
    # A rule's label and frequency once per rule, not per row (the frequency is a gettext).
    rules = {}
    for row in matrix.rows:
        if row.rule not in rules:
            rules[row.rule] = (escape(row.rule.label), row.rule.frequency)
    context = {"blocks": blocks, "words": words, "states": states, "rules": rules}
    return mark_safe(render_to_string("partybuilding/compliance_matrix.html", context, using="jinja2"))


def _compliance_xlsx(matrix: compliance.Matrix) -> HttpResponse:
    wb = new_workbook()
    year = matrix.year
    tables.add_two_level_sheet(
        wb,
        _("Annual statistics"),
        tables.annual_columns(),
        enumerate(compliance.annual_lines(matrix), start=1),
        heading=_("Organisational life of the Party branches, %(year)s") % {"year": year},
    )
    add_sheet(
        wb,
        _("Quarterly summary"),
        tables.quarter_columns(),
        compliance.quarter_lines(matrix),
        heading=_("Obligations per branch and quarter, %(year)s") % {"year": year},
    )
    name = _("Organisational life statistics") + f"_{year}.xlsx"
    return attachment_response(workbook_bytes(wb), name)


def activity_days(request):
    year = year_of(request)
    days = obligations.activity_days(year)
    if wants_xlsx(request):
        title = _("Party member activity days %(year)s") % {"year": year}
        return xlsx_response(title, tables.activity_day_columns(), days, f"{title}.xlsx")
    context = {
        "year": year,
        "days": days,
        "years": range(dates.today().year - 1, dates.today().year + 2),
        "no_calendar": not calendar.has_data(year),
        "day": settings.PARTY_ACTIVITY_DAY,
        "can_plan": permissions.manages_any(request.user),
        "today": dates.today(),
    }
    return render(request, "partybuilding/activity_days.html", context)


def branch_archive(request, pk: int):
    """A branch's year: one PDF volume with a contents page, or (?format=xlsx) its meetings
    and attendance."""
    branch = branch_or_404(request, pk)
    year = year_of(request)
    meetings = Meeting.objects.filter(branch=branch, held_on__year=year).order_by("held_on", "planned_at", "id")
    title = _("%(branch)s study archive %(year)s") % {"branch": branch.name, "year": year}
    if wants_xlsx(request):
        wb = new_workbook()
        counted = selectors.with_attendance_counts(
            meetings.select_related("branch", "group", "host", "recorder", "lecturer")
        )
        add_sheet(wb, _("Meetings"), tables.meeting_columns(), counted, heading=title)
        rows = (
            Attendance.objects.filter(meeting__in=meetings)
            .select_related("meeting", "cadre")
            .order_by("meeting__held_on", "meeting_id", "id")
        )
        add_sheet(wb, _("Attendance"), tables.attendance_columns(), rows.iterator(), heading=title)
        return attachment_response(workbook_bytes(wb), f"{title}.xlsx")
    content = pdf.render(list(pdf.meetings_for_records(meetings)), title=title, contents=True)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(title)}.pdf"
    response["X-Content-Type-Options"] = "nosniff"
    return response
