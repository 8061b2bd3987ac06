"""Meeting attachments (the sign-in sheet, a photo; always optional): PDF, JPG or PNG,
checked from their content and size (settings.PARTY_ATTACHMENT_MAX_BYTES), stored under
MEDIA_ROOT with a SHA-256, served only by views.attachment_download after the scope check."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .models import Attachment

CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
ALLOWED_TEXT = "PDF、JPG、PNG"


@dataclass
class CheckedFile:
    upload: object
    name: str
    kind: str
    size: int
    sha256: str


def check(upload) -> CheckedFile:
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1].strip() or "file"
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    limit = settings.PARTY_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    upload.seek(0)
    guess = filetype.guess(upload.read(8192))
    kind = {"jpeg": "jpg"}.get(guess.extension, guess.extension) if guess else None
    if kind not in CONTENT_TYPES:
        raise ValidationError(
            _("“%(name)s”: this kind of file is not accepted. Accepted: %(types)s.")
            % {"name": name, "types": ALLOWED_TEXT}
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(upload, name[-200:], kind, upload.size, digest.hexdigest())


def check_all(uploads) -> list[CheckedFile]:
    """Every file checked; one ValidationError (on the attachments field) listing every bad one."""
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(check(upload))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"attachments": errors})
    return checked


def store(checked: CheckedFile, *, meeting, user) -> Attachment:
    attachment = Attachment(
        meeting=meeting,
        original_name=checked.name,
        content_type=CONTENT_TYPES[checked.kind],
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user,
    )
    checked.upload.seek(0)
    attachment.file.save(f"attachment.{checked.kind}", checked.upload, save=False)
    attachment.save()
    return attachment
