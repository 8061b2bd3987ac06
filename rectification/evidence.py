"""Evidence files (佐证材料): checked from their content, stored under MEDIA_ROOT with a
SHA-256, served only by views.evidence_download after a permission check.

The allowed kinds are settings.EVIDENCE_ALLOWED_TYPES (pdf, docx, doc, xlsx, xls, jpg,
png); the size limit is settings.EVIDENCE_MAX_BYTES. A file's extension must agree with
what its first bytes say it is: a renamed executable is refused, and so is a .docx that
is really a spreadsheet.
"""

from __future__ import annotations

import hashlib
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .models import Evidence

OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "jpg": "image/jpeg",
    "png": "image/png",
}
EXTENSIONS = {"jpeg": "jpg", "jpe": "jpg"}

# What a member of an OOXML package says about the document inside.
OOXML_MAIN = {
    "docx": ("word/document.xml", "wordprocessingml.document.main"),
    "xlsx": ("xl/workbook.xml", "spreadsheetml.sheet.main"),
}


@dataclass
class CheckedFile:
    upload: object
    name: str
    kind: str
    content_type: str
    size: int
    sha256: str


def extension_of(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return EXTENSIONS.get(ext, ext)


def _read_head(upload, length: int = 8192) -> bytes:
    upload.seek(0)
    head = upload.read(length)
    upload.seek(0)
    return head


def _ooxml_kind(upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                return None
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > 1_000_000:
                return None
            types = archive.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, KeyError):
        return None
    finally:
        upload.seek(0)
    for kind, (member, marker) in OOXML_MAIN.items():
        if member in names or marker in types:
            return kind
    return None


def _ole_kind(upload) -> str | None:
    """doc or xls: the stream names in the compound file's directory tell them apart."""
    upload.seek(0)
    data = upload.read(4 * 1024 * 1024)
    upload.seek(0)
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    return None


def sniff(upload) -> str | None:
    """The kind of file the content says it is (one of CONTENT_TYPES), or None."""
    head = _read_head(upload)
    if head.startswith(OLE2_MAGIC):
        return _ole_kind(upload)
    if head.startswith(b"PK\x03\x04"):
        return _ooxml_kind(upload)
    guess = filetype.guess(head)
    if guess is None:
        return None
    kind = EXTENSIONS.get(guess.extension, guess.extension)
    return kind if kind in ("pdf", "jpg", "png") else None


def check(upload) -> CheckedFile:
    """Validate one uploaded file; raise ValidationError naming the file."""
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1].strip() or "file"
    allowed = [EXTENSIONS.get(t.lower(), t.lower()) for t in settings.EVIDENCE_ALLOWED_TYPES]
    allowed_text = "、".join(t.upper() for t in dict.fromkeys(allowed))
    size = upload.size
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    if size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(settings.EVIDENCE_MAX_BYTES)},
            code="too_large",
        )
    claimed = extension_of(name)
    if claimed not in allowed:
        raise ValidationError(
            _("“%(name)s”: this kind of file is not accepted. Accepted: %(types)s.")
            % {"name": name, "types": allowed_text},
            code="type",
        )
    actual = sniff(upload)
    if actual != claimed:
        raise ValidationError(
            _("“%(name)s” is not a real %(kind)s file (its content does not match its name). Accepted: %(types)s.")
            % {"name": name, "kind": claimed.upper(), "types": allowed_text},
            code="content",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(upload, name[-255:], actual, CONTENT_TYPES[actual], size, digest.hexdigest())


def check_all(uploads) -> list[CheckedFile]:
    """Check every file; one ValidationError listing every bad file."""
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(check(upload))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return checked


def store(checked: CheckedFile, *, measure, progress, user):
    """Save the file and its Evidence row (call inside the service's transaction)."""
    evidence = Evidence(
        measure=measure,
        progress=progress,
        original_name=checked.name,
        size=checked.size,
        sha256=checked.sha256,
        content_type=checked.content_type,
        uploaded_by=user,
    )
    checked.upload.seek(0)
    evidence.file.save(f"upload.{checked.kind}", checked.upload, save=False)
    evidence.save()
    return evidence


@contextmanager
def removed_on_error():
    """Collect the Evidence stored inside the block; if the block fails, delete their files
    (the rows roll back with the transaction, the files would stay behind)."""
    stored: list = []
    try:
        yield stored
    except Exception:
        for evidence in stored:
            evidence.file.storage.delete(evidence.file.name)
        raise
