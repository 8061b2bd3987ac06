"""Cadre records: the roster (filters, xlsx export and import), a person's record with the
work history, relatives, deferrals, warnings and change history, and the pages on which
the personnel section edits people, departments and posts."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core import dates
from core.pagination import paginate
from core.uploads import ImportRefused
from core.xlsx import xlsx_response

from .. import history, permissions, sanity, selectors, services
from ..filters import filter_roster
from ..forms import (
    CadreEditForm,
    CadreForm,
    DeferralForm,
    DepartmentForm,
    HoldingForm,
    MoveForm,
    PostForm,
    RelationForm,
    RosterFilterForm,
    UploadForm,
)
from ..importing import ImportInvalid, import_roster
from ..models import Cadre, Deferral, Department, Post, PostHolding, Relation
from ..scoping import can_see_department, scope
from ..tables import roster_columns
from .common import AREA, cadre_or_404, errors_to_form, require_records


def cadre_list(request):
    personal = permissions.sees_personal_data(request.user)
    departments = scope(selectors.departments(), request.user, AREA, "id")
    form = RosterFilterForm(request.GET or None, departments=departments, personal=personal)
    people = scope(selectors.active_cadres(), request.user, AREA)
    if form.is_valid():
        people = filter_roster(people, form.cleaned_data, dates.today())
    if request.GET.get("format") == "xlsx":
        return xlsx_response(_("Roster"), roster_columns(personal), people, _("roster.xlsx"))
    context = {
        "page": paginate(request, people, 50),
        "form": form,
        "personal": personal,
        "keeps_records": permissions.keeps_records(request.user),
        "today": dates.today(),
    }
    return render(request, "cadres/cadre_list.html", context)


def cadre_detail(request, pk):
    cadre = cadre_or_404(request, pk)
    personal = permissions.sees_personal_data(request.user, cadre)
    context = {"cadre": cadre, "personal": personal, "keeps_records": permissions.keeps_records(request.user)}
    if personal:
        holdings = selectors.holdings_of(cadre)
        today = dates.today()
        relations = Relation.objects.filter(Q(cadre=cadre) | Q(relative=cadre)).select_related(
            "cadre__department", "relative__department"
        )
        context.update(
            holdings=holdings,
            warnings=sanity.record_warnings(cadre, holdings),
            relatives=[(r, r.relative if r.cadre_id == cadre.pk else r.cadre) for r in relations],
            deferrals=cadre.deferrals.all(),
            placements=cadre.placements.all(),
            age=cadre.age_on(today),
            years_in_post=cadre.years_in_post_on(today),
            timeline=history.timeline(
                Cadre.history.filter(id=cadre.pk),
                PostHolding.history.filter(cadre_id=cadre.pk),
                Relation.history.filter(Q(cadre_id=cadre.pk) | Q(relative_id=cadre.pk)),
                Deferral.history.filter(cadre_id=cadre.pk),
            ),
        )
    return render(request, "cadres/cadre_detail.html", context)


def _form_page(request, form, title, back, template="cadres/form.html", **extra):
    return render(request, template, {"form": form, "title": title, "back": back, **extra})


def cadre_create(request):
    require_records(request.user)
    form = CadreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cadre = services.create_cadre(form.save(commit=False), request.user, since=form.cleaned_data["in_post_since"])
        messages.success(request, _("%(name)s has been added.") % {"name": cadre.name})
        return redirect("cadres:cadre_detail", cadre.pk)
    return _form_page(request, form, _("New person"), "cadres:cadre_list")


def cadre_edit(request, pk):
    cadre = cadre_or_404(request, pk)
    require_records(request.user)
    form = CadreEditForm(request.POST or None, instance=cadre)
    if request.method == "POST" and form.is_valid():
        services.update_cadre(form.save(commit=False), request.user)
        messages.success(request, _("Saved."))
        return redirect("cadres:cadre_detail", cadre.pk)
    return _form_page(request, form, _("Edit %(name)s") % {"name": cadre.name}, "cadres:cadre_list", cadre=cadre)


def cadre_move(request, pk):
    cadre = cadre_or_404(request, pk)
    require_records(request.user)
    form = MoveForm(request.POST or None, initial={"start": dates.today(), "rank": cadre.rank})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_move(cadre, request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The move has been recorded in the work history."))
            return redirect("cadres:cadre_detail", cadre.pk)
    return _form_page(
        request, form, _("Record a move: %(name)s") % {"name": cadre.name}, "cadres:cadre_list", cadre=cadre
    )


def holding_create(request, pk):
    cadre = cadre_or_404(request, pk)
    require_records(request.user)
    return _holding_form(request, cadre, PostHolding(cadre=cadre))


def holding_edit(request, pk):
    holding = get_object_or_404(PostHolding.objects.select_related("cadre"), pk=pk)
    cadre = cadre_or_404(request, holding.cadre_id)
    require_records(request.user)
    if request.method == "POST" and request.POST.get("delete"):
        services.delete_holding(holding, request.user)
        messages.success(request, _("The row has been removed from the work history."))
        return redirect("cadres:cadre_detail", cadre.pk)
    return _holding_form(request, cadre, holding)


def _holding_form(request, cadre, holding):
    form = HoldingForm(request.POST or None, instance=holding)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_holding(form.save(commit=False), request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The work history has been saved."))
            return redirect("cadres:cadre_detail", cadre.pk)
    title = _("Work history of %(name)s") % {"name": cadre.name}
    return _form_page(request, form, title, "cadres:cadre_list", cadre=cadre, deletable=holding.pk is not None)


def relation_create(request, pk):
    cadre = cadre_or_404(request, pk)
    require_records(request.user)
    form = RelationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_relation(cadre, form.cleaned_data["relative"], form.cleaned_data["kind"], request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            return redirect("cadres:cadre_detail", cadre.pk)
    return _form_page(request, form, _("Relative of %(name)s") % {"name": cadre.name}, "cadres:cadre_list", cadre=cadre)


def relation_delete(request, pk):
    relation = get_object_or_404(Relation, pk=pk)
    cadre = cadre_or_404(request, relation.cadre_id)
    require_records(request.user)
    if request.method != "POST":
        raise Http404
    services.delete_relation(relation, request.user)
    return redirect("cadres:cadre_detail", cadre.pk)


def deferral_create(request, pk):
    cadre = cadre_or_404(request, pk)
    require_records(request.user)
    form = DeferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_deferral(cadre, request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The deferral has been recorded."))
            return redirect("cadres:cadre_detail", cadre.pk)
    title = _("Defer rotation (暂缓交流): %(name)s") % {"name": cadre.name}
    return _form_page(request, form, title, "cadres:cadre_list", cadre=cadre)


def roster_import(request):
    require_records(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = import_roster(form.cleaned_data["file"].read(), request.user)
        except ImportRefused as exc:
            form.add_error("file", str(exc))
        except ImportInvalid as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _("Roster imported: %(created)s added, %(updated)s updated, %(unchanged)s unchanged.") % vars(result),
            )
            return redirect("cadres:cadre_list")
    return render(
        request,
        "cadres/import.html",
        {"form": form, "errors": errors, "title": _("Import the roster (花名册)"), "back": "cadres:cadre_list"},
    )


# --- departments and posts -------------------------------------------------------------------


def department_list(request):
    departments = scope(selectors.departments(), request.user, AREA, "id").annotate(
        headcount=Count("cadres", filter=Q(cadres__active=True))
    )
    return render(
        request,
        "cadres/department_list.html",
        {"departments": departments, "keeps_records": permissions.keeps_records(request.user)},
    )


def department_detail(request, pk):
    if not can_see_department(request.user, pk, AREA):
        raise Http404
    department = Department.objects.select_related("overseen_by").filter(pk=pk).first()
    if department is None:
        raise Http404
    people = selectors.active_cadres().filter(department=department)
    posts = department.posts.prefetch_related("risks")
    return render(
        request,
        "cadres/department_detail.html",
        {
            "department": department,
            "people": people,
            "posts": posts,
            "keeps_records": permissions.keeps_records(request.user),
        },
    )


def department_form(request, pk=None):
    if pk and not can_see_department(request.user, pk, AREA):
        raise Http404
    require_records(request.user)
    department = get_object_or_404(Department, pk=pk) if pk else Department()
    form = DepartmentForm(request.POST or None, instance=department)
    if request.method == "POST" and form.is_valid():
        department = services.save_department(form.save(commit=False), request.user)
        return redirect("cadres:department_detail", department.pk)
    title = _("Edit %(name)s") % {"name": department.name} if pk else _("New department")
    return _form_page(request, form, title, "cadres:department_list")


def post_form(request, pk=None):
    post = get_object_or_404(scope(Post.objects.all(), request.user, AREA), pk=pk) if pk else Post()
    require_records(request.user)
    department = request.GET.get("department", "")
    initial = {"department": int(department)} if department.isdigit() else {}
    form = PostForm(request.POST or None, instance=post, initial=initial)
    if request.method == "POST" and form.is_valid():
        post = services.save_post(form.save(commit=False), request.user)
        return redirect("cadres:department_detail", post.department_id)
    title = _("Edit post %(title)s") % {"title": post.title} if pk else _("New post")
    return _form_page(request, form, title, "cadres:department_list")
