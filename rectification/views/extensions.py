"""Deadline extensions (延期申请) on a measure's page: the lead department's request, the
leader's and the office's decisions, and the office's direct extension (extensions.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import extensions
from ..forms import ExtensionDecisionForm, ExtensionRequestForm
from ..models import Extension
from .common import errors_to_form, measure_or_404
from .measures import render_detail


def _back(measure):
    return redirect(reverse("rectification:measure_detail", args=[measure.pk]) + "#extension")


@require_POST
def extension_request(request, pk):
    """The lead department asks (action "request"), or the office extends directly ("direct")."""
    measure = measure_or_404(request, pk)
    direct = request.POST.get("kind") == "direct"
    action = extensions.Action.DIRECT if direct else extensions.Action.REQUEST
    try:
        extensions.check(request.user, measure, extensions.pending(measure), action)
    except extensions.ExtensionError as exc:
        messages.error(request, exc.messages[0])
        return _back(measure)
    form = ExtensionRequestForm(request.POST, request.FILES, measure=measure, direct=direct)
    if not form.is_valid():
        return render_detail(request, measure, extension_forms={action: form}, status=400)
    new_deadline, reason, files = form.step_args()
    try:
        if direct:
            extensions.direct(measure.pk, request.user, new_deadline, reason)
        else:
            extensions.request(measure.pk, request.user, new_deadline, reason, files)
    except extensions.ExtensionError as exc:
        messages.error(request, exc.messages[0])
        return _back(measure)
    except ValidationError as exc:
        errors_to_form(form, exc)
        return render_detail(request, measure, extension_forms={action: form}, status=400)
    if direct:
        messages.success(request, _("The deadline is now %(date)s.") % {"date": new_deadline.isoformat()})
    else:
        messages.success(
            request, _("Extension requested: the responsible leader reviews it, then the campaign office.")
        )
    return _back(measure)


@require_POST
def extension_decide(request, pk, action):
    extension = get_object_or_404(Extension, pk=pk)
    measure = measure_or_404(request, extension.measure_id)
    if action not in extensions.DECISIONS:
        raise Http404
    try:
        extensions.check(request.user, measure, extension, action)
    except extensions.ExtensionError as exc:
        messages.error(request, exc.messages[0])
        return _back(measure)
    refuse = action in (extensions.Action.LEADER_REFUSE, extensions.Action.OFFICE_REFUSE)
    form = ExtensionDecisionForm(request.POST, refuse=refuse, action=action)
    if not form.is_valid():
        return render_detail(request, measure, extension_forms={action: form}, status=400)
    try:
        extension = extensions.decide(extension.pk, request.user, action, form.cleaned_data["comment"])
    except extensions.ExtensionError as exc:
        messages.error(request, exc.messages[0])
        return _back(measure)
    except ValidationError as exc:
        errors_to_form(form, exc)
        return render_detail(request, measure, extension_forms={action: form}, status=400)
    messages.success(
        request, _("Done: the extension request is now “%(status)s”.") % {"status": extension.get_status_display()}
    )
    return _back(measure)
