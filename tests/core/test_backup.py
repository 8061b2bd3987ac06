"""backup and restore: a round trip into a new, empty PostgreSQL database and file store."""

import datetime as dt
import hashlib
import io
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from campaign.models import Report
from rectification import services
from rectification.models import Evidence, Measure
from tests.conftest import IN_CI
from tests.rectification.ledger_support import Ledger, pdf_upload

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        if IN_CI:
            pytest.fail("CI runs the tests on PostgreSQL (DATABASE_URL)")
        pytest.skip("pg_dump and pg_restore need PostgreSQL (DATABASE_URL)")


@pytest.fixture
def empty_database():
    """A new database with no tables, dropped afterwards; yields its DATABASE_URL."""
    db = settings.DATABASES["default"]
    name = f"restore_{uuid.uuid4().hex[:10]}"
    server = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}"
    with psycopg.connect(f"{server}/{db['NAME']}", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/{db['NAME']}", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_a_ledger(org) -> dict:
    ledger = Ledger(org)
    measures = [ledger.measure(description=f"措施{i}") for i in range(3)]
    for i, measure in enumerate(measures):
        services.add_progress(measure.pk, org.users["staff"], text=f"进展{i}", files=[pdf_upload(f"佐证{i}.pdf")])
    report = Report.objects.create(
        period_start=dt.date(2026, 3, 1), period_end=dt.date(2026, 3, 31), status=Report.Status.DONE
    )
    report.pdf.save("report.pdf", ContentFile(b"%PDF-1.4 report"), save=True)
    return {"measures": Measure.objects.count(), "evidence": Evidence.objects.count()}


def restore(archive: Path, database_url: str, media: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_backup_restores_into_an_empty_database_with_every_measure_file_and_report(
    org, tmp_path, empty_database, capsys
):
    expected = build_a_ledger(org)
    call_command("backup", folder=tmp_path / "backups")
    archive = Path(capsys.readouterr().out.strip())
    assert archive.name.startswith("nlzf-backup-") and archive.suffixes[-2:] == [".tar", ".gz"]

    media = tmp_path / "restored-media"
    result = restore(archive, empty_database, media)
    assert result.returncode == 0, result.stderr
    assert "restored" in result.stdout

    with psycopg.connect(empty_database) as restored:
        measures = restored.execute("SELECT count(*) FROM rectification_measure").fetchone()[0]
        files = restored.execute("SELECT file, sha256 FROM rectification_evidence").fetchall()
        reports = restored.execute("SELECT pdf FROM campaign_report").fetchall()
        migrations = restored.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
    assert measures == expected["measures"] and len(files) == expected["evidence"] == 3
    for name, digest in files:
        assert sha256(media / name) == digest  # each evidence file back, byte for byte
    assert (media / reports[0][0]).read_bytes() == b"%PDF-1.4 report"
    assert migrations > 10  # the migration history came along: migrate has nothing to redo


def test_restore_refuses_a_database_that_is_not_empty(org, tmp_path, capsys):
    build_a_ledger(org)
    call_command("backup", folder=tmp_path)
    archive = Path(capsys.readouterr().out.strip())
    with pytest.raises(CommandError, match="already has .* tables"):
        call_command("restore", archive)
    assert Measure.objects.count() == 3  # nothing touched


def test_a_damaged_archive_is_refused_before_anything_is_written(org, tmp_path, capsys, empty_database):
    build_a_ledger(org)
    call_command("backup", folder=tmp_path)
    archive = Path(capsys.readouterr().out.strip())
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("media/"):
                data = data.replace(b"%PDF", b"%XXX")
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    result = restore(damaged, empty_database, tmp_path / "media2")
    assert result.returncode != 0 and "damaged" in result.stderr
    with psycopg.connect(empty_database) as restored:
        tables = restored.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema='public'")
        assert tables.fetchone()[0] == 0
    assert not (tmp_path / "media2").exists()
