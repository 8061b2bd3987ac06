from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.pagination import paginate
from core.xlsx import xlsx_response

from . import selectors
from .models import Cadre, Department
from .scoping import can_see_department, scope
from .tables import cadre_columns

AREA = "cadres"


def cadre_list(request):
    cadres = scope(selectors.active_cadres(), request.user, AREA)
    query = request.GET.get("q", "").strip()
    if query:
        cadres = cadres.filter(Q(name__icontains=query) | Q(rank__icontains=query) | Q(post__title__icontains=query))
    department = request.GET.get("department", "")
    if department.isdigit():
        cadres = cadres.filter(department_id=int(department))
    if request.GET.get("format") == "xlsx":
        return xlsx_response(_("Cadres"), cadre_columns(), cadres, _("cadres.xlsx"))
    departments = scope(selectors.departments(), request.user, AREA, "id")
    return render(
        request,
        "cadres/cadre_list.html",
        {"page": paginate(request, cadres, 50), "query": query, "department": department, "departments": departments},
    )


def cadre_detail(request, pk):
    cadre = scope(Cadre.objects.select_related("department", "post", "user"), request.user, AREA).filter(pk=pk).first()
    if cadre is None:
        raise Http404
    return render(request, "cadres/cadre_detail.html", {"cadre": cadre})


def department_list(request):
    departments = scope(selectors.departments(), request.user, AREA, "id").annotate(
        headcount=Count("cadres", filter=Q(cadres__active=True))
    )
    return render(request, "cadres/department_list.html", {"departments": departments})


def department_detail(request, pk):
    if not can_see_department(request.user, pk, AREA):
        raise Http404
    department = Department.objects.select_related("overseen_by").filter(pk=pk).first()
    if department is None:
        raise Http404
    people = selectors.active_cadres().filter(department=department)
    posts = department.posts.prefetch_related("risks")
    return render(
        request, "cadres/department_detail.html", {"department": department, "people": people, "posts": posts}
    )
