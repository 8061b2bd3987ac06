"""The monthly report's cadre-work section (六、干部工作): the rotation lists, plans, the moves
executed in the period, talk coverage, the risk review and young cadres at the front line,
read from cadres.selectors; printed in the PDF (pdf/_cadres.html) and as one sheet of the
Excel ledger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cadres.figures import WorkFigures, work_figures
from cadres.selectors import executed_moves
from core.formats import percent
from core.xlsx import Column, add_sheet

MOVES_LIMIT = 20


@dataclass
class CadreSection:
    figures: WorkFigures
    moves: list
    moves_count: int

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) lines: what the sheet lists and the PDF's table shows."""
        f = self.figures
        review = f"{f.review.reviewed}/{f.review.posts}（{percent(f.review.rate)}）" if f.review else _("not started")
        return [
            (_("Must rotate"), str(f.rotation["must"])),
            (_("Due to rotate"), str(f.rotation["due"])),
            (_("Exempt (retirement, deferral)"), str(f.rotation["exempt"])),
            (_("Red flag: no rotation for a long time"), str(f.rotation["long_stay"])),
            (_("Red flag: moved too often"), str(f.rotation["frequent"])),
            (_("Rotation plans in progress"), str(f.plans_in_progress)),
            (_("Moves executed in the period"), str(self.moves_count)),
            (_("Moves executed this year"), str(f.moves_this_year)),
            (_("Talk pairs done this year"), f"{f.talks_done}/{f.talks_required}（{percent(f.talk_rate)}）"),
            (_("Annual risk review: posts reviewed"), review),
            (_("Young cadres at the front line"), str(f.frontline_now)),
        ]


def cadre_section(period_start: dt.date, period_end: dt.date, on: dt.date) -> CadreSection:
    moves = executed_moves(period_start, period_end)
    return CadreSection(figures=work_figures(on), moves=list(moves[:MOVES_LIMIT]), moves_count=moves.count())


def write_cadre_sheet(wb, data) -> None:
    columns = [Column(_("Item"), lambda r: r[0], 36), Column(_("Figure"), lambda r: r[1], 24)]
    heading = _("Cadre work (%(period)s)") % {"period": data.period_label}
    add_sheet(wb, _("Cadre work"), columns, data.cadres.rows(), heading=heading)
