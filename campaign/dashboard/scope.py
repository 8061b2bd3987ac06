"""Whose measures the dashboard counts for a request, and the ledger links its figures carry."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from cadres.roles import LEADER, has_role
from cadres.scoping import sees_everything, visible_department_ids
from cadres.selectors import cadre_for
from rectification.selectors import AREA, visible_measures

from ..group.selectors import is_main_leader

# --- Scope -----------------------------------------------------------------------------


@dataclass
class DashboardScope:
    """Whose measures the dashboard counts for this request."""

    whole_bureau: bool
    can_switch: bool = False  # a leader may switch between own departments and the bureau
    is_main_leader: bool = False
    department_ids: frozenset[int] | None = None  # None: every department
    cadre_id: int | None = None  # a scoped view also counts the measures this cadre is responsible for
    key: str = "all"
    labels: list[str] = field(default_factory=list)

    def base(self, user):
        return visible_measures(user, whole_bureau=self.whole_bureau)


def resolve_scope(user, requested: str | None = None) -> DashboardScope:
    """Office and admins: the whole bureau. The 组长 (main leader): the whole bureau by
    default, ?scope=own narrows to the departments they oversee. Other leaders: the
    departments they oversee by default, ?scope=all for the whole bureau. Everyone else:
    their own department."""
    if sees_everything(user, AREA):
        return DashboardScope(whole_bureau=True)
    if has_role(user, LEADER):
        main = is_main_leader(user)
        whole = requested == "all" or (main and requested != "own")
        if whole:
            return DashboardScope(whole_bureau=True, can_switch=True, is_main_leader=main)
        return DashboardScope(whole_bureau=False, can_switch=True, is_main_leader=main, key=f"u{user.pk}", **_own(user))
    # A scoped view is per person: besides departments it holds the measures the user is
    # the responsible person (or responsible leader) of.
    return DashboardScope(whole_bureau=False, key=f"u{user.pk}", **_own(user))


def _own(user) -> dict:
    cadre = cadre_for(user)
    return {
        "department_ids": frozenset(visible_department_ids(user, AREA) or ()),
        "cadre_id": cadre.pk if cadre is not None else None,
    }


# --- Links to the ledger ------------------------------------------------------------------


def ledger_link(scope: DashboardScope | None, **params) -> str:
    """The ledger URL listing exactly the measures a figure counts."""
    query = [(k, v) for k, v in params.items() if v not in (None, "")]
    if scope is not None and scope.whole_bureau:
        query.append(("scope", "all"))
    return reverse("rectification:ledger") + ("?" + urlencode(query) if query else "")
