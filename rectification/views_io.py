"""The feedback-list import page (问题清单导入) and the ledger's xlsx export."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cadres.roles import is_office
from core.xlsx import add_sheet, attachment_response, new_workbook, workbook_bytes

from . import filters, importing, selectors, tables
from .forms_io import ImportConfirmForm, ImportUploadForm
from .models import InspectionRound


def _require_office(user):
    if not is_office(user):
        raise PermissionDenied(_("Only the campaign office imports feedback lists."))


def _url(name, *args, query=""):
    try:
        return reverse(name, args=args) + query
    except NoReverseMatch:
        return None


@require_http_methods(["GET", "POST"])
def import_feedback(request):
    _require_office(request.user)
    context = {
        "form": None,
        "preview": None,
        "confirm": None,
        "rounds_url": _url("rectification:round_list"),
        "has_rounds": InspectionRound.objects.exists(),
    }
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, context)
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            round_ = form.cleaned_data["round"]
            try:
                preview = importing.validate(form.data_bytes, round_)
            except importing.ImportRefused as refused:
                form.add_error("file", str(refused))
            else:
                context["preview"] = preview
                context["file_name"] = form.cleaned_data["file"].name
                if preview.ok:
                    token, digest = importing.store_pending(
                        form.data_bytes,
                        user_id=request.user.pk,
                        round_id=round_.pk,
                        name=form.cleaned_data["file"].name,
                    )
                    context["confirm"] = ImportConfirmForm(initial={"token": token, "sha256": digest})
    else:
        initial = {}
        if request.GET.get("round", "").isdigit():
            initial["round"] = request.GET["round"]
        form = ImportUploadForm(initial=initial)
    context["form"] = form
    return render(request, "rectification/import.html", context)


def _confirm(request, context):
    confirm = ImportConfirmForm(request.POST)
    pending = None
    if confirm.is_valid():
        pending = importing.load_pending(
            confirm.cleaned_data["token"], user_id=request.user.pk, digest=confirm.cleaned_data["sha256"]
        )
    if pending is None:
        messages.error(
            request, _("The uploaded file has expired, was already imported or was changed. Upload it again.")
        )
        return redirect("rectification:import_feedback")
    data, meta = pending
    round_ = get_object_or_404(InspectionRound, pk=meta["round_id"])
    token = confirm.cleaned_data["token"]
    try:
        result = importing.import_feedback_xlsx(data, round_, request.user)
    except importing.ImportInvalid as invalid:
        # Something changed since the preview (a department or person was removed).
        importing.discard_pending(token)
        context.update(
            preview=invalid.preview, form=ImportUploadForm(initial={"round": round_.pk}), file_name=meta.get("name", "")
        )
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
    return redirect(
        _url("rectification:ledger", query=f"?round={round_.pk}")
        or _url("rectification:round_detail", round_.pk)
        or "rectification:import_feedback"
    )


@require_GET
def import_template(request):
    _require_office(request.user)
    return attachment_response(importing.template_bytes(), "问题清单导入模板.xlsx")


@require_GET
def ledger_export(request):
    """The ledger exactly as filtered on screen (every page of it) as .xlsx."""
    measures = selectors.visible_measures(request.user, whole_bureau=request.GET.get("scope") == "all")
    qs = filters.MeasureFilter(request.GET, queryset=measures, request=request).qs
    sort = request.GET.get("sort")
    qs = qs.order_by(*filters.SORTS.get(sort, filters.SORTS["number"]))
    title = _("Rectification ledger")
    now = timezone.localtime()
    wb = new_workbook()
    add_sheet(
        wb,
        title,
        tables.ledger_columns(),
        tables.ledger_rows(qs).iterator(chunk_size=500),
        heading=_("%(title)s (exported %(time)s)") % {"title": title, "time": now.strftime("%Y-%m-%d %H:%M")},
    )
    return attachment_response(workbook_bytes(wb), f"{title}_{now:%Y%m%d-%H%M}.xlsx")
