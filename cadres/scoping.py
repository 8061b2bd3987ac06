"""The one scoping helper every list and detail view uses.

A user sees their own department; a bureau leader also the departments they oversee;
the roles in roles.SEE_ALL[area] see everything. Enforced on querysets, so a hidden
link is never the only guard.
"""

from django.db.models import Q, QuerySet

from .roles import LEADER, SEE_ALL, user_roles


def visible_department_ids(user, area: str) -> set[int] | None:
    """None means every department; otherwise the ids this user may see in `area`."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cache = user.__dict__.setdefault("_scope_cache", {})
    if area in cache:
        return cache[area]
    roles = user_roles(user)
    if user.is_superuser or roles & SEE_ALL[area]:
        result = None
    else:
        result = set()
        from .selectors import cadre_for

        cadre = cadre_for(user)
        if cadre is not None:
            result.add(cadre.department_id)
            if LEADER in roles:
                result |= set(cadre.overseen_departments.values_list("id", flat=True))
    cache[area] = result
    return result


def scope(qs: QuerySet, user, area: str, *paths: str) -> QuerySet:
    """Filter `qs` to rows whose department (through any of `paths`) the user may see."""
    ids = visible_department_ids(user, area)
    if ids is None:
        return qs
    condition = Q()
    for path in paths or ("department",):
        condition |= Q(**{f"{path}__in": ids})
    return qs.filter(condition).distinct() if len(paths) > 1 else qs.filter(condition)


def sees_everything(user, area: str) -> bool:
    return visible_department_ids(user, area) is None


def can_see_department(user, department_id: int | None, area: str) -> bool:
    ids = visible_department_ids(user, area)
    return ids is None or department_id in ids
