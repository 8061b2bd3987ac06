"""python manage.py backup [--folder DIR]: the database and every stored file in one archive.

Schedule it daily (cron or a systemd timer) and copy the archive off the machine; see the
README, "Backups". The archive's layout is described in core/backup.py.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, create_backup, default_folder


class Command(BaseCommand):
    help = "Write a backup archive (database dump + stored files + manifest with checksums)."

    def add_arguments(self, parser):
        parser.add_argument("--folder", type=Path, help="where to write the archive (default: $VAR_DIR/backups)")

    def handle(self, *args, folder=None, **options):
        try:
            path = create_backup(folder or default_folder())
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(str(path))
