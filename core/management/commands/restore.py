"""python manage.py restore ARCHIVE: bring a backup back into an EMPTY database and file store.

Create a new database first (createdb), point DATABASE_URL at it, and run restore before
migrate: the archive brings the tables and the migration history with it.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and file store."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive, **options):
        if not archive.is_file():
            raise CommandError(f"{archive} does not exist")
        try:
            manifest = restore_backup(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["rows"].values())
        self.stdout.write(f"restored {rows} rows and {len(manifest['files'])} files from {manifest['created_at']}")
