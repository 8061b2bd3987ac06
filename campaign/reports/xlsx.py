"""The monthly report's Excel ledger (整改台账): a summary sheet, a sheet by department,
one sheet per source of problems in the ledger's own columns
(rectification.tables.ledger_columns, the same definition as the ledger's export), and
the deadlines extended in the period. Every sheet is the ledger as of the report's day:
a past month's rows carry the state they had then (data.as_of).

Written with core.xlsx's streaming writer (openpyxl write-only): styled and frozen
header, column widths, wrapped text, A4 landscape with the header row repeated on every
printed page, and text that would run as a formula neutralised.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from core.xlsx import Column, add_sheet, new_workbook
from rectification.models import InspectionRound
from rectification.tables import ledger_columns, ledger_rows

from .cadres import write_cadre_sheet
from .data import Counts, ReportData, as_of
from .partybuilding import write_sheet as write_party_sheet

REPORT_LANGUAGE = "zh-hans"
CHUNK = 500


def _count_columns(first_header: str) -> list[Column]:
    return [
        Column(first_header, lambda c: c.label, 18, wrap=True),
        Column(_("Problems"), lambda c: c.problems, 9),
        Column(_("Measures"), lambda c: c.measures, 9),
        Column(_("Signed off"), lambda c: c.closed, 9),
        Column(_("Stage complete"), lambda c: c.stage_complete, 11),
        Column(_("In progress"), lambda c: c.underway, 9),
        Column(_("of which awaiting sign-off"), lambda c: c.submitted, 12),
        Column(_("Not started"), lambda c: c.not_started, 9),
        Column(_("Overdue"), lambda c: c.overdue, 9),
        Column(_("Completion rate"), lambda c: c.rate_text, 10),
    ]


def _source_rows(data: ReportData, source: str, states: dict):
    """The measures of one source as the report's day saw them (every measure of the
    snapshot, nothing added since; status, term, deadline and completion date of then)."""
    qs = data.measures_qs.filter(problem__round__source=source)
    if data.historical:
        qs = qs.filter(pk__in=[pk for pk, row in states.items() if row.source == source])
    for measure in ledger_rows(qs, as_of=data.as_of if data.historical else None).iterator(chunk_size=CHUNK):
        measure.as_of = data.as_of
        yield as_of(measure, states.get(measure.pk))


def _extension_columns() -> list[Column]:
    return [
        Column(_("No."), lambda e: f"{e.measure.problem.number}.{e.measure.number}", 6),
        Column(_("Problem source"), lambda e: e.measure.problem.round.title, 14, wrap=True),
        Column(_("Rectification measure"), lambda e: e.measure.description, 36, wrap=True),
        Column(_("Lead department"), lambda e: e.measure.lead_department.name, 14, wrap=True),
        Column(_("Deadline before"), lambda e: e.old_deadline, 12),
        Column(_("Extended to"), lambda e: e.new_deadline, 12),
        Column(_("Days"), lambda e: e.days, 8),
        Column(_("Reason"), lambda e: e.reason, 30, wrap=True),
        Column(_("Approved on"), lambda e: e.decided_on, 12),
        Column(_("Extended by the office directly"), lambda e: _("yes") if e.direct else "", 10),
    ]


def sheet_title(label: str) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\."""
    for ch in "[]:*?/\\":
        label = label.replace(ch, "")
    return label[:31] or "Sheet"


def write_ledger(data: ReportData, target, progress=None) -> dict:
    """Write the workbook to `target` (a path or a binary file); returns rows per sheet."""
    report = progress or (lambda percent: None)
    with translation.override(REPORT_LANGUAGE):
        wb = new_workbook()
        as_of = f"{data.as_of.year}年{data.as_of.month}月{data.as_of.day}日"
        heading = _("%(title)s (%(period)s) — figures as of %(as_of)s") % {
            "title": data.title,
            "period": data.period_label,
            "as_of": as_of,
        }
        summary_rows: list[Counts] = [*data.by_source, data.total]
        add_sheet(
            wb, sheet_title(_("Summary of figures")), _count_columns(_("Problem source")), summary_rows, heading=heading
        )
        add_sheet(
            wb,
            sheet_title(_("By department")),
            _count_columns(_("Lead department")),
            [*data.by_department, data.total],
            heading=_("Rectification by lead department (%(period)s)") % {"period": data.period_label},
        )
        written = {"summary": len(summary_rows), "departments": len(data.by_department) + 1}
        add_sheet(
            wb,
            sheet_title(_("Extensions")),
            _extension_columns(),
            data.extensions,
            heading=_("Deadlines extended in %(period)s") % {"period": data.period_label},
        )
        written["extensions"] = len(data.extensions)

        columns = ledger_columns()
        total = max(1, data.total.measures)
        done = 0
        labels = dict(InspectionRound.Source.choices)
        states = data.snapshot.by_pk() if data.snapshot is not None else {}
        for counts in data.by_source:
            source = counts.params["source"]
            label = str(labels[source])

            def rows(source=source):
                nonlocal done
                for measure in _source_rows(data, source, states):
                    done += 1
                    if done % CHUNK == 0:
                        report(done / total)
                    yield measure

            add_sheet(
                wb,
                sheet_title(label),
                columns,
                rows(),
                heading=_("Rectification ledger: %(source)s (%(period)s)")
                % {"source": label, "period": data.period_label},
            )
            written[label] = counts.measures
        if data.party is not None:
            written["party"] = write_party_sheet(wb, data)  # 六、 party building, after the ledger
        write_cadre_sheet(wb, data)
        wb.save(target)
        report(1.0)
    return written
