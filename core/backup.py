"""Backup and restore of the whole system: the database and the stored files, in one archive.

An archive (`nlzf-backup-YYYYMMDD-HHMMSS.tar.gz`) holds
    manifest.json      when, which database engine, every file with its size and SHA-256,
                       and the number of rows of every model (checked after a restore)
    database.dump      pg_dump's custom format (PostgreSQL), or
    database.sqlite3   a copy made with SQLite's online backup API
    media/<name>       every stored file (evidence, reports), read through the storage API,
                       so object storage is backed up the same way as a local folder

The database is dumped first (pg_dump works on one snapshot, so the dump is consistent),
then the files: a file the dump refers to was stored before the dump and is therefore in
the archive. A restore goes into an EMPTY database (no tables) and an empty file store,
checks every checksum before it writes anything, and compares the row counts at the end.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

FORMAT = 1


class BackupError(Exception):
    """Something the operator must fix; the message says what."""


# --- backup ------------------------------------------------------------------------------------


def create_backup(folder: Path) -> Path:
    """Write one archive into `folder` and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = folder / f"nlzf-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as tmp:
        dump, rows = _dump_database(Path(tmp))
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": connection.vendor,
            "database": {"name": dump.name, "sha256": _sha256_file(dump), "size": dump.stat().st_size},
            "rows": rows,
            "files": [],
        }
        partial = target.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(dump, arcname=dump.name)
            for name in stored_files():
                manifest["files"].append(_add_stored_file(archive, name))
            _add_bytes(archive, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
        partial.rename(target)  # never a half-written archive under the final name
    return target


def _dump_database(folder: Path) -> tuple[Path, dict[str, int]]:
    """The dump and its row counts, both of the same moment."""
    if connection.vendor == "postgresql":
        target = folder / "database.dump"
        # pg_dump reads the snapshot this transaction exports, and the counts are taken in it.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            pg_dump = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
            _run([*pg_dump, f"--snapshot={snapshot}", f"--file={target}", *_pg_args()])
            return target, row_counts()
    if connection.vendor == "sqlite":
        target = folder / "database.sqlite3"
        connection.ensure_connection()  # Django's own connection: it sees what this process wrote
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
            return target, row_counts(copy)
    raise BackupError(f"unsupported database engine: {connection.vendor}")


def row_counts(sqlite_copy: sqlite3.Connection | None = None) -> dict[str, int]:
    """Rows per model, for the manifest and the check after a restore."""
    counts = {}
    for model in apps.get_models():
        if not model._meta.managed:
            continue
        if sqlite_copy is None:
            counts[model._meta.label] = model._base_manager.count()
        else:
            table = model._meta.db_table.replace('"', '""')
            counts[model._meta.label] = sqlite_copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
    return counts


def stored_files(storage=default_storage, folder: str = "") -> list[str]:
    """Every file name in the storage, recursively, in a stable order."""
    folders, files = storage.listdir(folder) if _exists_folder(storage, folder) else ([], [])
    names = [f"{folder}/{f}" if folder else f for f in files]
    for sub in folders:
        names += stored_files(storage, f"{folder}/{sub}" if folder else sub)
    return sorted(names)


def _exists_folder(storage, folder: str) -> bool:
    try:
        storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return False
    return True


def _add_stored_file(archive: tarfile.TarFile, name: str) -> dict:
    digest, size = hashlib.sha256(), 0
    with default_storage.open(name, "rb") as handle, tempfile.TemporaryFile() as copy:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
            copy.write(chunk)
        copy.seek(0)
        info = tarfile.TarInfo(f"media/{name}")
        info.size = size
        archive.addfile(info, copy)
    return {"name": name, "size": size, "sha256": digest.hexdigest()}


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


# --- restore -----------------------------------------------------------------------------------


def restore_backup(path: Path) -> dict:
    """Bring an archive back into an empty database and file store; returns the manifest."""
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(path, "r:gz") as archive:
        archive.extractall(tmp, filter="data")
        folder = Path(tmp)
        manifest = _read_manifest(folder)
        _verify(folder, manifest)
        _refuse_unless_empty(manifest)
        _restore_database(folder / manifest["database"]["name"])
        for entry in manifest["files"]:
            with open(folder / "media" / entry["name"], "rb") as handle:
                saved = default_storage.save(entry["name"], File(handle))
            if saved != entry["name"]:
                raise BackupError(f"the file store renamed {entry['name']} to {saved}")
    found = row_counts()
    differences = {k: (v, found.get(k)) for k, v in manifest["rows"].items() if found.get(k) != v}
    if differences:
        raise BackupError(f"row counts differ after the restore (expected, found): {differences}")
    return manifest


def _read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except (FileNotFoundError, ValueError) as exc:
        raise BackupError(f"not a backup archive of this system (manifest.json: {exc})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown archive format {manifest.get('format')!r}")
    if manifest["engine"] != connection.vendor:
        raise BackupError(f"the archive holds a {manifest['engine']} database; this system uses {connection.vendor}")
    return manifest


def _verify(folder: Path, manifest: dict) -> None:
    """Every checksum first: a damaged archive writes nothing."""
    entries = [(manifest["database"]["name"], manifest["database"]["sha256"])]
    entries += [(f"media/{f['name']}", f["sha256"]) for f in manifest["files"]]
    for name, expected in entries:
        path = folder / name
        if not path.is_file() or _sha256_file(path) != expected:
            raise BackupError(f"{name} is missing or damaged in the archive (SHA-256 differs)")


def _refuse_unless_empty(manifest: dict) -> None:
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"the database already has {len(tables)} tables: restore into a new, empty database "
            "(createdb, then run restore before migrate)"
        )
    present = [f["name"] for f in manifest["files"] if default_storage.exists(f["name"])]
    if present:
        raise BackupError(f"the file store already holds {len(present)} of the archive's files, e.g. {present[0]}")


def _restore_database(dump: Path) -> None:
    if connection.vendor == "postgresql":
        _run(
            [
                _tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                *_pg_args(dbname_flag=True),
                str(dump),
            ]
        )
    else:
        connection.close()
        target = Path(settings.DATABASES["default"]["NAME"])
        with sqlite3.connect(dump) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
    connection.close()  # the next query sees the restored tables


# --- helpers -----------------------------------------------------------------------------------


def _pg_args(dbname_flag: bool = False) -> list[str]:
    db = settings.DATABASES["default"]
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args.append(f"{flag}={db[key]}")
    args.append(f"--dbname={db['NAME']}" if dbname_flag else db["NAME"])
    return args


def _run(command: list[str]) -> None:
    env = dict(os.environ)
    password = settings.DATABASES["default"].get("PASSWORD")
    if password:
        env["PGPASSWORD"] = password
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return path


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def default_folder() -> Path:
    return Path(settings.VAR_DIR) / "backups"
