"""A measure's page (problem, measure, progress, evidence, sign-off, extensions, history),
logging progress, evidence downloads and previews, and creating and editing measures
(with the side-by-side view of an edit conflict)."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.roles import is_office
from cadres.selectors import person_name
from core.downloads import protect_download

from .. import extensions, history, permissions, selectors, services, uploads, wording, workflow
from ..forms import ExtensionDecisionForm, ExtensionRequestForm, MeasureForm, ProgressForm, step_form
from ..models import Extension, Measure, Problem
from .common import error_summary, errors_to_form, measure_or_404


def render_detail(request, measure, *, progress_form=None, step_forms=None, extension_forms=None, status=200):
    """The measure's page; `progress_form`, `step_forms` and `extension_forms` ({action: form})
    carry a refused form, whose errors are also summed up at the top of the page."""
    step_forms = step_forms or {}
    can_add_progress = permissions.can_add_progress(request.user, measure)
    steps_now = [
        {"transition": o.transition, "form": step_forms[o.action] if o.action in step_forms else step_form(o.action)}
        for o in workflow.options(request.user, measure)
        if o.allowed
    ]
    refused = [f for f in [progress_form, *step_forms.values(), *(extension_forms or {}).values()] if f is not None]
    entries, evidence = selectors.progress_and_evidence(measure)
    context = {
        "measure": measure,
        "problem": measure.problem,
        "can_edit": permissions.can_edit(request.user, measure),
        "progress_form": progress_form if progress_form is not None else (ProgressForm() if can_add_progress else None),
        "steps_now": steps_now,
        "status_note": workflow.status_note(measure),
        "entries": entries,
        "evidence": evidence,
        "steps": selectors.signoff_steps(measure),
        "timeline": history.measure_timeline(measure),
        "refused_errors": [e for f in refused for e in error_summary(f)],
        **_extension_context(request.user, measure, extension_forms or {}),
    }
    return render(request, "rectification/measure_detail.html", context, status=status)


def _extension_context(user, measure, forms) -> dict:
    """The extension card: the pending request, what this user may do about it, the record."""
    record = list(selectors.extensions_of(measure))
    # The pending request is in the record: no second query for it (extensions.pending).
    current = next((e for e in record if e.status in Extension.PENDING_STATUSES), None)
    allowed = extensions.allowed(user, measure, current)
    A = extensions.Action
    approved = [e for e in record if e.status == Extension.Status.APPROVED]

    def form_for(action):
        if action in forms:
            return forms[action]
        if action in (A.REQUEST, A.DIRECT):
            return ExtensionRequestForm(measure=measure, direct=action == A.DIRECT)
        refuse = action in (A.LEADER_REFUSE, A.OFFICE_REFUSE)
        return ExtensionDecisionForm(refuse=refuse, action=action)

    return {
        "extension_pending": current,
        "extension_note": extensions.STATUS_NOTES.get(current.status, "") if current else "",
        "extension_request_form": form_for(A.REQUEST) if A.REQUEST in allowed else None,
        "extension_direct_form": form_for(A.DIRECT) if A.DIRECT in allowed else None,
        "extension_decisions": [
            {"transition": extensions.TRANSITIONS[a], "form": form_for(a)} for a in extensions.DECISIONS if a in allowed
        ],
        "extension_record": record,
        "extension_count": len(approved),
        "extension_days": sum(e.days for e in approved),
    }


def measure_detail(request, pk):
    return render_detail(request, measure_or_404(request, pk))


@require_POST
def progress_add(request, pk):
    measure = measure_or_404(request, pk)
    if not permissions.can_add_progress(request.user, measure):
        raise PermissionDenied(_("You may add progress only to measures of your own department."))
    form = ProgressForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_detail(request, measure, progress_form=form, status=400)
    data = form.cleaned_data
    try:
        entry, created = services.add_progress(
            measure.pk,
            request.user,
            text=data["text"],
            date=data["date"],
            percent=data["percent"],
            files=data["files"],
            token=data["submission_token"],
        )
    except ValidationError as exc:
        errors_to_form(form, exc)
        return render_detail(request, measure, progress_form=form, status=400)
    if created:
        messages.success(request, _("Progress saved."))
    else:
        messages.info(request, _("This progress entry was already saved; it was not added twice."))
    return redirect(reverse("rectification:measure_detail", args=[measure.pk]) + f"#progress-{entry.pk}")


def evidence_download(request, pk):
    item = selectors.visible_evidence(request.user, pk)
    if item is None or not item.file:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=item.original_name, content_type=item.content_type)
    return protect_download(response)


def evidence_preview(request, pk):
    """An image, or the first page of a PDF as an image, to show in the page: the same
    permission check as the download (404 outside the user's scope), shown inline."""
    item = selectors.visible_evidence(request.user, pk)
    if item is None or not item.file or not uploads.previewable(item):
        raise Http404
    try:
        shown = uploads.preview(item)
        handle = shown.path.open("rb") if shown is not None else None
    except FileNotFoundError as exc:
        raise Http404 from exc
    if handle is None:
        raise Http404
    response = FileResponse(handle, content_type=shown.content_type)
    response["Content-Disposition"] = "inline"
    return protect_download(response)


def measure_create(request):
    if not permissions.can_create(request.user):
        raise PermissionDenied(_("Only the campaign office may create measures."))
    initial = {}
    problem_id = request.GET.get("problem", "")
    if problem_id.isdigit():
        initial["problem"] = Problem.objects.filter(pk=int(problem_id)).first()
    form = MeasureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        partners = data.pop("partner_departments", [])
        try:
            measure = services.create_measure(request.user, data, partners)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Measure created."))
            return redirect(measure)
    return render(request, "rectification/measure_form.html", {"form": form, "creating": True})


def measure_edit(request, pk):
    measure = measure_or_404(request, pk)
    if not permissions.can_edit(request.user, measure):
        raise PermissionDenied(_("You may change only measures of your own department."))
    form = MeasureForm(request.POST or None, instance=measure, office=is_office(request.user))
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        partners = data.pop("partner_departments", None)
        reason = data.pop("deadline_reason", "")
        expected = data.pop("version", None) or 0
        try:
            measure = services.update_measure(
                measure.pk, request.user, data, expected, partner_departments=partners, reason=reason
            )
        except services.ConflictError as exc:
            conflict = _conflict(form, exc.current)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(measure)
    return render(
        request,
        "rectification/measure_form.html",
        {"form": form, "measure": measure, "conflict": conflict, "creating": False},
        status=409 if conflict else (400 if request.method == "POST" else 200),
    )


def _conflict(form, current: Measure):
    """Both versions side by side; the form keeps what this user typed and now carries
    the current version, so saving again is a deliberate overwrite."""
    current = (
        Measure.objects.select_related("problem", "responsible_leader", "lead_department", "responsible_person")
        .prefetch_related("partner_departments")
        .get(pk=current.pk)
    )
    rows = []
    for name in MeasureForm.Meta.fields:
        mine_text = _value_text(name, form.cleaned_data.get(name))
        theirs_text = _value_text(name, getattr(current, name))
        rows.append(
            {
                "label": form.fields[name].label,
                "mine": mine_text,
                "theirs": theirs_text,
                "differs": mine_text != theirs_text,
            }
        )
    data = form.data.copy()
    data["version"] = current.version
    form.data = data
    last = current.history.select_related("history_user__cadre").order_by("-history_date").first()
    return {"rows": rows, "by": person_name(last.history_user) if last else "", "at": current.updated_at}


def _value_text(name, value):
    if name == "partner_departments":
        departments = value.all() if hasattr(value, "all") else value or []
        return wording.join(departments) or "—"
    if value in (None, "") or value == []:
        return "—"
    if name == "term":
        return str(dict(Measure.Term.choices).get(value, value))
    if isinstance(value, dt.date):
        return date_format(value)
    return str(value)
