"""Inspection rounds (反馈批次) and their problems: list, detail, create, edit."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cadres.roles import is_office

from .. import permissions, selectors, services
from ..forms import ProblemForm, RoundForm
from ..models import InspectionRound, Problem


def round_list(request):
    context = {
        "rounds": selectors.rounds_with_counts(request.user),
        "can_create": permissions.can_create(request.user),
    }
    return render(request, "rectification/round_list.html", context)


def round_detail(request, pk):
    round_ = get_object_or_404(InspectionRound, pk=pk)
    problems = selectors.round_problems(request.user, round_)
    if not problems and not is_office(request.user):
        # A round with nothing of this user's (round_problems keeps the problems with a
        # visible measure): nothing to show them.
        raise Http404
    context = {"round": round_, "problems": problems, "can_create": permissions.can_create(request.user)}
    return render(request, "rectification/round_detail.html", context)


def round_create(request):
    return _round_form(request, None)


def round_edit(request, pk):
    return _round_form(request, pk)


def _round_form(request, pk):
    if not permissions.can_create(request.user):
        raise PermissionDenied(_("Only the campaign office may set up inspection rounds."))
    instance = get_object_or_404(InspectionRound, pk=pk) if pk else None
    form = RoundForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        round_ = services.save_round(form.save(commit=False), request.user)
        messages.success(request, _("Inspection round saved."))
        if request.GET.get("next") == "import":
            # Created from the import page: back there, with the new round chosen.
            return redirect(reverse("rectification:import_feedback") + f"?round={round_.pk}")
        return redirect(round_)
    context = {"form": form, "round": instance, "from_import": request.GET.get("next") == "import"}
    return render(request, "rectification/round_form.html", context)


def problem_create(request, round_pk):
    return _problem_form(request, round_pk=round_pk)


def problem_edit(request, pk):
    return _problem_form(request, pk=pk)


def _problem_form(request, round_pk=None, pk=None):
    if not permissions.can_create(request.user):
        raise PermissionDenied(_("Only the campaign office may record problems."))
    if pk:
        instance = get_object_or_404(Problem.objects.select_related("round"), pk=pk)
        round_ = instance.round
    else:
        round_ = get_object_or_404(InspectionRound, pk=round_pk)
        instance = Problem(round=round_)
    form = ProblemForm(request.POST or None, instance=instance, round_=round_)
    if request.method == "POST" and form.is_valid():
        problem = form.save(commit=False)
        problem.round = round_
        if not problem.number:
            problem.number = services.next_problem_number(round_)
        services.save_problem(problem, request.user)
        messages.success(request, _("Problem saved."))
        return redirect(round_)
    return render(request, "rectification/problem_form.html", {"form": form, "round": round_, "problem": instance})
