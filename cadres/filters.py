"""The roster's filters (department, rank, middle-level, key post, age band, years in post),
applied on the server to the scoped queryset. Age and years in post are personal data:
the form offers them only to those who may see it (forms.RosterFilterForm)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from .selectors import birth_range_for_ages


def _band(value: str) -> tuple[int | None, int | None]:
    low, _sep, high = value.partition("-")
    return (int(low) if low else None, int(high) if high else None)


def _since_range(low: int | None, high: int | None, on: dt.date) -> Q:
    """In the current post at least `low` and less than `high` years, as a condition on in_post_since."""
    condition = Q(in_post_since__isnull=False)
    if low is not None:
        condition &= Q(in_post_since__lte=on - dt.timedelta(days=round(low * 365.25)))
    if high is not None:
        condition &= Q(in_post_since__gt=on - dt.timedelta(days=round(high * 365.25)))
    return condition


def filter_roster(people: QuerySet, data: dict, on: dt.date) -> QuerySet:
    if data.get("q"):
        q = data["q"]
        people = people.filter(Q(name__icontains=q) | Q(rank__icontains=q) | Q(post__title__icontains=q))
    if data.get("department"):
        people = people.filter(department=data["department"])
    if data.get("rank"):
        people = people.filter(rank__icontains=data["rank"])
    if data.get("middle"):
        people = people.filter(is_middle_level=True)
    if data.get("key"):
        people = people.filter(post__is_key=True)
    if data.get("age"):
        people = people.filter(birth_range_for_ages(*_band(data["age"]), on))
    if data.get("years"):
        people = people.filter(_since_range(*_band(data["years"]), on))
    return people
