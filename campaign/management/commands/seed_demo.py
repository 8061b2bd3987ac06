from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cadres import demo as cadres_demo


class Command(BaseCommand):
    help = "Build the demo bureau (idempotent). Refuses to run with DEBUG off unless --force."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="run even when DEBUG is off")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: this looks like production. Use --force to seed demo data anyway.")
        with transaction.atomic():
            summary = cadres_demo.seed()
        for key, value in summary.items():
            self.stdout.write(f"{key}: {value}")
        self.stdout.write(self.style.SUCCESS("demo data ready"))
