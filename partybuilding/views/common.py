"""What the pages share: a visible meeting or 404, the year asked for, a service's
ValidationError shown on its form."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404

from core import dates

from .. import selectors
from ..models import Branch, Meeting


def meeting_or_404(request, pk: int) -> Meeting:
    meeting = selectors.meeting_for(request.user, pk)
    if meeting is None:
        raise Http404
    return meeting


def branch_or_404(request, pk: int) -> Branch:
    branch = selectors.visible_branches(request.user).filter(pk=pk).first()
    if branch is None:
        raise Http404
    return branch


def year_of(request) -> int:
    """?year=2026, else this year (an unusable value falls back to this year)."""
    value = request.GET.get("year", "")
    this_year = dates.today().year
    return int(value) if value.isdigit() and 2000 <= int(value) <= this_year + 1 else this_year


def wants_xlsx(request) -> bool:
    return request.GET.get("format") == "xlsx"


def errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
