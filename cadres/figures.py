"""Cadre work at a glance, for the dashboard's card and the monthly report: the rotation
lists, plans in progress, talk coverage, the risk review's progress and young cadres at
the front line, from the rules (rotation, coverage) and the shared reads (selectors)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count

from . import coverage, rotation
from .models import RotationItem
from .selectors import (
    ReviewProgress,
    current_review,
    placements_at,
    plans_in_progress,
    review_progress,
    young_cadres,
)


@dataclass
class WorkFigures:
    """Cadre work at a glance, on a day: rotation lists, plans, talks, risk review, front line."""

    on: dt.date
    rotation: dict  # must, due, exempt, long_stay, frequent -> count
    plans: dict  # status -> count of plans not yet executed
    talks_required: int
    talks_done: int
    review: ReviewProgress | None
    review_title: str
    frontline_now: int  # young cadres at the front line today
    moves_this_year: int  # plan items executed this year

    @property
    def red_flags(self) -> int:
        return self.rotation["long_stay"] + self.rotation["frequent"]

    @property
    def plans_in_progress(self) -> int:
        return sum(self.plans.values())

    @property
    def talk_rate(self) -> float | None:
        return self.talks_done / self.talks_required if self.talks_required else None


def work_figures(on: dt.date) -> WorkFigures:
    """About twenty queries, whatever the number of people, holdings or talks."""
    summary = coverage.summarise(coverage.coverage(on.year))
    review = current_review(on)
    plans = dict(plans_in_progress().values("status").annotate(n=Count("id")).values_list("status", "n"))
    young_ids = young_cadres(on).values("pk")
    return WorkFigures(
        on=on,
        rotation=rotation.rotation_lists(on).counts,
        plans=plans,
        talks_required=summary.required,
        talks_done=summary.done,
        review=review_progress(review) if review else None,
        review_title=review.title if review else "",
        frontline_now=placements_at(on).filter(cadre__in=young_ids).values("cadre").distinct().count(),
        moves_this_year=RotationItem.objects.filter(executed_on__year=on.year).count(),
    )
