"""Upload safety for every .xlsx import: what is refused before a sheet is read (not an
.xlsx, too large, an old or encrypted Office file, a zip bomb, a damaged workbook)."""

import hashlib
import zipfile
from io import BytesIO

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
MAX_ZIP_RATIO = 100  # uncompressed : compressed, over the whole archive
MAX_ZIP_MEMBERS = 2000


class ImportRefused(Exception):
    """The file itself is refused (not xlsx, too big, encrypted, a zip bomb, unreadable)."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_upload(data: bytes) -> None:
    """Refuse, with a clear message, anything that is not a plain .xlsx of sane size."""
    limit = settings.IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ImportRefused(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": f"{len(data) / 1048576:.1f}", "limit": f"{limit / 1048576:g}"}
        )
    if not data:
        raise ImportRefused(_("The file is empty."))
    if data.startswith(OLE2_MAGIC):
        if ENCRYPTION_STREAM in data:
            raise ImportRefused(
                _(
                    "The workbook is password-protected (encrypted). Remove the password in Excel "
                    "(File › Info › Protect Workbook), save it as .xlsx and upload it again."
                )
            )
        raise ImportRefused(
            _(
                "This is an old Excel 97–2003 (.xls) file or another Office format. Open it in Excel, "
                "save it as “Excel Workbook (.xlsx)” and upload it again."
            )
        )
    if not data.startswith(b"PK"):
        raise ImportRefused(_("This is not an Excel workbook (.xlsx). Save the sheet as .xlsx and upload it again."))
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportRefused(_("This is not an Excel workbook (.xlsx), or the file is damaged.")) from None
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise ImportRefused(_("This is not an Excel workbook (.xlsx). Save the sheet as .xlsx and upload it again."))
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if (
        len(members) > MAX_ZIP_MEMBERS
        or total > settings.IMPORT_MAX_UNCOMPRESSED_BYTES
        or (total > 1048576 and total / packed > MAX_ZIP_RATIO)
    ):
        raise ImportRefused(
            _(
                "The file would unpack to %(size)s MB (compressed %(ratio)s times): it looks like a zip bomb "
                "and was refused."
            )
            % {"size": f"{total / 1048576:.0f}", "ratio": f"{total / packed:.0f}"}
        )


def open_workbook(data: bytes):
    """The workbook, read-only (values streamed, memory bounded; the sheet reader takes the
    merged cells from the XML); ImportRefused when openpyxl cannot read it."""
    try:
        return load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise ImportRefused(
            _("The workbook could not be read (%(error)s). Open it in Excel, save it as .xlsx and try again.")
            % {"error": exc.__class__.__name__}
        ) from None
