"""Upload safety: the checks every import shares live in core.uploads."""

from core.uploads import ImportRefused, check_upload, open_workbook, sha256

__all__ = ["ImportRefused", "check_upload", "open_workbook", "sha256"]
