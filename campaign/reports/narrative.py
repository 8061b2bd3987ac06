"""The office's narrative parts of the monthly report (主要做法和成效, 存在的问题,
下一步工作打算), kept per month (ReportNarrative), written on /reports/.

A month without its own text starts from the latest earlier month's, so the office edits
rather than retypes; the build uses the same text, so what the page shows is what the
PDF and the .docx print.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from core import dates

from .models import ReportNarrative

PARTS = ("practices", "problems", "plans")


@dataclass
class Narrative:
    month: dt.date
    practices: str = ""
    problems: str = ""
    plans: str = ""
    saved: bool = False  # this month's own text (else taken from `source`, or empty)
    source: ReportNarrative | None = None

    def parts(self) -> dict[str, str]:
        return {part: getattr(self, part) for part in PARTS}

    @property
    def empty(self) -> bool:
        return not any(self.parts().values())


def narrative_for(month: dt.date) -> Narrative:
    """The month's text, else the latest earlier month's (pre-filled, not yet saved)."""
    month = dates.month_start(month)
    own = ReportNarrative.objects.filter(month=month).first()
    if own is not None:
        return Narrative(month, **own.parts(), saved=True, source=own)
    earlier = ReportNarrative.objects.filter(month__lt=month).order_by("-month").first()
    if earlier is None:
        return Narrative(month)
    return Narrative(month, **earlier.parts(), saved=False, source=earlier)


@transaction.atomic
def save_narrative(month: dt.date, actor, **parts) -> ReportNarrative:
    """Keep the office's text for the month (one row per month)."""
    values = {part: (parts.get(part) or "").strip() for part in PARTS}
    narrative, _created = ReportNarrative.objects.update_or_create(
        month=dates.month_start(month), defaults={**values, "updated_by": actor}
    )
    return narrative
