"""Uploads awaiting confirmation: the previewed file is kept in the file storage under
imports/ (so the confirming request may reach another web host), and the confirm step must
name its token and present the same hash."""

import json
import re
import secrets
import time

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from .upload import sha256

PENDING_DIR = "imports"
PENDING_MAX_AGE = 24 * 3600
_TOKEN = re.compile(r"[0-9a-f]{32}")


def _name(token: str, suffix: str) -> str:
    return f"{PENDING_DIR}/{token}{suffix}"


def _remove_old() -> None:
    """Files older than a day are removed (an abandoned preview)."""
    try:
        _folders, files = default_storage.listdir(PENDING_DIR)
    except FileNotFoundError:
        return
    cutoff = time.time() - PENDING_MAX_AGE
    for name in files:
        path = f"{PENDING_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path).timestamp() < cutoff:
                default_storage.delete(path)
        except OSError:
            pass


def store_pending(data: bytes, *, user_id: int | None, round_id: int, name: str = "") -> tuple[str, str]:
    """Keep an uploaded file until it is confirmed.

    Returns (token, sha256): the confirm step names the token and must present the same
    hash, so the file confirmed is the file previewed.
    """
    _remove_old()
    token = secrets.token_hex(16)
    digest = sha256(data)
    meta = {"sha256": digest, "user_id": user_id, "round_id": round_id, "name": name[:200], "at": time.time()}
    default_storage.save(_name(token, ".xlsx"), ContentFile(data))
    default_storage.save(_name(token, ".json"), ContentFile(json.dumps(meta, ensure_ascii=False).encode()))
    return token, digest


def load_pending(token: str, *, user_id: int | None, digest: str):
    """(data, meta) of a stored upload of this user whose content still has `digest`, else None."""
    if not _TOKEN.fullmatch(token or "") or not default_storage.exists(_name(token, ".json")):
        return None
    try:
        with default_storage.open(_name(token, ".json"), "rb") as handle:
            meta = json.loads(handle.read().decode())
        with default_storage.open(_name(token, ".xlsx"), "rb") as handle:
            data = handle.read()
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
        default_storage.delete(_name(token, suffix))
