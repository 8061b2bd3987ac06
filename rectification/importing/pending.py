"""Uploads awaiting confirmation: the previewed file is kept under MEDIA_ROOT/imports/
and the confirm step must name its token and present the same hash."""

import json
import re
import secrets
import time
from pathlib import Path

from django.conf import settings

from .upload import sha256

PENDING_DIR = "imports"
PENDING_MAX_AGE = 24 * 3600
_TOKEN = re.compile(r"[0-9a-f]{32}")


def _pending_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / PENDING_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_pending(data: bytes, *, user_id: int | None, round_id: int, name: str = "") -> tuple[str, str]:
    """Keep an uploaded file on the server (MEDIA_ROOT/imports/) until it is confirmed.

    Returns (token, sha256): the confirm step names the token and must present the same
    hash, so the file confirmed is the file previewed. Files older than a day are removed.
    """
    folder = _pending_dir()
    cutoff = time.time() - PENDING_MAX_AGE
    for old in folder.glob("*"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass
    token = secrets.token_hex(16)
    digest = sha256(data)
    (folder / f"{token}.xlsx").write_bytes(data)
    meta = {"sha256": digest, "user_id": user_id, "round_id": round_id, "name": name[:200], "at": time.time()}
    (folder / f"{token}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return token, digest


def load_pending(token: str, *, user_id: int | None, digest: str):
    """(data, meta) of a stored upload of this user whose content still has `digest`, else None."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    folder = _pending_dir()
    try:
        meta = json.loads((folder / f"{token}.json").read_text(encoding="utf-8"))
        data = (folder / f"{token}.xlsx").read_bytes()
    except (OSError, ValueError):
        return None
    if meta.get("user_id") != user_id or meta.get("sha256") != digest or sha256(data) != digest:
        return None
    if meta.get("at", 0) < time.time() - PENDING_MAX_AGE:
        return None
    return data, meta


def discard_pending(token: str) -> None:
    if not _TOKEN.fullmatch(token or ""):
        return
    for suffix in (".xlsx", ".json"):
        (_pending_dir() / f"{token}{suffix}").unlink(missing_ok=True)
