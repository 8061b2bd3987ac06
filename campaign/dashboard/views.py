"""The leaders' dashboard (领导驾驶舱) at /dashboard/, and the home page that shows it to
leaders and the office and tells everyone else where their work is."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cadres.models import Department
from cadres.roles import LEADER, OFFICE, ROLE_LABELS, is_office, user_roles
from cadres.selectors import cadre_for
from core import calendar, dates
from rectification.selectors import my_measures

from . import cache as dash_cache
from . import charts, partybuilding, queues, selectors
from .cadres import cadre_card
from .scope import ledger_link, resolve_scope


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
    tile_key = f"{user.pk}:{figures['on'].isoformat()}:{get_language()}"
    return {
        "scope": scope,
        "scope_departments": scope_departments,
        "figures": figures,
        "headline": h,
        "tiles": charts.tiles(figures, scope),
        "charts": {**charts.chart_data(figures, scope), "text": chart_text()},
        "waiting": selectors.waiting_for(user, scope),
        "leader_rows": [
            {
                **row,
                "rate": charts.rate(row["done"], row["total"]),
                "links": [url for url, _count in charts.leader_links(row, scope)],
            }
            for row in figures["leaders"]
        ],
        "overdue_all_url": ledger_link(scope, flag="overdue"),
        "ledger_url": ledger_link(scope),
        # Only the office imports; the empty state offers it the import page.
        "import_url": reverse("rectification:import_feedback") if is_office(user) else None,
        "group_url": reverse("campaign:group"),
        "is_empty": h["total"] == 0,
        "today": figures["on"],
        # Per user (links and branches depend on who asks) and language (the labels).
        "party": dash_cache.cached_tile(f"party:{tile_key}", lambda: partybuilding.tile(user, figures["on"])),
        "cadres": dash_cache.cached_tile(f"cadres:{tile_key}", lambda: cadre_card(user, figures["on"])),
    }


def _page(request, scope, figures_version: str | None) -> dict:
    """What the page shows for this user: scope, figures and the rendered figures part."""
    user = request.user
    figures = dash_cache.cached_figures(scope, user, version=figures_version)
    context = _body_context(user, scope, figures)
    body = render_to_string("campaign/dashboard/body.html", context)
    return {
        "scope": scope,
        "figures": figures,
        "waiting": context["waiting"],
        "today": figures["on"],
        "body": str(body),
    }


def page_parameters(request) -> str:
    """The query parameters the page reads, normalised: the cache key of the page."""
    return requested_scope(request) or "-"


def requested_scope(request) -> str | None:
    requested = request.GET.get("scope")
    return requested if requested in ("all", "own") else None


def _scope(request, cached: bool):
    """The request's scope and, when cached, the version of its figures. The scope itself
    (roles, cadre, overseen departments: four queries) is kept per user and day (the 组长
    is who leads on that day) until people, roles or departments change."""
    requested = requested_scope(request)
    if not cached:
        return resolve_scope(request.user, requested), None
    name = f"{dates.today().isoformat()}:{request.user.pk}:{requested or '-'}"
    return dash_cache.cached_scope(name, lambda: resolve_scope(request.user, requested))


def _dashboard(request, queues=None, scope=None, version=None):
    seconds = dash_cache.cache_seconds()
    if scope is None:
        scope, version = _scope(request, seconds > 0)
    # The figures part (the body) is rendered once per user, scope, language and version of
    # the scope's figures; the shell around it (user, notices, CSRF token) on every request.
    page = None
    if seconds > 0:
        key = (
            f"dashboard:page:{version}:{dates.today().isoformat()}:{request.user.pk}:"
            f"{page_parameters(request)}:{get_language()}"
        )
        page = cache.get(key)
    if page is None:
        page = _page(request, scope, version)
        if seconds > 0:
            cache.set(key, page, seconds)
    context = {**page, "body": mark_safe(page["body"])}  # noqa: S308
    if queues is not None:  # the home page of a leader or the office: their queues on top
        found = queues()
        context.update(queues=found, queue_total=sum(q.count for q in found))
    return render(request, "campaign/dashboard/page.html", context)


def dashboard(request, queues=None):
    """`queues` (a callable) adds the work queues of the home page. The whole page is kept
    too, per browser session, path, the parameters the page reads (scope), language and number
    of unread notices (the shell's badge), under the scope's version: a warm request reads the
    session, the user and that count, and sends the stored page. Any other query parameter
    does not make a new entry (random query strings must not fill the cache). A page with a
    message waiting to be shown is rendered afresh. DASHBOARD_PAGE_CACHE = False keeps only
    the figures and the rendered figures part cached."""
    seconds = dash_cache.cache_seconds()
    session_key = request.session.session_key
    if seconds <= 0 or not settings.DASHBOARD_PAGE_CACHE or not session_key:
        return _dashboard(request, queues)
    if len(messages.get_messages(request)):
        return _dashboard(request, queues)
    scope, version = _scope(request, cached=True)
    unread = request.user.notices.filter(read=False).count()
    raw = (
        f"{version}:{dates.today().isoformat()}:{session_key}:{request.path}:"
        f"{page_parameters(request)}:{get_language()}:{unread}"
    )
    key = "dashboard:html:" + hashlib.sha256(raw.encode()).hexdigest()
    content = cache.get(key)
    if content is not None:
        return HttpResponse(content)
    response = _dashboard(request, queues, scope, version)
    if response.status_code == 200:
        cache.set(key, response.content, seconds)
    return response


def home(request):
    """Each role's work queue: staff their measures (overdue first), heads their department's
    queues; leaders and the office the dashboard, their queues on top (queues.py)."""
    roles = user_roles(request.user)
    # For leaders and the office the home page is the dashboard (shown here, not by a
    # redirect, so a bookmark of the home page opens it); ?stay=1 shows them this page.
    if roles & {LEADER, OFFICE} and request.GET.get("stay") != "1":
        return dashboard(request, queues=lambda: queues.review_queues(request.user))
    day = dates.today()
    context = {
        "cadre": cadre_for(request.user),
        "roles": [ROLE_LABELS[r] for r in ROLE_LABELS if r in roles],
        "role_names": roles,
        "my_measures": my_measures(request.user),
        "head_queues": queues.head_queues(request.user),
        "today": day,
        "calendar_missing": not calendar.has_data(day.year),
    }
    return render(request, "home.html", context)
