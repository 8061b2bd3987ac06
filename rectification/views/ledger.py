"""The ledger (整改台账): the filtered, sorted list, 50 a page, and the same list as .xlsx."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cadres.roles import LEADER, has_role, is_office
from core import dates
from core.pagination import paginate
from core.xlsx import add_sheet, attachment_response, new_workbook, workbook_bytes

from .. import ledger_html, permissions, selectors, tables
from ..filters import MeasureFilter, apply_sort

LEDGER_PAGE_SIZE = 50


def _filtered(request):
    """(filter, sorted queryset, sort key) of the ledger as the query string asks for it."""
    base = selectors.visible_measures(request.user, whole_bureau=request.GET.get("scope") == "all")
    if request.GET.get("mine"):
        base = base.filter(pk__in=selectors.assigned_to(request.user).values("pk"))
    measure_filter = MeasureFilter(request.GET or None, queryset=base, request=request)
    qs, sort = apply_sort(measure_filter.qs, request.GET.get("sort"))
    return measure_filter, qs, sort


def ledger(request):
    measure_filter, qs, sort = _filtered(request)
    page = paginate(request, qs.values_list("pk", flat=True), LEDGER_PAGE_SIZE)
    page.object_list = selectors.ledger_page(page.object_list)
    flags = {
        "filtered": any(v for k, v in request.GET.items() if k not in ("page", "sort", "scope")),
        "whole_bureau": request.GET.get("scope") == "all",
        "mine": bool(request.GET.get("mine")),
        "today": dates.today(),
    }
    context = {
        # The filter bar, table and pager: a Jinja2 fragment (ledger_html explains why).
        "body": ledger_html.render(request, measure_filter=measure_filter, page=page, sort=sort, **flags),
        "page": page,
        "is_leader": has_role(request.user, LEADER),
        "is_office": is_office(request.user),
        "can_create": permissions.can_create(request.user),
        **flags,
    }
    return render(request, "rectification/ledger.html", context)


@require_GET
def ledger_export(request):
    """The ledger exactly as filtered on screen (every page of it) as .xlsx."""
    _filter, qs, _sort = _filtered(request)
    title = _("Rectification ledger")
    now = timezone.localtime()
    wb = new_workbook()
    add_sheet(
        wb,
        title,
        tables.ledger_columns(),
        tables.ledger_rows(qs).iterator(chunk_size=500),
        heading=_("%(title)s (exported %(time)s)") % {"title": title, "time": now.strftime("%Y-%m-%d %H:%M")},
    )
    return attachment_response(workbook_bytes(wb), f"{title}_{now:%Y%m%d-%H%M}.xlsx")
