"""Writes that keep a branch's organisation, each in one transaction: memberships (add,
change, move between groups, end), the committee posts, Party groups (add, change,
remove) and exemptions from an obligation (record, remove).

Who may do it is checked here (permissions.require_organisation_editor: the branch's
secretary and commissioner, the office, administrators). Every save names its actor, so
simple_history keeps who changed what also outside a request; history.py reads it back.

Two things follow every change:
- Branch.secretary and Branch.commissioner (who plans the meetings and keeps the branch)
  follow the committee posts: 书记 and 组织委员, for the centre group 组长 and 学习秘书;
- the lists of who should attend the branch's meetings that are planned but not yet held
  follow the members, the committee and the groups (refresh_planned_lists).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import dates

from . import obligations, selectors
from .models import Attendance, Branch, Exemption, Meeting, Membership, PartyGroup
from .permissions import require_organisation_editor
from .services import attendance_row

R = Membership.CommitteeRole
A = Attendance.Status

# The posts of each kind of branch, in the order they are listed, and whether one person
# holds each (False: several may, e.g. 委员).
POSTS = {
    Branch.Kind.BRANCH: [
        (R.SECRETARY, True),
        (R.DEPUTY_SECRETARY, True),
        (R.COMMISSIONER, True),
        (R.PROPAGANDA, True),
        (R.DISCIPLINE, True),
        (R.MEMBER, False),
    ],
    Branch.Kind.CENTRE_GROUP: [
        (R.GROUP_LEADER, True),
        (R.DEPUTY_GROUP_LEADER, False),
        (R.STUDY_SECRETARY, True),
    ],
}
# The two posts that run the branch: (Branch.secretary, Branch.commissioner).
RUNNING_POSTS = {
    Branch.Kind.BRANCH: (R.SECRETARY, R.COMMISSIONER),
    Branch.Kind.CENTRE_GROUP: (R.GROUP_LEADER, R.STUDY_SECRETARY),
}
MEMBERSHIP_FIELDS = (
    "group",
    "status",
    "joined_party_on",
    "full_member_on",
    "not_counted",
    "not_counted_note",
    "not_counted_from",
    "not_counted_until",
)


def save_as(instance, actor, reason: str = "") -> None:
    """Save with `actor` (and a reason) in the history record."""
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    instance.save()


def _branch_for_update(user, branch_id: int) -> Branch:
    branch = Branch.objects.select_for_update().get(pk=branch_id)
    require_organisation_editor(user, branch.pk)
    return branch


# --- memberships ----------------------------------------------------------------------


def _apply(membership: Membership, data: dict) -> None:
    for name in MEMBERSHIP_FIELDS:
        if name in data:
            setattr(membership, name, data[name])
    if not membership.not_counted:
        # Counted again: the old reason and period go (the history keeps them).
        membership.not_counted_note, membership.not_counted_from, membership.not_counted_until = "", None, None
    group = membership.group
    if group is not None and (group.branch_id != membership.branch_id or group.dissolved_on):
        raise ValidationError({"group": _("Choose one of the branch's current Party groups.")})
    membership.full_clean(exclude=["cadre", "branch"])


@transaction.atomic
def add_membership(user, branch_id: int, cadre, data: dict) -> Membership:
    """A cadre joins the branch's records (or rejoins: the ended membership is reopened).

    A cadre belongs to one Party branch at a time (the centre group aside): a member of
    another branch is moved by ending that membership first (组织关系转接)."""
    branch = _branch_for_update(user, branch_id)
    if not branch.is_centre_group:
        elsewhere = (
            Membership.objects.filter(cadre=cadre, active=True, branch__kind=Branch.Kind.BRANCH)
            .exclude(branch=branch)
            .select_related("branch")
            .first()
        )
        if elsewhere is not None:
            raise ValidationError(
                {
                    "cadre": _(
                        "%(name)s is a member of %(branch)s: that branch ends the membership first "
                        "(transfer of Party membership)."
                    )
                    % {"name": cadre.name, "branch": elsewhere.branch.name}
                }
            )
    membership = Membership.objects.filter(cadre=cadre, branch=branch).first()
    if membership is not None and membership.active:
        raise ValidationError({"cadre": _("%(name)s is already a member of this branch.") % {"name": cadre.name}})
    membership = membership or Membership(cadre=cadre, branch=branch)
    membership.active, membership.ended_on, membership.end_reason, membership.committee_role = True, None, "", ""
    _apply(membership, data)
    save_as(membership, user)
    refresh_planned_lists(branch)
    return membership


@transaction.atomic
def update_membership(user, membership_id: int, data: dict) -> Membership:
    """Change a member's standing: group (moving between groups), 正式/预备 and the dates,
    whether counted as due to attend, with the reason and period."""
    membership = Membership.objects.select_for_update(of=("self",)).select_related("group").get(pk=membership_id)
    require_organisation_editor(user, membership.branch_id)
    if not membership.active:
        raise PermissionDenied(_("This membership has ended; add the member again to reopen it."))
    old_group = membership.group
    _apply(membership, data)
    reason = ""
    if old_group != membership.group:
        reason = _("moved from %(old)s to %(new)s") % {
            "old": old_group.name if old_group else _("no group"),
            "new": membership.group.name if membership.group else _("no group"),
        }
        if old_group is not None and old_group.leader_id == membership.cadre_id:
            old_group.leader = None  # a group leader who moves out leaves the group without one
            save_as(old_group, user, reason)
    save_as(membership, user, reason)
    refresh_planned_lists(membership.branch)
    return membership


@transaction.atomic
def end_membership(user, membership_id: int, ended_on: dt.date, reason: str) -> Membership:
    """The member leaves the branch (transferred, retired, died, left the Party…): kept in
    the records as ended, off the committee and group leadership, off the planned lists."""
    membership = (
        Membership.objects.select_for_update(of=("self",)).select_related("branch", "cadre").get(pk=membership_id)
    )
    branch = membership.branch
    require_organisation_editor(user, branch.pk)
    lead, second = RUNNING_POSTS[branch.kind]
    errors = {}
    if membership.committee_role == lead:
        errors["ended_on"] = _("%(name)s holds the post of %(post)s: give the post to someone else first.") % {
            "name": membership.cadre.name,
            "post": R(lead).label,
        }
    if ended_on > dates.today():
        errors["ended_on"] = _("Record the end once it has happened.")
    if not reason.strip():
        errors["reason"] = _("Say why the membership ends.")
    if errors:
        raise ValidationError(errors)
    if membership.committee_role == second:
        branch.commissioner = None
        save_as(branch, user)
    for group in branch.groups.filter(leader=membership.cadre):
        group.leader = None
        save_as(group, user)
    membership.active, membership.ended_on, membership.end_reason = False, ended_on, reason.strip()
    membership.committee_role = ""
    save_as(membership, user, reason.strip())
    refresh_planned_lists(branch)
    return membership


# --- the committee --------------------------------------------------------------------


@transaction.atomic
def set_committee(user, branch_id: int, posts: dict[str, list[Membership]]) -> Branch:
    """Give each post (POSTS of the branch's kind) to members; everyone else holds none.
    One person holds one post; the branch needs its secretary (centre group: its 组长)."""
    branch = _branch_for_update(user, branch_id)
    allowed = {role for role, _single in POSTS[branch.kind]}
    if set(posts) - allowed:
        raise ValueError(f"not a post of a {branch.kind}: {set(posts) - allowed}")
    members = {
        m.pk: m for m in branch.memberships.select_for_update(of=("self",)).filter(active=True).select_related("cadre")
    }
    wanted: dict[int, str] = {}
    errors: dict[str, str] = {}
    for role, holders in posts.items():
        for m in holders:
            if m.pk not in members:
                errors[role] = _("%(name)s is not a member of this branch.") % {"name": m.cadre.name}
            elif m.pk in wanted:
                errors[role] = _("%(name)s already holds the post of %(post)s; one person holds one post.") % {
                    "name": m.cadre.name,
                    "post": R(wanted[m.pk]).label,
                }
            else:
                wanted[m.pk] = role
    lead, second = RUNNING_POSTS[branch.kind]
    if not posts.get(lead):
        errors[lead] = _("Choose who holds this post: the branch cannot be run without it.")
    if errors:
        raise ValidationError(errors)
    for m in members.values():
        role = wanted.get(m.pk, "")
        if m.committee_role != role:
            m.committee_role = role
            save_as(m, user)
    holder = {role: members[pk].cadre for pk, role in wanted.items()}
    secretary, commissioner = holder.get(lead), holder.get(second)
    if (branch.secretary_id, branch.commissioner_id) != (secretary.pk, getattr(commissioner, "pk", None)):
        branch.secretary, branch.commissioner = secretary, commissioner
        save_as(branch, user)
    refresh_planned_lists(branch)
    return branch


# --- Party groups ---------------------------------------------------------------------


@transaction.atomic
def save_group(user, branch_id: int, group_id: int | None, data: dict) -> tuple[PartyGroup, list[str]]:
    """Add or change a Party group (name, 组长, order). A leader from another group moves
    into this one. Returns the group and notes to show."""
    branch = _branch_for_update(user, branch_id)
    group = branch.groups.select_for_update().get(pk=group_id) if group_id else PartyGroup(branch=branch)
    name, leader = data["name"].strip(), data.get("leader")
    errors = {}
    same_name = branch.groups.filter(name=name).exclude(pk=group.pk).first()
    if same_name is not None:
        errors["name"] = _("The branch already has a group of this name.")
    notes = []
    membership = None
    if leader is not None:
        membership = branch.memberships.filter(cadre=leader, active=True).select_related("group").first()
        leads = branch.groups.filter(leader=leader, dissolved_on=None).exclude(pk=group.pk).first()
        if membership is None:
            errors["leader"] = _("%(name)s is not a member of this branch.") % {"name": leader.name}
        elif leads is not None:
            errors["leader"] = _("%(name)s already leads %(group)s.") % {"name": leader.name, "group": leads.name}
    if errors:
        raise ValidationError(errors)
    group.name, group.leader, group.order = name, leader, data.get("order") or group.order
    group.full_clean(exclude=["branch"], validate_unique=False)
    save_as(group, user)
    if membership is not None and membership.group_id != group.pk:
        old = membership.group.name if membership.group else _("no group")
        membership.group = group
        save_as(membership, user, _("moved from %(old)s to %(new)s") % {"old": old, "new": group.name})
        notes.append(_("%(name)s, the group leader, is moved into %(group)s.") % {"name": leader.name, "group": name})
        refresh_planned_lists(branch)
    return group, notes


@transaction.atomic
def remove_group(user, group_id: int, move_to: PartyGroup | None) -> bool:
    """Remove a group, its members moving to `move_to` (or to no group). A group that has
    held meetings is dissolved as of today, so its records stay; one that never met is
    deleted. Returns True when it was deleted."""
    group = (
        PartyGroup.objects.select_for_update(of=("self",)).select_related("branch").get(pk=group_id, dissolved_on=None)
    )
    require_organisation_editor(user, group.branch_id)
    if move_to is not None and (move_to.branch_id != group.branch_id or move_to.pk == group.pk or move_to.dissolved_on):
        raise ValidationError({"move_to": _("Choose another of the branch's current Party groups.")})
    reason = _("moved from %(old)s to %(new)s") % {
        "old": group.name,
        "new": move_to.name if move_to else _("no group"),
    }
    for membership in group.memberships.select_for_update(of=("self",)):
        membership.group = move_to
        save_as(membership, user, reason)
    deleted = not Meeting.objects.filter(group=group).exists()
    group._history_user = user
    if deleted:
        group.delete()
    else:
        group.dissolved_on = dates.today()
        save_as(group, user)
    refresh_planned_lists(group.branch)
    return deleted


# --- exemptions -----------------------------------------------------------------------


def _period_months(rule: obligations.Rule, position: int) -> str:
    """The months a period of `rule` starts (position 0) or ends (position 1) in: 1月、4月…"""
    return "、".join(f"{p[position].month}月" for p in rule.periods(2000))


def check_exemption(branch: Branch, obligation: str, first: dt.date, last: dt.date, exclude=None) -> dict:
    """Errors by field: the obligation is the branch's, the months in order and whole
    periods (a quarterly obligation is excused by quarters), no overlap with another."""
    rule = obligations.rule(obligation, branch.kind)
    if rule is None:
        return {"obligation": _("This branch owes no such obligation.")}
    if last < first:
        return {"last_month": _("The last month comes after the first.")}
    errors = {}
    if (first.month - 1) % rule.months:
        errors["first_month"] = _("A %(frequency)s obligation is excused by whole periods: start in %(months)s.") % {
            "frequency": rule.frequency,
            "months": _period_months(rule, 0),
        }
    if last.month % rule.months:
        errors["last_month"] = _("A %(frequency)s obligation is excused by whole periods: end in %(months)s.") % {
            "frequency": rule.frequency,
            "months": _period_months(rule, 1),
        }
    overlap = (
        Exemption.objects.filter(branch=branch, obligation=obligation, first_month__lte=last, last_month__gte=first)
        .exclude(pk=exclude)
        .first()
    )
    if overlap is not None and "first_month" not in errors:
        errors["first_month"] = _("It overlaps the exemption from %(first)s to %(last)s.") % {
            "first": f"{overlap.first_month:%Y-%m}",
            "last": f"{overlap.last_month:%Y-%m}",
        }
    return errors


@transaction.atomic
def add_exemption(user, branch_id: int, data: dict) -> Exemption:
    """Excuse the branch from one obligation for whole periods, with the recorded reason."""
    branch = _branch_for_update(user, branch_id)
    first, last = dates.month_start(data["first_month"]), dates.month_start(data["last_month"])
    errors = check_exemption(branch, data["obligation"], first, last)
    if not data.get("reason", "").strip():
        errors["reason"] = _("Record why the branch is excused.")
    if errors:
        raise ValidationError(errors)
    exemption = Exemption(
        branch=branch, obligation=data["obligation"], first_month=first, last_month=last, reason=data["reason"].strip()
    )
    exemption.full_clean()
    save_as(exemption, user)
    return exemption


@transaction.atomic
def remove_exemption(user, exemption_id: int) -> None:
    exemption = Exemption.objects.select_for_update().get(pk=exemption_id)
    require_organisation_editor(user, exemption.branch_id)
    exemption._history_user = user
    exemption.delete()


# --- who should attend the meetings ahead ---------------------------------------------


def refresh_planned_lists(branch: Branch) -> None:
    """Bring the attendance lists of the branch's meetings not yet held in line with the
    members: newcomers added, those no longer invited (left, moved group, off the
    committee) removed unless they already signed in, everyone's standing (正式/预备,
    counted, vote, committee) as it is now. Held meetings keep their own record."""
    planned = list(Meeting.objects.filter(branch=branch, held_on=None))
    for meeting in planned:
        invited = {m.cadre_id: m for m in selectors.invited_memberships(branch, meeting.kind, meeting.group_id)}
        rows = {row.cadre_id: row for row in meeting.attendance.all()}
        gone = [r.pk for cadre_id, r in rows.items() if cadre_id not in invited and r.status != A.PRESENT]
        Attendance.objects.filter(pk__in=gone).delete()
        new, changed = [], []
        for cadre_id, membership in invited.items():
            fresh = attendance_row(meeting, membership)
            row = rows.get(cadre_id)
            if row is None:
                new.append(fresh)
                continue
            flags = ("formal", "counted", "has_vote", "committee")
            if any(getattr(row, f) != getattr(fresh, f) for f in flags):
                for f in flags:
                    setattr(row, f, getattr(fresh, f))
                changed.append(row)
        Attendance.objects.bulk_create(new)
        Attendance.objects.bulk_update(changed, ["formal", "counted", "has_vote", "committee"])
