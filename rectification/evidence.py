"""Evidence files (佐证材料): checked from their content, stored under MEDIA_ROOT with a
SHA-256, served only by views.evidence_download after a permission check.

The allowed kinds are settings.EVIDENCE_ALLOWED_TYPES (pdf, docx, doc, xlsx, xls, jpg,
png); the size limit is settings.EVIDENCE_MAX_BYTES. A file's extension must agree with
what its first bytes say it is: a renamed executable is refused, and so is a .docx that
is really a spreadsheet. Then the whole container is checked (inspect_content): an OOXML
package without macros or ActiveX and with bounded expansion, an old Office file without
a VBA project, a PDF without active content (JavaScript, launch or open actions, embedded
files), and no HTML hidden in a PDF, PNG or JPEG (a polyglot a browser could render).
"""

from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.middleware import UNREADABLE_UPLOAD_NAME

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


# A name that could not be read holds the replacement character: Django puts it for bytes
# it cannot decode, and core.middleware.ReadableUploadNamesMiddleware names a file so when
# Django would have dropped it for its name.
UNREADABLE_NAME = UNREADABLE_UPLOAD_NAME

# OOXML members and content types that carry code.
OOXML_ACTIVE_MEMBERS = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml|activeX/)", re.I)
OOXML_ACTIVE_TYPES = re.compile(r"macroEnabled|vbaProject|activeX", re.I)
MAX_ZIP_RATIO = 100  # uncompressed : compressed, over the whole package
MAX_ZIP_MEMBERS = 5000
# PDF names that make a reader run or open something; /OpenAction and /AA only when they
# carry an action dictionary (a destination array such as [3 0 R /Fit] is harmless).
PDF_ACTIVE = re.compile(
    rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm|ImportData|GoToE)\b|/(OpenAction|AA)\s*<<"
)
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM = re.compile(rb"stream\r?\n")
PDF_MAX_INFLATED = 64 * 1024 * 1024  # scanned per file; a bomb stops there
HTML_MARKERS = re.compile(rb"<\s*(html|script|body|iframe|svg|object|embed|meta|!doctype)\b|javascript:", re.I)
PNG_IEND = b"IEND\xaeB`\x82"


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
    raw_name = getattr(upload, "name", "") or ""
    if UNREADABLE_NAME in raw_name:
        raise ValidationError(
            _(
                "A file's name could not be read (it holds characters the browser could not send). "
                "Rename the file with ordinary characters and upload it again."
            ),
            code="name",
        )
    name = raw_name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "file"
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
    problem = inspect_content(upload, actual)
    if problem:
        raise ValidationError(
            _("“%(name)s” was refused: %(problem)s") % {"name": name, "problem": problem}, code="active"
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(upload, name[-255:], actual, CONTENT_TYPES[actual], size, digest.hexdigest())


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read(settings.EVIDENCE_MAX_BYTES + 1)
    upload.seek(0)
    return data


def inspect_content(upload, kind: str) -> str | None:
    """What makes the whole file unsafe, in words for the user, or None."""
    if kind in ("docx", "xlsx"):
        return _ooxml_problem(upload)
    data = _read_all(upload)
    if kind in ("doc", "xls"):
        if "_VBA_PROJECT".encode("utf-16-le") in data or "Macros".encode("utf-16-le") in data:
            return _("it contains macros. Save it without macros (as .docx or .xlsx) and upload it again.")
        return None
    if HTML_MARKERS.search(data) or (kind == "png" and not data.rstrip(b"\x00").endswith(PNG_IEND)):
        return _("it also contains web page code or hidden data. Save it again as a plain file and upload it again.")
    if kind == "pdf":
        return _pdf_problem(data)
    return None


def _ooxml_problem(upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            types = archive.read("[Content_Types].xml")[:1_000_000].decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, KeyError, ValueError):
        return _("the document is damaged. Open it in Office, save it again and upload it again.")
    finally:
        upload.seek(0)
    if any(OOXML_ACTIVE_MEMBERS.search(m.filename) for m in members) or OOXML_ACTIVE_TYPES.search(types):
        return _(
            "it contains macros or ActiveX controls. Save it without macros (as .docx or .xlsx) and upload it again."
        )
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if (
        len(members) > MAX_ZIP_MEMBERS
        or total > settings.EVIDENCE_MAX_UNCOMPRESSED_BYTES
        or (total > 1_048_576 and total / packed > MAX_ZIP_RATIO)
    ):
        return _("it would unpack to %(size)s MB (a zip bomb).") % {"size": f"{total / 1048576:.0f}"}
    return None


def _pdf_problem(data: bytes) -> str | None:
    """Active content in the PDF's objects, also inside compressed object streams and with
    names written in #xx escapes (/J#61vaScript)."""
    budget = PDF_MAX_INFLATED
    parts = [data]
    for match in PDF_STREAM.finditer(data):
        if budget <= 0:
            break
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(data[match.end() : match.end() + budget], budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        parts.append(inflated)
    for part in parts:
        if PDF_ACTIVE.search(PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), part)):
            return _(
                "the PDF contains active content (scripts, actions that run on opening, or embedded files). "
                "Print it to a new PDF and upload that."
            )
    return None


def check_all(uploads) -> list[CheckedFile]:
    """Check every file; one ValidationError listing every bad file. A file the form has
    checked already (a CheckedFile) is not read and hashed a second time by the service."""
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(upload if isinstance(upload, CheckedFile) else check(upload))
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
