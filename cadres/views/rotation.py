"""The rotation planner at /cadres/rotation/ (personnel section and bureau leaders): who
is due, must rotate, is exempt or carries a red flag, and why; rotation plans from draft
to 党组 decision to execution, printed and exported; young cadres at the front line."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import dates
from core.downloads import protect_download
from core.xlsx import add_sheet, attachment_response, new_workbook, workbook_bytes

from .. import permissions, printing, rotation, selectors, services
from ..forms import DecisionForm, ItemEditForm, ItemForm, PlacementForm, PlanForm
from ..models import Placement, RotationItem, RotationPlan
from ..scoping import scope
from ..tables import rotation_columns
from .common import errors_to_form, require_planner, require_records

LISTS = [
    ("must", gettext_lazy("Must rotate")),
    ("due", gettext_lazy("Due to rotate")),
    ("exempt", gettext_lazy("Exempt from rotation")),
    ("long_stay", gettext_lazy("Red flag: no rotation for a long time")),
    ("frequent", gettext_lazy("Red flag: moved too often")),
]


PAGE_SIZE = 25  # per list: the default page shows two lists
DEFAULT_LISTS = ("must", "due")  # what a planner acts on first; ?list=<key> or ?list=all for the rest


def planner(request):
    require_planner(request.user)
    lists = rotation.rotation_lists(dates.today())
    if request.GET.get("format") == "xlsx":  # always every list, complete
        wb = new_workbook()
        for key, label in LISTS:
            add_sheet(wb, str(label)[:31], rotation_columns(), getattr(lists, key), heading=str(label))
        return attachment_response(workbook_bytes(wb), _("rotation lists.xlsx"))
    chosen = request.GET.get("list", "")
    chosen = chosen if chosen == "all" or chosen in dict(LISTS) else ""
    keys = [k for k, _label in LISTS if chosen in ("all", k)] or list(DEFAULT_LISTS)
    # Each list shown is paginated; ?page= turns the pages of a list shown alone.
    number = request.GET.get("page") if len(keys) == 1 else 1
    plans = RotationPlan.objects.order_by("-created_at")
    drafts = [p for p in plans if p.is_draft]
    context = {
        "tiles": [(key, label, len(getattr(lists, key))) for key, label in LISTS],
        "lists": [
            (key, label, Paginator(getattr(lists, key), PAGE_SIZE).get_page(number))
            for key, label in LISTS
            if key in keys
        ],
        "chosen": chosen,
        "counts": lists.counts,
        "plans": plans,
        "drafts": drafts,
        # Made once, not per row: a blocktranslate and a URL per row and draft added up.
        "draft_links": [(p, p.get_absolute_url(), _("add to %(plan)s") % {"plan": p.title}) for p in drafts],
        "planned": set(
            RotationItem.objects.filter(plan__status=RotationPlan.Status.DRAFT).values_list("cadre_id", flat=True)
        ),
        "keeps_records": permissions.keeps_records(request.user),
        "plan_form": PlanForm() if permissions.keeps_records(request.user) else None,
    }
    return render(request, "cadres/planner.html", context)


@require_POST
def plan_create(request):
    require_records(request.user)
    form = PlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the plan a name (the batch)."))
        return redirect("cadres:planner")
    plan = services.create_plan(form.cleaned_data["title"], request.user, note=form.cleaned_data["note"])
    return redirect(plan)


def _plan(request, pk) -> RotationPlan:
    require_planner(request.user)
    return get_object_or_404(RotationPlan, pk=pk)


def plan_detail(request, pk):
    plan = _plan(request, pk)
    keeps = permissions.keeps_records(request.user)
    item_form, query, offered = None, request.GET.get("q", "").strip(), []
    if keeps and plan.is_draft:
        initial = {"planned_date": dates.today(), "kind": RotationItem._meta.get_field("kind").default}
        if request.GET.get("cadre", "").isdigit():
            initial["cadre"] = int(request.GET["cadre"])
        offered = selectors.picker_people(query, [initial.get("cadre", ""), request.POST.get("cadre", "")])
        item_form = ItemForm(request.POST or None, initial=initial, offered=offered)
        if request.method == "POST" and item_form.is_valid():
            try:
                services.add_item(plan, request.user, **item_form.cleaned_data)
            except ValidationError as exc:
                errors_to_form(item_form, exc)
            else:
                messages.success(request, _("%(name)s added to the plan.") % {"name": item_form.cleaned_data["cadre"]})
                return redirect(plan)
    if request.GET.get("format") == "xlsx":
        return attachment_response(printing.plan_xlsx(plan), f"{plan.title}.xlsx")
    findings = rotation.check_plan(plan, dates.today()) if plan.status != RotationPlan.Status.EXECUTED else []
    flagged = {pk: f.level for f in findings for pk in f.item_ids if f.level == "error"}
    context = {
        "plan": plan,
        "items": printing.plan_items(plan),
        "findings": findings,
        "errors": [f for f in findings if f.level == "error"],
        "flagged": flagged,
        "item_form": item_form,
        "query": query,
        "matches": len(offered),
        "decision_form": DecisionForm(initial={"decision_date": dates.today()})
        if keeps and plan.status == RotationPlan.Status.SUBMITTED
        else None,
        "keeps_records": keeps,
    }
    return render(request, "cadres/plan_detail.html", context)


def plan_pdf(request, pk):
    plan = _plan(request, pk)
    response = attachment_response(printing.plan_pdf(plan), f"{plan.title}.pdf", "application/pdf")
    return protect_download(response)


def item_edit(request, pk):
    item = get_object_or_404(RotationItem.objects.select_related("plan", "cadre"), pk=pk)
    require_records(request.user)
    if request.method == "POST" and request.POST.get("delete"):
        try:
            services.remove_item(item, request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(item.plan)
    form = ItemEditForm(
        request.POST or None,
        initial={
            "to_post": item.to_post_id,
            "kind": item.kind,
            "planned_date": item.planned_date,
            "handover_note": item.handover_note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(item, request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            return redirect(item.plan)
    title = _("%(name)s in the plan “%(plan)s”") % {"name": item.cadre.name, "plan": item.plan.title}
    return render(
        request,
        "cadres/form.html",
        {"form": form, "title": title, "back_url": item.plan.get_absolute_url(), "deletable": item.plan.is_draft},
    )


@require_POST
def plan_action(request, pk, action):
    """submit (to the 党组), return (to draft), decide (党组研究通过), execute (all items)."""
    plan = _plan(request, pk)
    require_records(request.user)
    try:
        if action == "submit":
            services.submit_plan(plan, request.user)
            messages.success(request, _("The plan has been submitted to the Party group."))
        elif action == "return":
            services.return_plan(plan, request.user)
        elif action == "decide":
            form = DecisionForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Give the date of the Party group's meeting and the document number."))
                return redirect(plan)
            services.record_decision(plan, request.user, **form.cleaned_data)
            messages.success(request, _("The Party group's decision has been recorded."))
        elif action == "execute":
            services.execute_plan(plan, request.user)
            messages.success(request, _("The plan has been executed: the people's records follow it."))
        else:
            return redirect(plan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(plan)


@require_POST
def item_execute(request, pk):
    item = get_object_or_404(RotationItem.objects.select_related("plan"), pk=pk)
    require_records(request.user)
    try:
        services.execute_item(item, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(item.plan)


# --- young cadres at the front line ---------------------------------------------------------


def young(request):
    require_planner(request.user)
    today = dates.today()
    years = list(range(today.year - 4, today.year + 1))
    context = {
        "current": selectors.placements_at(today),
        "placements": selectors.placements()[:200],
        "by_year": selectors.frontline_by_year(years),
        "young_count": selectors.young_cadres(today).count(),
        "keeps_records": permissions.keeps_records(request.user),
        "today": today,
    }
    return render(request, "cadres/young.html", context)


def placement_form(request, pk=None):
    placement = Placement()
    if pk:
        placement = get_object_or_404(
            scope(Placement.objects.all(), request.user, "cadres", "cadre__department"), pk=pk
        )
    require_records(request.user)
    form = PlacementForm(request.POST or None, instance=placement)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_placement(form.save(commit=False), request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            return redirect("cadres:young")
    title = _("Front-line placement")
    return render(request, "cadres/form.html", {"form": form, "title": title, "back": "cadres:young"})
