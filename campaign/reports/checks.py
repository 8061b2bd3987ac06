"""System checks for the monthly report's PDF: a CJK font and HarfBuzz subsetting.

Without a CJK font every Chinese character of the PDF prints as a box; without Debian's
libharfbuzz-subset0 WeasyPrint silently subsets fonts with fontTools and a CJK PDF takes
about 17 times longer (measured: 13.1 s instead of 0.78 s for six pages). `manage.py check` (and every runserver/migrate) warns
with the exact apt-get line; the report page shows the same warnings.
"""

from __future__ import annotations

import ctypes.util
import functools
import shutil
import subprocess
from pathlib import Path

from django.core import checks
from django.core.checks import Tags, Warning
from django.utils.translation import gettext as _

FONT_PACKAGES = "fonts-noto-cjk fonts-lxgw-wenkai"
HARFBUZZ_PACKAGE = "libharfbuzz-subset0"
# Where Debian's fonts-noto-cjk puts its files: used when fc-list itself is missing.
KNOWN_FONT_FILES = [
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
]


@functools.lru_cache(maxsize=1)
def cjk_font_families() -> tuple[str, ...]:
    """The installed font families that cover Chinese (fontconfig's :lang=zh)."""
    if shutil.which("fc-list"):
        try:
            out = subprocess.run(
                ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=10, check=False
            ).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        return tuple(sorted({line.split(",")[0].strip() for line in out.splitlines() if line.strip()}))
    return tuple(Path(p).stem for p in KNOWN_FONT_FILES if Path(p).exists())


@functools.lru_cache(maxsize=1)
def harfbuzz_subset_available() -> bool:
    """Whether the shared library WeasyPrint uses for fast font subsetting is installed."""
    return any(ctypes.util.find_library(name) for name in ("harfbuzz-subset", "harfbuzz-subset-0"))


def pdf_environment_problems() -> list[dict]:
    """What is missing for good report PDFs: [{id, message, hint}] (empty when all is well)."""
    problems = []
    if not cjk_font_families():
        problems.append(
            {
                "id": "campaign.W001",
                "message": _(
                    "No Chinese (CJK) font is installed: every Chinese character of the report PDF would print as a box."
                ),
                "hint": f"sudo apt-get install -y {FONT_PACKAGES}",
            }
        )
    if not harfbuzz_subset_available():
        problems.append(
            {
                "id": "campaign.W002",
                "message": _(
                    "HarfBuzz subsetting (libharfbuzz-subset0) is missing: WeasyPrint falls back to fontTools "
                    "and report PDFs take many times longer to build."
                ),
                "hint": f"sudo apt-get install -y {HARFBUZZ_PACKAGE}",
            }
        )
    return problems


def check_report_pdf_environment(app_configs=None, **kwargs):
    return [Warning(p["message"], hint=p["hint"], id=p["id"]) for p in pdf_environment_problems()]


def register() -> None:
    """Called once from CampaignConfig.ready."""
    checks.register(check_report_pdf_environment, Tags.compatibility)
