"""/reports/: the report archive, the 生成报告 form, the office's report text per month,
the polled progress row, downloads.

Only those who see the whole ledger (the campaign office, admins) may build or download
a report: everyone else gets 403 on the page and 404 on a report's URLs.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cadres.scoping import sees_everything
from core import dates
from core.downloads import protect_download
from core.pagination import paginate
from core.xlsx import XLSX_TYPE

from . import narrative, services
from .checks import pdf_environment_problems
from .forms import NarrativeForm, ReportRequestForm, narrative_month
from .models import Report

AREA = "rectification"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {"pdf": ("pdf", "application/pdf"), "xlsx": ("xlsx", XLSX_TYPE), "docx": ("docx", DOCX_TYPE)}


def _require_office(request):
    if not sees_everything(request.user, AREA):
        raise PermissionDenied


def _report_or_404(request, pk) -> Report:
    if not sees_everything(request.user, AREA):
        raise Http404
    return get_object_or_404(Report.objects.select_related("requested_by__cadre", "round"), pk=pk)


def _list_context(request, form=None, narrative_form=None, month=None):
    reports = Report.objects.select_related("requested_by__cadre", "round")
    month = month or narrative_month(request.GET.get("text_month"))
    text = narrative.narrative_for(month)
    return {
        "form": form or ReportRequestForm(),
        "page": paginate(request, reports, 20),
        "environment_problems": pdf_environment_problems(),
        "narrative": text,
        "narrative_form": narrative_form or NarrativeForm(initial=text.parts()),
        "narrative_month": f"{month:%Y-%m}",
        "narrative_label": f"{month.year}年{month.month}月",
    }


@require_GET
def report_list(request):
    _require_office(request)
    return render(request, "campaign/reports/list.html", _list_context(request))


@require_POST
def report_new(request):
    _require_office(request)
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        return render(request, "campaign/reports/list.html", _list_context(request, form), status=400)
    report, created = services.request_report(request.user, **form.report_kwargs())
    if not created:
        messages.info(request, _("The report for %(period)s is already being built.") % {"period": report.period_label})
    else:
        messages.success(
            request,
            _("The report for %(period)s has been queued; follow its progress below.")
            % {"period": report.period_label},
        )
    return redirect("campaign:reports")


@require_POST
def narrative_save(request, month):
    """Keep the office's text for a month's report (a new build prints it)."""
    _require_office(request)
    try:
        first = dates.parse_month(month)[0]
    except ValueError as exc:
        raise Http404 from exc
    form = NarrativeForm(request.POST)
    if not form.is_valid():
        context = _list_context(request, narrative_form=form, month=first)
        return render(request, "campaign/reports/list.html", context, status=400)
    narrative.save_narrative(first, request.user, **form.cleaned_data)
    messages.success(
        request,
        _("The report text for %(month)s is saved; the next report built for that month prints it.")
        % {"month": f"{first.year}年{first.month}月"},
    )
    return redirect(reverse("campaign:reports") + f"?text_month={first:%Y-%m}#report-text")


@require_GET
def report_row(request, pk):
    report = _report_or_404(request, pk)
    return render(request, "campaign/reports/_row.html", {"report": report})


@require_POST
def report_retry(request, pk):
    report = _report_or_404(request, pk)
    if services.retry_report(report):
        messages.success(
            request, _("The report for %(period)s is being built again.") % {"period": report.period_label}
        )
    else:
        messages.info(request, _("This report is not waiting for a retry."))
    if request.htmx:
        report.refresh_from_db()
        return render(request, "campaign/reports/_row.html", {"report": report})
    return redirect("campaign:reports")


@require_GET
def report_download(request, pk, fmt):
    report = _report_or_404(request, pk)
    if fmt not in FORMATS or report.status != Report.Status.DONE:
        raise Http404
    ext, content_type = FORMATS[fmt]
    field = getattr(report, fmt)
    if not field.name:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(report.download_name(ext))}"
    return protect_download(response)
