"""The monthly report's party-building section (六、): per branch, the obligations due in
the period met or missing, meetings held and the attendance rate (read from
partybuilding.selectors), for the PDF (templates/campaign/reports/pdf/_partybuilding.html)
and a sheet of the Excel ledger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.formats import percent
from core.xlsx import Column, add_sheet
from partybuilding.selectors import period_summary


@dataclass
class PartySection:
    lines: list[dict]
    met: int
    due: int
    missing: int
    meetings: int

    @property
    def rate_text(self) -> str:
        return percent(self.met / self.due if self.due else None)


def section(period_start: dt.date, period_end: dt.date, as_of: dt.date) -> PartySection:
    lines = period_summary(period_start, min(period_end, as_of), as_of)
    return PartySection(
        lines=lines,
        met=sum(line["tally"]["met"] for line in lines),
        due=sum(line["tally"]["due"] for line in lines),
        missing=sum(line["tally"]["missing"] for line in lines),
        meetings=sum(line["meetings"] for line in lines),
    )


def columns() -> list[Column]:
    return [
        Column(_("Party branch"), lambda line: line["branch"].name, 20, wrap=True),
        Column(_("Obligations due"), lambda line: line["tally"]["due"], 10),
        Column(_("Met"), lambda line: line["tally"]["met"], 8),
        Column(_("Missing"), lambda line: "、".join(line["missing"]), 30, wrap=True),
        Column(_("Completion rate"), lambda line: percent(line["tally"]["rate"]), 10),
        Column(_("Meetings held"), lambda line: line["meetings"], 10),
        Column(_("Attendance rate"), lambda line: percent(line["attendance"]), 10),
    ]


def write_sheet(wb, data) -> int:
    """The section as one sheet of the report's workbook; returns its number of rows."""
    add_sheet(
        wb,
        _("Party building"),
        columns(),
        data.party.lines,
        heading=_("Organisational life of the Party branches (%(period)s)") % {"period": data.period_label},
    )
    return len(data.party.lines)
