"""Who may see and do what in party building. Views, selectors and the admin ask here.

- the campaign office, administrators (cadres.scoping: partybuilding sees everything) and
  bureau leaders see every branch, its meetings and compliance;
- a branch's secretary and organisation commissioner (Branch.secretary / .commissioner)
  plan and record its meetings, sign members in by hand, decide on leave;
- a member sees the meetings of the branches they belong to, their own attendance and
  their make-up tasks; asks for leave, signs in, records their own make-up study.

Seeing is filtered in the querysets (selectors), so anything outside answers 404;
a refused action raises PermissionDenied with the reason.
"""

from __future__ import annotations

from django.db.models import Q

from cadres.roles import LEADER, has_role
from cadres.scoping import sees_everything
from cadres.selectors import cadre_for

from .models import Branch, Membership


def sees_every_branch(user) -> bool:
    return sees_everything(user, "partybuilding") or has_role(user, LEADER)


def _cache(user) -> dict:
    return user.__dict__.setdefault("_partybuilding_access", {})


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
