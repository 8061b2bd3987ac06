"""The feedback-list import page (问题清单导入): upload and preview, correct how the columns
are read (the mapping) and preview again, confirm, the template."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cadres.roles import is_office
from core.xlsx import attachment_response

from .. import importing
from ..forms import ImportConfirmForm, ImportUploadForm
from ..models import InspectionRound


def _require_office(user):
    if not is_office(user):
        raise PermissionDenied(_("Only the campaign office imports feedback lists."))


@require_http_methods(["GET", "POST"])
def import_feedback(request):
    _require_office(request.user)
    context = {
        "form": None,
        "preview": None,
        "confirm": None,
        "rounds_url": reverse("rectification:round_list"),
        "new_round_url": reverse("rectification:round_create") + "?next=import",
        "has_rounds": InspectionRound.objects.exists(),
    }
    if request.method == "POST" and "token" in request.POST:
        if "remap" in request.POST:
            return _remap(request, context)
        return _confirm(request, context)
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            _preview(request, form, context)
    else:
        round_id = request.GET.get("round", "")
        form = ImportUploadForm(initial={"round": round_id} if round_id.isdigit() else {})
    context["form"] = form
    return render(request, "rectification/import.html", context)


def mapping_from(data) -> dict[int, str | None]:
    """The office's mapping from the preview's form: {column number: key or None}."""
    mapping = {}
    for name, value in data.items():
        if name.startswith("map-") and name[4:].isdigit():
            mapping[int(name[4:])] = value if value in importing.KEYS else None
    return mapping


def _preview(request, form, context):
    """Validate the upload into the context and keep the file for the next step (a new
    mapping, or the confirmation)."""
    round_ = form.cleaned_data["round"]
    name = form.cleaned_data["file"].name
    try:
        preview = importing.validate(form.data_bytes, round_)
    except importing.ImportRefused as refused:
        form.add_error("file", str(refused))
        return
    token, digest = importing.store_pending(form.data_bytes, user_id=request.user.pk, round_id=round_.pk, name=name)
    _show(context, preview, name, token, digest)


def _show(context, preview, name, token, digest):
    pending = ImportConfirmForm(initial={"token": token, "sha256": digest})
    context.update(preview=preview, file_name=name, pending=pending, confirm=pending if preview.ok else None)


def _pending_or_none(request):
    confirm = ImportConfirmForm(request.POST)
    if not confirm.is_valid():
        return None, None
    token = confirm.cleaned_data["token"]
    pending = importing.load_pending(token, user_id=request.user.pk, digest=confirm.cleaned_data["sha256"])
    return pending, confirm


def _expired(request):
    messages.error(request, _("The uploaded file has expired, was already imported or was changed. Upload it again."))
    return redirect("rectification:import_feedback")


def _remap(request, context):
    """Preview the kept file again, its columns read as the office set them."""
    pending, confirm = _pending_or_none(request)
    if pending is None:
        return _expired(request)
    data, meta = pending
    round_ = get_object_or_404(InspectionRound, pk=meta["round_id"])
    preview = importing.validate(data, round_, mapping_from(request.POST))
    _show(context, preview, meta.get("name", ""), confirm.cleaned_data["token"], confirm.cleaned_data["sha256"])
    context["form"] = ImportUploadForm(initial={"round": round_.pk})
    return render(request, "rectification/import.html", context)


def _confirm(request, context):
    pending, confirm = _pending_or_none(request)
    if pending is None:
        return _expired(request)
    data, meta = pending
    round_ = get_object_or_404(InspectionRound, pk=meta["round_id"])
    token = confirm.cleaned_data["token"]
    try:
        result = importing.import_feedback_xlsx(data, round_, request.user, mapping_from(request.POST))
    except importing.ImportInvalid as invalid:
        # Something changed since the preview (a department or person was removed).
        importing.discard_pending(token)
        form = ImportUploadForm(initial={"round": round_.pk})
        context.update(preview=invalid.preview, form=form, file_name=meta.get("name", ""))
        messages.error(request, _("The file is no longer valid; nothing was imported."))
        return render(request, "rectification/import.html", context)
    except importing.ImportRefused as refused:
        importing.discard_pending(token)
        messages.error(request, str(refused))
        return redirect("rectification:import_feedback")
    importing.discard_pending(token)
    messages.success(
        request,
        _("Imported %(problems)s problems and %(measures)s measures into “%(round)s”.")
        % {"problems": result.problems, "measures": result.measures, "round": round_.title},
    )
    return redirect(reverse("rectification:ledger") + f"?round={round_.pk}")


@require_GET
def import_template(request):
    _require_office(request.user)
    return attachment_response(importing.template_bytes(), "问题清单导入模板.xlsx")
