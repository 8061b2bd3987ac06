"""The dashboard's cache: figures per scope and day under a version number that every
write changing a figure replaces (dashboard.signals), so a new progress entry shows at once."""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.core.cache import cache

from core import dates

from .scope import DashboardScope
from .selectors import compute_figures

VERSION_KEY = "dashboard:version"


def cache_seconds() -> int:
    return settings.DASHBOARD_CACHE_SECONDS


def current_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY) or version
    return version


def invalidate() -> None:
    """Every cached dashboard becomes stale: a new, never used version number."""
    cache.set(VERSION_KEY, time.time_ns(), None)


def cached_figures(scope: DashboardScope, user, on: dt.date | None = None) -> dict:
    on = on or dates.today()
    seconds = cache_seconds()
    if seconds <= 0:
        return compute_figures(scope.base(user), on, whole_bureau=scope.whole_bureau)
    key = f"dashboard:{current_version()}:{on.isoformat()}:{scope.key}"
    figures = cache.get(key)
    if figures is None:
        figures = compute_figures(scope.base(user), on, whole_bureau=scope.whole_bureau)
        cache.set(key, figures, seconds)
    return figures
