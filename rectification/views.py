"""Pages of the ledger. Thin: scope (404 outside it), permission (403 with a reason),
form, a call into services, render."""

import datetime as dt
import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.roles import LEADER, has_role, is_office
from cadres.selectors import person_name
from core import dates
from core.downloads import protect_download
from core.pagination import paginate

from . import history, permissions, selectors, services
from .filters import MeasureFilter, apply_sort
from .forms import MeasureForm, ProblemForm, ProgressForm, ReviewForm, RoundForm, SubmitForm
from .models import InspectionRound, Measure, Problem

LEDGER_PAGE_SIZE = 50


def forbidden(request, message):
    return render(request, "rectification/forbidden.html", {"message": message}, status=403)


def _measure_or_404(request, pk) -> Measure:
    measure = selectors.measure_detail(request.user, pk)
    if measure is None:
        raise Http404
    return measure


# --- the ledger ------------------------------------------------------------------------


def ledger(request):
    whole_bureau = request.GET.get("scope") == "all"
    base = selectors.visible_measures(request.user, whole_bureau=whole_bureau)
    if request.GET.get("mine"):
        base = base.filter(pk__in=selectors.assigned_to(request.user).values("pk"))
    measure_filter = MeasureFilter(request.GET or None, queryset=base, request=request)
    qs, sort = apply_sort(measure_filter.qs, request.GET.get("sort"))
    page = paginate(request, qs.values_list("pk", flat=True), LEDGER_PAGE_SIZE)
    page.object_list = selectors.ledger_rows(page.object_list)
    filtered = any(v for k, v in request.GET.items() if k not in ("page", "sort", "scope"))
    context = {
        "filter": measure_filter,
        "page": page,
        "sort": sort,
        "filtered": filtered,
        "whole_bureau": whole_bureau,
        "is_leader": has_role(request.user, LEADER),
        "is_office": is_office(request.user),
        "can_create": permissions.can_create(request.user),
        "mine": bool(request.GET.get("mine")),
        "today": dates.today(),
    }
    return render(request, "rectification/ledger.html", context)


# --- one measure ------------------------------------------------------------------------


def _detail(request, measure, *, progress_form=None, submit_form=None, review_forms=None, status=200):
    actions = permissions.allowed_actions(request.user, measure)
    review_forms = review_forms or {}
    for action in ("leader_approve", "office_confirm", "stage_complete", "return", "start"):
        if action in actions and action not in review_forms:
            review_forms[action] = ReviewForm(action=action, prefix=action)
    context = {
        "measure": measure,
        "problem": measure.problem,
        "actions": actions,
        "progress_form": progress_form
        if progress_form is not None
        else (ProgressForm() if "progress" in actions else None),
        "submit_form": submit_form if submit_form is not None else (SubmitForm() if "submit" in actions else None),
        "review_forms": review_forms,
        "entries": selectors.progress_entries(measure),
        "evidence": selectors.evidence_files(measure),
        "steps": selectors.signoff_steps(measure),
        "timeline": history.measure_timeline(measure),
        "transition_labels": {a: v[2] for a, v in permissions.TRANSITIONS.items()},
    }
    return render(request, "rectification/measure_detail.html", context, status=status)


def measure_detail(request, pk):
    return _detail(request, _measure_or_404(request, pk))


@require_POST
def progress_add(request, pk):
    measure = _measure_or_404(request, pk)
    if not permissions.can_add_progress(request.user, measure):
        return forbidden(request, _("You may add progress only to measures of your own department."))
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
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
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            return forbidden(request, str(exc))
        else:
            if created:
                messages.success(request, _("Progress saved."))
            else:
                messages.info(request, _("This progress entry was already saved; it was not added twice."))
            return redirect(reverse("rectification:measure_detail", args=[measure.pk]) + f"#progress-{entry.pk}")
    return _detail(request, measure, progress_form=form, status=400)


def _errors_to_form(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@require_POST
def transition(request, pk, action):
    measure = _measure_or_404(request, pk)
    if action not in permissions.TRANSITIONS:
        raise Http404
    verb = permissions.TRANSITIONS[action][2]
    if not permissions.may(request.user, measure, action):
        return forbidden(request, _("You may not %(verb)s for this measure.") % {"verb": verb})
    if not permissions.valid_now(measure, action):
        try:
            services._refuse_invalid(measure, action)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        return redirect(measure)
    service = services.TRANSITION_SERVICES[action]
    if action == "submit":
        form = SubmitForm(request.POST, request.FILES)
        if not form.is_valid():
            return _detail(request, measure, submit_form=form, status=400)
        call = functools.partial(
            service, measure.pk, request.user, form.cleaned_data["summary"], form.cleaned_data["files"]
        )
        forms_on_error = {"submit_form": form}
    else:
        form = ReviewForm(request.POST, action=action, prefix=action)
        if not form.is_valid():
            return _detail(request, measure, review_forms={action: form}, status=400)
        call = functools.partial(service, measure.pk, request.user, form.cleaned_data["comment"])
        forms_on_error = {"review_forms": {action: form}}
    try:
        measure = call()
    except PermissionDenied as exc:
        return forbidden(request, str(exc))
    except services.WorkflowError as exc:
        messages.error(request, exc.messages[0])
        return redirect(measure)
    except ValidationError as exc:
        _errors_to_form(form, exc)
        return _detail(request, measure, status=400, **forms_on_error)
    messages.success(
        request,
        _("Done: the measure is now “%(status)s”.") % {"status": measure.get_status_display()},
    )
    return redirect(measure)


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


# --- create and edit --------------------------------------------------------------------


def measure_create(request):
    if not permissions.can_create(request.user):
        return forbidden(request, _("Only the campaign office may create measures."))
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
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Measure created."))
            return redirect(measure)
    return render(request, "rectification/measure_form.html", {"form": form, "creating": True})


def measure_edit(request, pk):
    measure = _measure_or_404(request, pk)
    if not permissions.can_edit(request.user, measure):
        return forbidden(request, _("You may change only measures of your own department."))
    office = is_office(request.user)
    form = MeasureForm(request.POST or None, instance=measure, office=office)
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
        except PermissionDenied as exc:
            return forbidden(request, str(exc))
        except ValidationError as exc:
            _errors_to_form(form, exc)
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
        field = form.fields[name]
        mine = form.cleaned_data.get(name)
        theirs = getattr(current, name)
        if name == "partner_departments":
            theirs = list(theirs.all())
            mine_text = "、".join(str(d) for d in mine or []) or "—"
            theirs_text = "、".join(str(d) for d in theirs) or "—"
        else:
            mine_text, theirs_text = _value_text(name, mine), _value_text(name, theirs)
        rows.append(
            {"label": field.label, "mine": mine_text, "theirs": theirs_text, "differs": mine_text != theirs_text}
        )
    data = form.data.copy()
    data["version"] = current.version
    form.data = data
    last = current.history.select_related("history_user__cadre").order_by("-history_date").first()
    return {"rows": rows, "by": person_name(last.history_user) if last else "", "at": current.updated_at}


def _value_text(name, value):
    if value in (None, "") or value == []:
        return "—"
    if name == "term":
        return str(dict(Measure.Term.choices).get(value, value))
    if isinstance(value, dt.date):
        return date_format(value)
    return str(value)


# --- rounds and problems ---------------------------------------------------------------


def round_list(request):
    rounds = selectors.rounds_with_counts(request.user)
    return render(
        request,
        "rectification/round_list.html",
        {
            "rounds": rounds,
            "can_create": permissions.can_create(request.user),
        },
    )


def round_detail(request, pk):
    round_ = get_object_or_404(InspectionRound, pk=pk)
    problems = selectors.round_problems(request.user, round_)
    if not problems and not is_office(request.user):
        # A round with nothing of this user's (round_problems keeps the problems with a
        # visible measure): nothing to show them.
        raise Http404
    return render(
        request,
        "rectification/round_detail.html",
        {
            "round": round_,
            "problems": problems,
            "can_create": permissions.can_create(request.user),
        },
    )


def round_create(request, pk=None):
    if not permissions.can_create(request.user):
        return forbidden(request, _("Only the campaign office may set up inspection rounds."))
    instance = get_object_or_404(InspectionRound, pk=pk) if pk else None
    form = RoundForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        round_ = services.save_round(form.save(commit=False), request.user)
        messages.success(request, _("Inspection round saved."))
        return redirect(round_)
    return render(request, "rectification/round_form.html", {"form": form, "round": instance})


def problem_create(request, round_pk=None, pk=None):
    if not permissions.can_create(request.user):
        return forbidden(request, _("Only the campaign office may record problems."))
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
