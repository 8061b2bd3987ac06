"""A branch's organisation on the app's own pages: the list of branches, one branch
(committee, groups, members and whether each is counted as due to attend, exemptions,
the change history), and the forms its secretary, commissioner or the office use to
keep it: add, change and end a membership (moving between groups included), the
committee posts, add, change and remove a group, record and remove an exemption.

Seeing a branch follows permissions.visible_branch_ids (others: 404); changing it needs
permissions.can_edit_organisation (a member or a leader who may see it: 403 with the
reason). The writes are organisation.py's.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import dates

from .. import history, obligations, organisation, permissions, selectors
from ..forms import CommitteeForm, EndMembershipForm, ExemptionForm, GroupForm, MembershipForm, RemoveGroupForm
from ..models import Branch, Exemption, Membership, PartyGroup
from .common import branch_or_404, errors_to_form


def _editable(request, pk: int) -> Branch:
    branch = branch_or_404(request, pk)
    permissions.require_organisation_editor(request.user, branch.pk)
    return branch


def _back(branch: Branch, anchor: str) -> str:
    return reverse("partybuilding:branch_detail", args=[branch.pk]) + f"#{anchor}"


def _form_page(request, branch, form, save, *, title: str, success: str, anchor: str, **extra):
    """Validate `form`, call `save(cleaned_data)` (a service; its ValidationError lands at
    the fields), then back to the branch page; otherwise the form again, with what was typed."""
    if request.method == "POST" and form.is_valid():
        try:
            notes = save(form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, success)
            for note in notes or []:
                messages.info(request, note)
            return redirect(_back(branch, anchor))
    context = {"branch": branch, "form": form, "title": title, "back": _back(branch, anchor), **extra}
    status = 400 if request.method == "POST" else 200
    return render(request, "partybuilding/branch_form.html", context, status=status)


def branch_list(request):
    branches = list(selectors.branches_overview(request.user))
    if len(branches) == 1 and not permissions.sees_every_branch(request.user):
        return redirect("partybuilding:branch_detail", pk=branches[0].pk)
    return render(request, "partybuilding/branch_list.html", {"branches": branches})


def branch_detail(request, pk: int):
    branch = branch_or_404(request, pk)
    can_edit = permissions.can_edit_organisation(request.user, branch.pk)
    org = selectors.branch_organisation(branch)
    context = {
        "branch": branch,
        "org": org,
        "posts": [
            (Membership.CommitteeRole(role).label, single, [m for m in org["committee"] if m.committee_role == role])
            for role, single in organisation.POSTS[branch.kind]
        ],
        "can_edit": can_edit,
        "sees_standing": permissions.sees_member_standing(request.user, branch.pk),
        "rules": obligations.rules_for(branch.kind),
        "timeline": history.branch_timeline(branch) if can_edit else [],
        "today": dates.today(),
    }
    return render(request, "partybuilding/branch_detail.html", context)


def member_add(request, pk: int):
    branch = _editable(request, pk)
    form = MembershipForm(request.POST or None, branch=branch)

    def save(data):
        organisation.add_membership(request.user, branch.pk, data["cadre"], data)

    return _form_page(
        request, branch, form, save, title=_("Add a member"), success=_("Member added."), anchor="members"
    )


def member_edit(request, pk: int, membership_id: int):
    branch = _editable(request, pk)
    membership = get_object_or_404(Membership.objects.select_related("cadre"), pk=membership_id, branch=branch)
    form = MembershipForm(request.POST or None, instance=membership, branch=branch)

    def save(data):
        organisation.update_membership(request.user, membership.pk, data)

    title = _("Membership of %(name)s") % {"name": membership.cadre.name}
    end = reverse("partybuilding:member_end", args=[branch.pk, membership.pk]) if membership.active else None
    return _form_page(
        request, branch, form, save, title=title, success=_("Membership saved."), anchor="members", end_url=end
    )


def member_end(request, pk: int, membership_id: int):
    branch = _editable(request, pk)
    membership = get_object_or_404(
        Membership.objects.select_related("cadre"), pk=membership_id, branch=branch, active=True
    )
    form = EndMembershipForm(request.POST or None, initial={"ended_on": dates.today()})

    def save(data):
        organisation.end_membership(request.user, membership.pk, data["ended_on"], data["reason"])

    title = _("End the membership of %(name)s") % {"name": membership.cadre.name}
    intro = _(
        "The member stays in the branch's records as having left; past meetings keep their attendance. "
        "A committee post or group leadership they held becomes vacant."
    )
    return _form_page(
        request, branch, form, save, title=title, success=_("Membership ended."), anchor="members", intro=intro
    )


def committee_edit(request, pk: int):
    branch = _editable(request, pk)
    posts = organisation.POSTS[branch.kind]
    form = CommitteeForm(request.POST or None, branch=branch, posts=posts)

    def save(_data):
        organisation.set_committee(request.user, branch.pk, form.holders())
        permissions.forget(request.user)
        if not permissions.can_edit_organisation(request.user, branch.pk):
            return [_("You no longer hold a post that runs this branch.")]
        return []

    intro = _(
        "The secretary and the organisation commissioner plan and record the branch's meetings and keep "
        "its members; the committee is invited to committee meetings and counts for their quorum."
    )
    if branch.is_centre_group:
        intro = _("The group leader and the study secretary plan and record the centre group's study sessions.")
    return _form_page(
        request,
        branch,
        form,
        save,
        title=_("Committee posts") if not branch.is_centre_group else _("Posts of the centre group"),
        success=_("Committee posts saved."),
        anchor="committee",
        intro=intro,
    )


def group_form(request, pk: int, group_id: int | None = None):
    branch = _editable(request, pk)
    group = get_object_or_404(branch.groups, pk=group_id, dissolved_on=None) if group_id else None
    form = GroupForm(request.POST or None, instance=group, branch=branch)

    def save(data):
        return organisation.save_group(request.user, branch.pk, group_id, data)[1]

    title = _("Party group %(name)s") % {"name": group.name} if group else _("Add a Party group")
    remove = reverse("partybuilding:group_remove", args=[branch.pk, group.pk]) if group else None
    return _form_page(
        request, branch, form, save, title=title, success=_("Party group saved."), anchor="groups", remove_url=remove
    )


def group_remove(request, pk: int, group_id: int):
    branch = _editable(request, pk)
    group = get_object_or_404(PartyGroup, pk=group_id, branch=branch, dissolved_on=None)
    form = RemoveGroupForm(request.POST or None, group=group)

    def save(data):
        deleted = organisation.remove_group(request.user, group.pk, data["move_to"])
        if not deleted:
            return [_("The group had held meetings: it is kept as dissolved, with its records.")]
        return []

    intro = _(
        "Its members move to the group you choose. From this month on the group owes no group meeting; "
        "record an exemption if the merger leaves a month uncovered."
    )
    title = _("Remove %(name)s") % {"name": group.name}
    return _form_page(
        request, branch, form, save, title=title, success=_("Party group removed."), anchor="groups", intro=intro
    )


def exemption_add(request, pk: int):
    branch = _editable(request, pk)
    form = ExemptionForm(request.POST or None, rules=obligations.rules_for(branch.kind))

    def save(data):
        organisation.add_exemption(request.user, branch.pk, data)

    intro = _(
        "An exemption excuses the branch from one obligation for whole periods (months, quarters or the year), "
        "for a reason kept on record: a branch founded mid-year, a group merged into another."
    )
    return _form_page(
        request,
        branch,
        form,
        save,
        title=_("Record an exemption"),
        success=_("Exemption recorded."),
        anchor="exemptions",
        intro=intro,
    )


@require_POST
def exemption_remove(request, pk: int, exemption_id: int):
    branch = _editable(request, pk)
    exemption = get_object_or_404(Exemption, pk=exemption_id, branch=branch)
    organisation.remove_exemption(request.user, exemption.pk)
    messages.success(request, _("Exemption removed."))
    return redirect(_back(branch, "exemptions"))
