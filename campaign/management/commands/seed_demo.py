"""Build the demo bureau: `python manage.py seed_demo` (idempotent; see README, Demo logins)."""

import importlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Each app seeds its own part of the demo bureau, in dependency order.
DEMO_MODULES = [
    "cadres.demo",
    "rectification.demo",
    "partybuilding.demo",
    "campaign.group.demo",
    "cadres.demo_talks",  # after the branches: talks cover the branch pairs too
]


class Command(BaseCommand):
    help = "Build the demo bureau (idempotent). Refuses to run with DEBUG off unless --force."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="run even when DEBUG is off")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: this looks like production. Use --force to seed demo data anyway.")
        for name in DEMO_MODULES:
            module = importlib.import_module(name)
            with transaction.atomic():
                summary = module.seed() or {}
            for key, value in summary.items():
                self.stdout.write(f"{name.split('.')[0]} · {key}: {value}")
        self.stdout.write(self.style.SUCCESS("demo data ready"))
