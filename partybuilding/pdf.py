"""Meeting records as PDF (WeasyPrint): one meeting's 统一样式 record, and a branch's
year as one volume (学习档案) with a contents page.

The layout is static/css/partybuilding_record.css, in the monthly report's CJK font
stacks (仿宋 → FandolFang / Noto Serif CJK SC, 黑体 → Noto Sans CJK SC, 小标宋 → Noto
Serif CJK SC Bold; every stack ends in a CJK family). The record loads nothing from
outside: the fetcher allows data: URLs only, the stylesheet is read from disk, and one
FontConfiguration serves the stylesheet and the render.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from . import quorum
from .models import Meeting

STYLESHEET = "css/partybuilding_record.css"
RECORD_LANGUAGE = "zh-hans"

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def record_context(meeting: Meeting) -> dict:
    rows = list(meeting.attendance.all())
    away = [r for r in rows if r.status != r.Status.PRESENT and r.counted]
    return {
        "m": meeting,
        "counts": quorum.counts(rows),
        "quorum": quorum.quorum(meeting.kind, rows),
        "away": away,
        "present": [r for r in rows if r.status == r.Status.PRESENT],
    }


def meetings_for_records(qs):
    """The meetings with everything a record prints, in a fixed number of queries."""
    return qs.select_related("branch", "group", "host", "recorder", "lecturer").prefetch_related("attendance__cadre")


def render(meetings: list[Meeting], *, title: str, contents: bool) -> bytes:
    with translation.override(RECORD_LANGUAGE):
        html = render_to_string(
            "partybuilding/pdf/records.html",
            {
                "title": title,
                "bureau": settings.BUREAU_NAME,
                "records": [record_context(m) for m in meetings],
                "contents": contents,
            },
        )
    return html_to_pdf(html)


def html_to_pdf(html: str) -> bytes:
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    fonts = FontConfiguration()
    fetcher = URLFetcher(timeout=1, allowed_protocols={"data"})
    css = weasyprint.CSS(filename=finders.find(STYLESHEET), font_config=fonts, url_fetcher=fetcher)
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[css], font_config=fonts)
