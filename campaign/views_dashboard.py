"""The leaders' dashboard (领导驾驶舱) at /dashboard/: thin view over campaign.dashboard."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cadres.models import Department
from cadres.roles import is_office
from core import dates

from . import dashboard as dash


def _url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def chart_text() -> dict:
    """The words the charts draw (dashboard.js has no strings of its own)."""
    return {
        "measures": _("measures"),
        "completion": _("Completion rate"),
        "done_of_total": _("finished {done} of {total}"),
        "overdue": _("overdue"),
        "signed_off": _("signed off"),
        "days_overdue": _("days overdue"),
        "days": _("days"),
        "click": _("Click a bar to open these measures in the ledger."),
        "no_data": _("No data"),
    }


def _body_context(user, scope, figures) -> dict:
    scope_departments = []
    if not scope.whole_bureau and scope.department_ids:
        scope_departments = list(
            Department.objects.filter(
                pk__in=scope.department_ids, kind__in=[Department.Kind.SECTION, Department.Kind.UNIT]
            )
            .order_by("order", "id")
            .values_list("name", flat=True)
        )
    h = figures["headline"]
    return {
        "scope": scope,
        "scope_departments": scope_departments,
        "figures": figures,
        "headline": h,
        "tiles": dash.tiles(figures, scope),
        "charts": {**dash.chart_data(figures, scope), "text": chart_text()},
        "waiting": dash.waiting_for(user, scope),
        "leader_rows": [
            {
                **row,
                "rate": dash.rate(row["done"], row["total"]),
                "links": [url for url, _count in dash.leader_links(row, scope)],
            }
            for row in figures["leaders"]
        ],
        "overdue_all_url": dash.ledger_link(scope, flag="overdue"),
        "ledger_url": dash.ledger_link(scope),
        # Only the office imports; the empty state offers it the import page.
        "import_url": _url_or_none("rectification:import_feedback") if is_office(user) else None,
        "group_url": _url_or_none("campaign:group"),
        "is_empty": h["total"] == 0,
        "today": figures["on"],
    }


def _page(request, requested: str | None) -> dict:
    """What the page shows for this user: scope, figures and the rendered figures part."""
    user = request.user
    scope = dash.resolve_scope(user, requested)
    figures = dash.cached_figures(scope, user)
    context = _body_context(user, scope, figures)
    body = render_to_string("campaign/dashboard_body.html", context)
    return {
        "scope": scope,
        "figures": figures,
        "waiting": context["waiting"],
        "today": figures["on"],
        "body": str(body),
    }


def _dashboard(request):
    requested = request.GET.get("scope")
    requested = requested if requested in ("all", "own") else None
    # The figures part is cached per user, scope and language under the dashboard version
    # (campaign.signals bumps it on every write that changes a figure).
    seconds = dash.cache_seconds()
    page = None
    if seconds > 0:
        key = (
            f"dashboard:page:{dash.current_version()}:{dates.today().isoformat()}:{request.user.pk}:"
            f"{requested or '-'}:{get_language()}"
        )
        page = cache.get(key)
    if page is None:
        page = _page(request, requested)
        if seconds > 0:
            cache.set(key, page, seconds)
    return render(request, "campaign/dashboard.html", {**page, "body": mark_safe(page["body"])})  # noqa: S308


def dashboard(request):
    """The whole page is kept too, per browser session, URL, language and number of unread
    notices (the shell's badge), under the same version: a warm request reads the session,
    the user and that count, and sends the stored page. A page with a message waiting to be
    shown is rendered afresh. DASHBOARD_PAGE_CACHE = False keeps only the figures cached."""
    seconds = dash.cache_seconds()
    session_key = request.session.session_key
    if seconds <= 0 or not getattr(settings, "DASHBOARD_PAGE_CACHE", True) or not session_key:
        return _dashboard(request)
    if len(messages.get_messages(request)):
        return _dashboard(request)
    unread = request.user.notices.filter(read=False).count()
    raw = (
        f"{dash.current_version()}:{dates.today().isoformat()}:{session_key}:{request.get_full_path()}:"
        f"{get_language()}:{unread}"
    )
    key = "dashboard:html:" + hashlib.sha256(raw.encode()).hexdigest()
    content = cache.get(key)
    if content is not None:
        return HttpResponse(content)
    response = _dashboard(request)
    if response.status_code == 200:
        cache.set(key, response.content, seconds)
    return response
