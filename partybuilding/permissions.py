"""Who may see and do what in party building. Views, selectors and the admin ask here.

- the campaign office, administrators (cadres.scoping: partybuilding sees everything) and
  bureau leaders see every branch, its meetings and compliance;
- a branch's secretary and organisation commissioner (Branch.secretary / .commissioner)
  plan and record its meetings, sign members in by hand, decide on leave;
- a member sees the meetings of the branches they belong to, their own attendance and
  their make-up tasks; asks for leave, signs in, records their own make-up study;
- a branch's organisation (committee posts, groups, memberships, exemptions) is kept by
  its secretary and commissioner and by the office and administrators (every branch,
  the theory-study centre group included); leaders and members see it without changing it.

Seeing is filtered in the querysets (selectors), so anything outside answers 404;
a refused action raises PermissionDenied with the reason.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from cadres.roles import is_office
from cadres.scoping import sees_everything
from cadres.selectors import cadre_for

from .models import Branch, Membership


def sees_every_branch(user) -> bool:
    """The office, administrators and bureau leaders (cadres.roles.SEE_ALL["partybuilding"])."""
    return sees_everything(user, "partybuilding")


def _cache(user) -> dict:
    return user.__dict__.setdefault("_partybuilding_access", {})


def forget(user) -> None:
    """Drop what this request has read of who runs which branch (after a change of posts)."""
    user.__dict__.pop("_partybuilding_access", None)


def managed_branch_ids(user) -> set[int]:
    """The branches whose meetings `user` plans and records (secretary or commissioner)."""
    cache = _cache(user)
    if "managed" not in cache:
        cadre = cadre_for(user)
        cache["managed"] = (
            set(Branch.objects.filter(Q(secretary=cadre) | Q(commissioner=cadre)).values_list("pk", flat=True))
            if cadre
            else set()
        )
    return cache["managed"]


def member_branch_ids(user) -> set[int]:
    cache = _cache(user)
    if "member" not in cache:
        cadre = cadre_for(user)
        cache["member"] = (
            set(Membership.objects.filter(cadre=cadre, active=True).values_list("branch_id", flat=True))
            if cadre
            else set()
        )
    return cache["member"]


def visible_branch_ids(user) -> set[int] | None:
    """None: every branch; otherwise the branches `user` may look at."""
    if sees_every_branch(user):
        return None
    return managed_branch_ids(user) | member_branch_ids(user)


def can_manage(user, branch_id: int) -> bool:
    return branch_id in managed_branch_ids(user)


def manages_any(user) -> bool:
    return bool(managed_branch_ids(user))


def can_edit_organisation(user, branch_id: int) -> bool:
    """May change the branch's committee, groups, memberships and exemptions."""
    return is_office(user) or branch_id in managed_branch_ids(user)


def require_organisation_editor(user, branch_id: int) -> None:
    if not can_edit_organisation(user, branch_id):
        raise PermissionDenied(
            _(
                "Only the branch's secretary and organisation commissioner, and the campaign office, "
                "may change the branch's committee, groups and members."
            )
        )


def sees_member_standing(user, branch_id: int) -> bool:
    """Why a member is not counted (sick leave, Party probation…) is shown to those who keep
    or oversee the branch, not to every member."""
    return can_edit_organisation(user, branch_id) or sees_every_branch(user)
