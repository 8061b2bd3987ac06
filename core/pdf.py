"""Rendering a document to PDF with WeasyPrint, for every app that prints (the monthly
report, the rotation plan for the 党组 meeting).

- The HTML names `lang="zh-CN"` and its stylesheet a CJK family in every font stack.
- One FontConfiguration serves the stylesheet and the render.
- The url_fetcher serves local static files only (the app's own, through the staticfiles
  finders): no network, no file:// outside the static folders.
"""

from __future__ import annotations

import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

# A made-up origin: relative URLs in a document resolve under it, and the fetcher
# answers only for its /static/ path.
BASE_URL = "https://report.invalid/"
STATIC_PREFIX = BASE_URL + settings.STATIC_URL.lstrip("/")

# WeasyPrint logs every layout step at INFO; the worker's log needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _weasyprint():
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    return weasyprint, FontConfiguration, URLFetcher, URLFetcherResponse


def static_path(url: str) -> Path | None:
    """The local file behind a /static/ URL of a document, or None."""
    if not url.startswith(STATIC_PREFIX):
        return None
    relative = url[len(STATIC_PREFIX) :].split("?", 1)[0].split("#", 1)[0]
    if not relative or ".." in Path(relative).parts or relative.startswith("/"):
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    candidate = Path(settings.STATIC_ROOT) / relative
    return candidate if candidate.is_file() else None


def make_fetcher():
    """A URLFetcher that serves local static files and refuses everything else."""
    _wp, _fc, URLFetcher, URLFetcherResponse = _weasyprint()

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_path(url)
            if path is None:
                raise ValueError(f"the report may load local static files only, not {url[:200]}")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return StaticOnlyFetcher(timeout=1, allowed_protocols={"https", "data"})


@dataclass
class Rendered:
    pdf: bytes
    pages: int


def render_pdf(html: str, stylesheets: list[str]) -> Rendered:
    """`html` laid out with the static `stylesheets` (paths under /static/)."""
    weasyprint, FontConfiguration, _f, _r = _weasyprint()
    font_config = FontConfiguration()
    fetcher = make_fetcher()
    css = [
        weasyprint.CSS(filename=str(static_path(STATIC_PREFIX + name)), font_config=font_config, url_fetcher=fetcher)
        for name in stylesheets
    ]
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
        font_config=font_config, stylesheets=css
    )
    return Rendered(pdf=document.write_pdf(), pages=len(document.pages))
