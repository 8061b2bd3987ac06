"""The dashboard's cache: figures per scope and day under version numbers that the writes
changing them replace (dashboard.signals), so a new progress entry shows at once.

There is a version per department, per cadre (the measures they are the responsible
leader or person of), one for the whole bureau and one for everything. A scope's key is
made of the versions of what it covers (one get_many): a progress entry in one
department makes the leaders who oversee it, the people on the measure and the whole
bureau cold, and leaves every other leader's figures warm. Changes to people, departments,
the campaign or party building bump the version every key contains.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time

from django.conf import settings
from django.core.cache import cache

from core import dates

from .scope import DashboardScope
from .selectors import compute_figures

EVERYTHING = "dashboard:v:all"
BUREAU = "dashboard:v:bureau"


def department_key(department_id: int) -> str:
    return f"dashboard:v:d{department_id}"


def cadre_key(cadre_id: int) -> str:
    return f"dashboard:v:c{cadre_id}"


def cache_seconds() -> int:
    return settings.DASHBOARD_CACHE_SECONDS


def scope_keys(scope: DashboardScope) -> list[str]:
    """The version keys whose writes can change this scope's figures."""
    if scope.whole_bureau:
        return [EVERYTHING, BUREAU]
    keys = [EVERYTHING] + [department_key(i) for i in sorted(scope.department_ids or ())]
    return keys + ([cadre_key(scope.cadre_id)] if scope.cadre_id is not None else [])


def versions(keys: list[str], known: dict | None = None) -> str:
    """The current versions of `keys`, as one short string (a cache key part); `known`:
    versions already read in this request.

    A key never set (or evicted) gets a new number with add(), so that a bump racing with
    this read wins; evicting a version only makes its scopes cold, never stale."""
    known = known or {}
    found = {**known, **cache.get_many([key for key in keys if key not in known])}
    missing = [key for key in keys if key not in found]
    if missing:
        fresh = time.time_ns()
        for key in missing:
            cache.add(key, fresh, None)
        found.update(cache.get_many(missing))
    raw = ":".join(f"{found.get(key, 0)}" for key in keys)
    return hashlib.blake2b(raw.encode(), digest_size=10).hexdigest()


def scope_version(scope: DashboardScope, known: dict | None = None) -> str:
    return versions(scope_keys(scope), known)


def cached_scope(name: str, resolve) -> tuple[DashboardScope, str]:
    """The scope kept under `name` (resolve() when missing, or stored under an older
    'everything' version: people, roles and departments changed) and its figures' version.
    The scope is stored with the version it was resolved under, so one read gets both."""
    key = f"dashboard:scope:{name}"
    found = cache.get_many([EVERYTHING, key])
    if EVERYTHING not in found:
        versions([EVERYTHING])  # sets it
        found = cache.get_many([EVERYTHING, key])
    everything = found.get(EVERYTHING)
    stored = found.get(key)
    if stored is not None and stored[0] == everything:
        scope = stored[1]
    else:
        scope = resolve()
        cache.set(key, (everything, scope), cache_seconds())
    return scope, scope_version(scope, {EVERYTHING: everything})


def bump(keys) -> None:
    """The scopes holding any of `keys` become stale: new, never used numbers."""
    keys = list(keys)
    if keys:
        cache.set_many(dict.fromkeys(keys, time.time_ns()), None)


def invalidate() -> None:
    """Every cached dashboard becomes stale."""
    bump([EVERYTHING])


def cached_tile(name: str, compute):
    """A tile that no ledger write changes (party building, cadre work; both cost about as
    much to compute as the ledger's figures), kept under the 'everything' version that their
    own writes bump: after a progress entry the leader's ledger figures are computed again,
    these are read."""
    seconds = cache_seconds()
    if seconds <= 0:
        return compute()
    key = f"dashboard:tile:{versions([EVERYTHING])}:{name}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, seconds)
    return found


def cached_figures(scope: DashboardScope, user, on: dt.date | None = None, version: str | None = None) -> dict:
    on = on or dates.today()
    seconds = cache_seconds()
    if seconds <= 0:
        return compute_figures(scope.base(user), on, whole_bureau=scope.whole_bureau)
    key = f"dashboard:figures:{version or scope_version(scope)}:{on.isoformat()}:{scope.key}"
    figures = cache.get(key)
    if figures is None:
        figures = compute_figures(scope.base(user), on, whole_bureau=scope.whole_bureau)
        cache.set(key, figures, seconds)
    return figures
