"""Build a monthly (or custom-period) report in this process and print its three files'
paths: the PDF, the Excel ledger and the editable Word copy.

    python manage.py build_report --month 2026-03
    python manage.py build_report --start 2026-03-01 --end 2026-03-15 [--round 3]

The report is kept in the archive on /reports/ like one built from the page.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from campaign.reports import build
from campaign.reports.models import Report
from core.dates import parse_month
from rectification.models import InspectionRound


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = "Build the progress report (PDF, Excel ledger, Word) for a month, synchronously, and print the file paths."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="the month, e.g. 2026-03")
        parser.add_argument("--start", help="first day of a custom period (YYYY-MM-DD)")
        parser.add_argument("--end", help="last day of a custom period (YYYY-MM-DD)")
        parser.add_argument("--round", type=int, help="only this inspection round (its id)")

    def handle(self, *args, month=None, start=None, end=None, round=None, **options):
        if month and (start or end):
            raise CommandError("give either --month or --start/--end, not both")
        if month:
            try:
                period_start, period_end = parse_month(month)
            except ValueError as exc:
                raise CommandError(f"--month: {exc}") from exc
            kind = Report.Kind.MONTHLY
        elif start and end:
            period_start, period_end, kind = _date(start), _date(end), Report.Kind.CUSTOM
            if period_end < period_start:
                raise CommandError("--end is before --start")
        else:
            raise CommandError("give --month YYYY-MM (or --start and --end)")
        inspection_round = None
        if round is not None:
            inspection_round = InspectionRound.objects.filter(pk=round).first()
            if inspection_round is None:
                raise CommandError(f"no inspection round with id {round}")

        report = Report.objects.create(
            kind=kind, period_start=period_start, period_end=period_end, round=inspection_round
        )
        outcome = build.build(report.pk)
        report.refresh_from_db()
        if report.status != Report.Status.DONE:
            raise CommandError(f"report {report.pk} {outcome.value}: {report.error}")
        self.stdout.write(report.pdf.path)
        self.stdout.write(report.xlsx.path)
        self.stdout.write(report.docx.path)
        if options.get("verbosity", 1) > 1:
            self.stderr.write(
                f"report {report.pk}: {report.pdf_pages} pages, PDF {report.pdf_size} bytes, "
                f"Excel {report.xlsx_size} bytes, {report.measure_count} measures"
            )
