"""POST /rectification/from-risk/<risk id>/: send a post integrity-risk finding to the
ledger (risk_findings.create_problem_from_risk). The risk must be in the user's cadres
scope (404 otherwise)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.models import PostRisk
from cadres.scoping import scope

from .. import permissions
from ..risk_findings import create_problem_from_risk


@require_POST
def problem_from_risk(request, pk):
    if not scope(PostRisk.objects.filter(pk=pk), request.user, "cadres", "post__department").exists():
        raise Http404
    problem, created = create_problem_from_risk(pk, request.user)
    text = (
        _("Sent to the ledger as problem %(number)s of “%(round)s”.")
        if created
        else _("Already in the ledger as problem %(number)s of “%(round)s”.")
    )
    messages.success(request, text % {"number": problem.number, "round": problem.round.title})
    if permissions.can_create(request.user):
        return redirect(problem.round)
    return redirect("cadres:risk_list")
