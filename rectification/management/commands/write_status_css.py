"""Write static/css/status.css from the status colours in rectification/statuses.py."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from rectification.statuses import CSS_PATH, status_css


class Command(BaseCommand):
    help = "Write static/css/status.css from rectification/statuses.py."

    def handle(self, *args, **options):
        path = Path(settings.BASE_DIR) / CSS_PATH
        path.write_text(status_css(), encoding="utf-8")
        self.stdout.write(f"wrote {path}")
