"""Run the daily reminder sweep by hand: the same sweep the 08:30 beat task runs.

    python manage.py send_reminders                     # today, delivered from this process
    python manage.py send_reminders --date 2026-03-30   # as on that day (catching up)
    python manage.py send_reminders --dry-run           # who would get what; records nothing

For cron deployments without Celery beat, run it once every working day (a non-working
day sends nothing). Running it twice sends nothing twice.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campaign.reminders.digests import deliver_logged
from campaign.reminders.models import SweepRun
from campaign.reminders.sweep import preview, run_sweep
from campaign.reminders.tasks import enqueue_digest
from core import calendar
from core.reminders import COLOURS


class Command(BaseCommand):
    help = "Run the reminder sweep now: one digest per person, inbox and email, never twice."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to sweep as, YYYY-MM-DD (default: today)")
        parser.add_argument("--dry-run", action="store_true", help="print who would get what; record and send nothing")
        parser.add_argument(
            "--enqueue", action="store_true", help="hand the digests to the Celery worker instead of sending them here"
        )

    def handle(self, *args, date=None, dry_run=False, enqueue=False, **options):
        try:
            day = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"--date must be YYYY-MM-DD, got {date!r}") from None
        if not calendar.has_data(day.year):
            self.stderr.write(
                f"No holiday calendar for {day.year}: working days are Monday to Friday until an admin enters it."
            )
        if not calendar.is_workday(day):
            self.stdout.write(f"{day} is not a working day: no reminders are sent (the next working day catches up).")
            if not dry_run:
                run_sweep(day, trigger=SweepRun.Trigger.COMMAND)
            return
        if dry_run:
            self._dry_run(day)
            return
        run = run_sweep(day, trigger=SweepRun.Trigger.COMMAND, deliver=enqueue_digest if enqueue else deliver_logged)
        run.refresh_from_db()
        emails = run.digest_set.filter(email_status="sent").count()
        failed = run.digest_set.filter(email_status="failed").count()
        self.stdout.write(
            self.style.SUCCESS(
                f"{day}: {run.items} items found, {run.reminders} new reminders, {run.digests} digests"
                + ("" if enqueue else f" ({emails} emailed, {failed} email failures)")
            )
        )
        if run.error:
            self.stderr.write(f"Some rules failed:\n{run.error}")

    def _dry_run(self, day):
        by_person, already, errors = preview(day)
        users = get_user_model().objects.in_bulk(list(by_person))
        self.stdout.write(f"Dry run for {day}: nothing is recorded or sent.")
        for user_id in sorted(by_person, key=lambda pk: users[pk].username if pk in users else ""):
            user = users.get(user_id)
            items = sorted(by_person[user_id], key=lambda i: (COLOURS.index(i.colour) if i.colour in COLOURS else 9))
            self.stdout.write(f"\n{user.username if user else user_id} ({len(items)}):")
            for item in items:
                self.stdout.write(f"  [{item.colour}] {item.kind}: {item.text}")
        self.stdout.write(f"\n{len(by_person)} digests would be sent; {already} items were already sent before.")
        for error in errors:
            self.stderr.write(f"rule failed: {error}")
