"""The post integrity-risk ledger (岗位廉政风险点) at /cadres/risks/ with its xlsx export and
import, and the annual review (年度岗位廉政风险排查) with its progress."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import dates
from core.uploads import ImportRefused
from core.xlsx import xlsx_response

from .. import permissions, selectors, services
from ..forms import PostReviewForm, ReviewStartForm, RiskForm, UploadForm
from ..importing import ImportInvalid, import_risks
from ..models import Post, PostRisk
from ..roles import is_office
from ..scoping import scope
from ..tables import risk_columns
from .common import AREA, errors_to_form, require_records


def _numbered(risks):
    rows = list(risks)
    for number, risk in enumerate(rows, start=1):
        risk.number = number
    return rows


def risk_list(request):
    risks = scope(selectors.risks(), request.user, AREA, "post__department")
    department = request.GET.get("department", "")
    if department.isdigit():
        risks = risks.filter(post__department_id=int(department))
    level = request.GET.get("level", "")
    if level in PostRisk.Level.values:
        risks = risks.filter(level=level)
    rows = _numbered(risks)
    heads = selectors.department_heads({r.post.department_id for r in rows})
    if request.GET.get("format") == "xlsx":
        title = _("Post integrity risks")
        return xlsx_response(title, risk_columns(heads), rows, _("post integrity risks.xlsx"))
    for risk in rows:
        risk.head = risk.department_head or heads.get(risk.post.department_id)
        risk.leader = risk.responsible_leader or risk.post.department.overseen_by
    context = {
        "risks": rows,
        "departments": scope(selectors.departments(), request.user, AREA, "id"),
        "department": department,
        "level": level,
        "levels": PostRisk.Level.choices,
        "keeps_records": permissions.keeps_records(request.user),
        # rectification's problem_from_risk decides; this only hides a button that would be refused.
        "may_send": permissions.keeps_records(request.user) or is_office(request.user),
        "review": selectors.current_review(dates.today()),
    }
    return render(request, "cadres/risk_list.html", context)


def _risk_or_404(request, pk) -> PostRisk:
    risk = scope(PostRisk.objects.select_related("post"), request.user, AREA, "post__department").filter(pk=pk).first()
    if risk is None:
        raise Http404
    return risk


def risk_form(request, pk=None):
    risk = _risk_or_404(request, pk) if pk else PostRisk()
    require_records(request.user)
    form = RiskForm(request.POST or None, instance=risk)
    if request.method == "POST":
        if request.POST.get("delete") and pk:
            services.delete_risk(risk, request.user)
            messages.success(request, _("The risk point has been deleted."))
            return redirect("cadres:risk_list")
        if form.is_valid():
            services.save_risk(form.save(commit=False), request.user)
            messages.success(request, _("Saved."))
            return redirect("cadres:risk_list")
    title = _("Edit risk point") if pk else _("New risk point")
    return render(
        request, "cadres/form.html", {"form": form, "title": title, "back": "cadres:risk_list", "deletable": bool(pk)}
    )


def risk_import(request):
    require_records(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = import_risks(form.cleaned_data["file"].read(), request.user)
        except ImportRefused as exc:
            form.add_error("file", str(exc))
        except ImportInvalid as exc:
            errors = exc.errors
        else:
            text = _("Risk ledger imported: %(created)s added, %(updated)s updated, %(unchanged)s unchanged.") % vars(
                result
            )
            messages.success(request, " ".join([text, *result.notes]))
            return redirect("cadres:risk_list")
    context = {"form": form, "errors": errors, "title": _("Import the risk ledger"), "back": "cadres:risk_list"}
    return render(request, "cadres/import.html", context)


def review(request):
    """The year's review round: start it (personnel section), see every post's state."""
    today = dates.today()
    current = selectors.current_review(today)
    start_form = None
    if current is None and permissions.keeps_records(request.user):
        start_form = ReviewStartForm(
            request.POST or None,
            initial={
                "year": today.year,
                "title": _("%(year)s annual review of post integrity risks") % {"year": today.year},
                "start": today,
                "due": today.replace(month=12, day=31),
            },
        )
        if request.method == "POST" and start_form.is_valid():
            try:
                services.start_review(request.user, **start_form.cleaned_data)
            except ValidationError as exc:
                errors_to_form(start_form, exc)
            else:
                return redirect("cadres:risk_review")
    context = {"review": current, "start_form": start_form}
    if current is not None:
        posts = scope(Post.objects.filter(active=True), request.user, AREA)
        rows = selectors.review_rows(current, posts)
        for row in rows:
            row["may_review"] = permissions.reviews_post(request.user, row["post"])
        context.update(rows=rows, progress=selectors.review_progress(current, posts), form=PostReviewForm())
    return render(request, "cadres/risk_review.html", context)


@require_POST
def review_post(request, pk):
    post = scope(Post.objects.all(), request.user, AREA).filter(pk=pk).first()
    current = selectors.current_review(dates.today())
    if post is None or current is None:
        raise Http404
    if not permissions.reviews_post(request.user, post):
        raise PermissionDenied(_("The personnel section or the department's head reviews a post."))
    form = PostReviewForm(request.POST)
    if form.is_valid():
        services.record_post_review(current, post, request.user, **form.cleaned_data)
        messages.success(request, _("%(post)s: review recorded.") % {"post": post})
    else:
        messages.error(request, _("Choose the result of the review."))
    return redirect("cadres:risk_review")
