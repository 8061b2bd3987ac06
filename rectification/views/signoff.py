"""The sign-off steps (销号): one view for every step of workflow.TRANSITIONS."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import workflow
from ..forms import step_form
from .common import errors_to_form, measure_or_404
from .measures import render_detail


@require_POST
def transition(request, pk, action):
    measure = measure_or_404(request, pk)
    if action not in workflow.TRANSITIONS:
        raise Http404
    try:
        workflow.check(request.user, measure, action)
    except workflow.WorkflowError as exc:
        messages.error(request, exc.messages[0])
        return redirect(measure)
    form = step_form(action, request.POST, request.FILES)
    if not form.is_valid():
        return render_detail(request, measure, step_forms={action: form}, status=400)
    try:
        measure = workflow.run(action, measure.pk, request.user, *form.step_args())
    except workflow.WorkflowError as exc:
        messages.error(request, exc.messages[0])
        return redirect(measure)
    except ValidationError as exc:
        errors_to_form(form, exc)
        return render_detail(request, measure, step_forms={action: form}, status=400)
    messages.success(request, _("Done: the measure is now “%(status)s”.") % {"status": measure.get_status_display()})
    return redirect(measure)
