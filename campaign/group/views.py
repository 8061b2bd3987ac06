"""The campaign and its leadership group (领导小组): everyone reads it; the office and
system administrators edit it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import inlineformset_factory
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cadres.models import Cadre, Department
from cadres.roles import is_office
from cadres.selectors import in_official_order
from core import dates

from . import services
from .forms import (
    BasePhaseFormSet,
    CampaignForm,
    GroupMemberFormSet,
    OversightFormSet,
    PhaseForm,
    PhaseFormSet,
)
from .models import Campaign, GroupMember, Phase
from .selectors import current_campaign, group_members


def can_edit_group(user) -> bool:
    return is_office(user)


def _require_editor(user):
    if not can_edit_group(user):
        raise PermissionDenied(_("Only the campaign office and system administrators may edit the leadership group."))


def _oversight():
    """Each active bureau leader with the departments they oversee (一岗双责), and the
    departments nobody oversees."""
    departments = list(
        Department.objects.filter(active=True).exclude(kind=Department.Kind.LEADERSHIP).order_by("order", "id")
    )
    heads = {}
    for cadre in in_official_order(
        Cadre.objects.filter(active=True, department__in=departments, post_level=Cadre.PostLevel.PRINCIPAL)
    ):
        heads.setdefault(cadre.department_id, cadre)
    by_leader = {}
    for dept in departments:
        by_leader.setdefault(dept.overseen_by_id, []).append({"department": dept, "head": heads.get(dept.pk)})
    leaders = [
        {"leader": leader, "departments": by_leader.get(leader.pk, [])}
        for leader in in_official_order(Cadre.objects.filter(is_leader=True, active=True))
    ]
    return leaders, by_leader.get(None, [])


def group(request, year=None):
    campaign = get_object_or_404(Campaign, year=year) if year is not None else current_campaign()
    leaders, unassigned = _oversight()
    context = {
        "campaign": campaign,
        "campaigns": Campaign.objects.order_by("-year").only("year", "name"),
        "can_edit": can_edit_group(request.user),
        "oversight": leaders,
        "unassigned": unassigned,
    }
    if campaign is not None:
        members = list(group_members(campaign))
        overseen = {row["leader"].pk: [d["department"].name for d in row["departments"]] for row in leaders}
        for member in members:
            member.overseen = overseen.get(member.cadre_id, [])
        phases = list(campaign.phases.all())
        today = dates.today()
        for phase in phases:
            phase.is_current = phase.start <= today <= phase.end
            phase.is_past = phase.end < today
        context.update(
            members=members,
            phases=phases,
            roles=[
                (value, label, [m for m in members if m.role == value]) for value, label in GroupMember.Role.choices
            ],
            office_directors=[m for m in members if m.role == GroupMember.Role.OFFICE_DIRECTOR],
            liaisons=[m for m in members if m.role == GroupMember.Role.LIAISON],
            main_leader=next((m.cadre for m in members if m.role == GroupMember.Role.LEADER), None),
        )
    return render(request, "campaign/group/group.html", context)


def campaign_create(request):
    _require_editor(request.user)
    previous = Campaign.objects.order_by("-year").first()
    NewPhases = inlineformset_factory(  # noqa: N806
        Campaign,
        Phase,
        form=PhaseForm,
        formset=BasePhaseFormSet,
        extra=3,
        max_num=3,
        validate_max=True,
        can_delete=False,
    )
    year = (previous.year + 1) if previous else dates.today().year
    initial = {"year": year, "name": f"{year}年“能力作风建设年”活动"}
    if previous and previous.office_department_id:
        initial.update(
            office_department=previous.office_department_id,
            office_contact=previous.office_contact,
            office_duties=previous.office_duties,
        )
    phase_initial = [{"kind": kind} for kind, _label in Phase.Kind.choices]
    if request.method == "POST":
        form = CampaignForm(request.POST)
        phases = NewPhases(request.POST, instance=Campaign(), initial=phase_initial)
        if form.is_valid():
            phases.instance = form.instance
            if phases.is_valid():
                copy = previous if previous and request.POST.get("copy_group") else None
                campaign = services.create_campaign(form, phases, copy_group_from=copy)
                messages.success(request, _("The campaign %(name)s was created.") % {"name": campaign.name})
                return redirect("campaign:group_year", year=campaign.year)
        else:
            phases.is_valid()
    else:
        form = CampaignForm(initial=initial)
        phases = NewPhases(instance=Campaign(), initial=phase_initial)
    return render(
        request,
        "campaign/group/campaign_form.html",
        {"form": form, "phases": phases, "previous": previous, "creating": True},
    )


def campaign_edit(request, year):
    _require_editor(request.user)
    campaign = get_object_or_404(Campaign, year=year)
    if request.method == "POST":
        form = CampaignForm(request.POST, instance=campaign)
        phases = PhaseFormSet(request.POST, instance=campaign)
        form_ok = form.is_valid()  # updates campaign's dates, which the phases are checked against
        if form_ok and phases.is_valid():
            services.save_campaign(form, phases)
            messages.success(request, _("The campaign was saved."))
            return redirect("campaign:group_year", year=campaign.year)
        phases.is_valid()
    else:
        form = CampaignForm(instance=campaign)
        phases = PhaseFormSet(instance=campaign)
    return render(
        request,
        "campaign/group/campaign_form.html",
        {"form": form, "phases": phases, "campaign": campaign, "creating": False},
    )


def group_edit(request, year):
    _require_editor(request.user)
    campaign = get_object_or_404(Campaign, year=year)
    queryset = group_members(campaign)
    if request.method == "POST":
        formset = GroupMemberFormSet(request.POST, instance=campaign, queryset=queryset)
        if formset.is_valid():
            services.save_members(formset)
            messages.success(request, _("The leadership group was saved."))
            return redirect("campaign:group_year", year=campaign.year)
    else:
        formset = GroupMemberFormSet(instance=campaign, queryset=queryset)
    return render(request, "campaign/group/members_form.html", {"campaign": campaign, "formset": formset})


def oversight_edit(request):
    _require_editor(request.user)
    queryset = Department.objects.filter(active=True).exclude(kind=Department.Kind.LEADERSHIP).order_by("order", "id")
    if request.method == "POST":
        formset = OversightFormSet(request.POST, queryset=queryset)
        if formset.is_valid():
            services.save_oversight(formset)
            messages.success(request, _("Who oversees which department was saved."))
            return redirect("campaign:group")
    else:
        formset = OversightFormSet(queryset=queryset)
    return render(request, "campaign/group/oversight_form.html", {"formset": formset})
