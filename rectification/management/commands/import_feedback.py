"""manage.py import_feedback FILE --round ROUND_ID [--user USERNAME] [--dry-run]

Prints the same preview as the import page; on any error it writes nothing and exits
with status 1. History records name --user (default: no user) with the reason 导入.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rectification import importing
from rectification.models import InspectionRound


class Command(BaseCommand):
    help = "Import a feedback list (问题清单, .xlsx) into an inspection round: all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx file")
        parser.add_argument("--round", type=int, required=True, dest="round_id", help="InspectionRound id")
        parser.add_argument("--user", help="username recorded as the importer in the history")
        parser.add_argument("--dry-run", action="store_true", help="validate and print the preview only")

    def handle(self, *args, file, round_id, user=None, dry_run=False, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc.strerror}) from None
        round_ = InspectionRound.objects.filter(pk=round_id).first()
        if round_ is None:
            raise CommandError(_("There is no inspection round with id %(id)s.") % {"id": round_id})
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(_("There is no user “%(name)s”.") % {"name": user})
        try:
            preview = importing.validate(data, round_)
        except importing.ImportRefused as refused:
            raise CommandError(str(refused)) from None
        self.print_preview(preview)
        if not preview.ok:
            raise CommandError(_("%(count)s errors: nothing was imported.") % {"count": preview.error_count})
        if dry_run:
            self.stdout.write(_("Dry run: nothing was imported."))
            return
        try:
            result = importing.import_feedback_xlsx(data, round_, actor)
        except importing.ImportInvalid as invalid:
            self.print_preview(invalid.preview)
            raise CommandError(
                _("%(count)s errors: nothing was imported.") % {"count": invalid.preview.error_count}
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported %(problems)s problems and %(measures)s measures into “%(round)s”.")
                % {"problems": result.problems, "measures": result.measures, "round": round_.title}
            )
        )

    def print_preview(self, preview):
        write = self.stdout.write
        if preview.sheet:
            write(_("Sheet “%(sheet)s”, header in row %(row)s.") % {"sheet": preview.sheet, "row": preview.header_row})
        for message in preview.file_errors:
            self.stderr.write(message)
        for r in preview.rows:
            if r.problem_number:
                what = (
                    _("new problem %(n)s, measure %(n)s.%(m)s")
                    if r.new_problem
                    else _("problem %(n)s, measure %(n)s.%(m)s")
                ) % {"n": r.problem_number, "m": r.measure_number}
            else:
                what = "—"
            status = "OK" if r.ok else _("ERROR")
            write(f"{_('Row %(row)s') % {'row': r.row}}\t{status}\t{what}\t{r.values.get('measure', '')[:30]}")
            for key, messages in r.errors.items():
                for message in messages:
                    self.stderr.write("  " + importing.locate(r.row, key, message))
            for key, messages in r.warnings.items():
                for message in messages:
                    write("  " + _("warning") + ": " + importing.locate(r.row, key, message))
        write(
            _("%(problems)s problems, %(measures)s measures, %(errors)s errors, %(warnings)s warnings.")
            % {
                "problems": preview.problem_count,
                "measures": preview.measure_count,
                "errors": preview.error_count,
                "warnings": preview.warning_count,
            }
        )
