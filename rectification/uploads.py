"""What the ledger does with evidence files beyond checking each file (evidence.py):

- `refuse_duplicates(measure, checked)`: a file identical (same SHA-256) to one already on
  the measure, or chosen twice in one upload, is refused with a message naming the file
  already there, instead of being stored twice;
- `preview(evidence)`: what the measure's page shows in place: an image as it is, a PDF as
  a PNG of one page rendered here by poppler's pdftoppm (the PDF itself never reaches the
  browser's viewer, so nothing in it can run). Both are served by the permission-checked
  views.measures.evidence_preview with the download headers (nosniff, CSP sandbox).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.selectors import person_name

from .models import Evidence, Measure

IMAGE_TYPES = {"image/png", "image/jpeg"}
PDF_TYPE = "application/pdf"
PREVIEW_DIR = "previews"
PREVIEW_TIMEOUT = 20  # seconds for pdftoppm on one page
PREVIEW_PIXELS = 1400  # the longer side of a rendered page


def refuse_duplicates(measure: Measure, checked) -> None:
    """Raise ValidationError({"files": [...]}) naming each file that is already on the measure."""
    hashes = [c.sha256 for c in checked]
    existing = {}
    for e in Evidence.objects.filter(measure=measure, sha256__in=hashes).select_related("uploaded_by__cadre"):
        existing.setdefault(e.sha256, e)
    errors, seen = [], {}
    for item in checked:
        if item.sha256 in existing:
            old = existing[item.sha256]
            errors.append(
                _(
                    "“%(name)s” is identical to “%(old)s”, uploaded on %(date)s by %(who)s: it is not stored "
                    "twice. Remove it from your selection."
                )
                % {
                    "name": item.name,
                    "old": old.original_name,
                    "date": timezone.localtime(old.uploaded_at).date().isoformat(),
                    "who": person_name(old.uploaded_by),
                }
            )
        elif item.sha256 in seen:
            errors.append(
                _("“%(name)s” and “%(other)s” are the same file: choose it once.")
                % {"name": item.name, "other": seen[item.sha256]}
            )
        else:
            seen[item.sha256] = item.name
    if errors:
        raise ValidationError({"files": errors})


# --- previews ---------------------------------------------------------------------------


def previewable(evidence: Evidence) -> bool:
    return evidence.content_type in IMAGE_TYPES or evidence.content_type == PDF_TYPE


@dataclass
class Preview:
    path: Path
    content_type: str


def preview(evidence: Evidence) -> Preview | None:
    """The file to show for `evidence`, or None (not an image or PDF, or it cannot be rendered)."""
    if evidence.content_type in IMAGE_TYPES:
        return Preview(Path(evidence.file.path), evidence.content_type)
    if evidence.content_type != PDF_TYPE:
        return None
    folder = Path(settings.MEDIA_ROOT) / PREVIEW_DIR
    target = folder / f"{evidence.sha256}-1.png"
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        if not _render_first_page(Path(evidence.file.path), target):
            return None
    return Preview(target, "image/png")


def _render_first_page(source: Path, target: Path) -> bool:
    stem = target.with_suffix("")
    command = [
        "pdftoppm",
        "-png",
        "-singlefile",
        "-f",
        "1",
        "-l",
        "1",
        "-scale-to",
        str(PREVIEW_PIXELS),
        str(source),
        str(stem),
    ]
    try:
        subprocess.run(command, check=True, timeout=PREVIEW_TIMEOUT, capture_output=True)  # noqa: S603
    except (OSError, subprocess.SubprocessError):
        target.unlink(missing_ok=True)
        return False
    return target.exists()
