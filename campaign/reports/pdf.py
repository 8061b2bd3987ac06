"""The monthly report as a PDF in the layout of GB/T 9704-2012, rendered by WeasyPrint.

- The HTML is a Django template (templates/campaign/reports/pdf/report.html, lang="zh-CN")
  and the layout is static/css/report_pdf.css; every font stack there names a CJK family.
- core.pdf renders it (one FontConfiguration, a url_fetcher for local static files only).
- The trend chart is SVG drawn here, inline in the HTML, so it prints as vectors.
"""

from __future__ import annotations

import re
from html import escape

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core import pdf as core_pdf
from core.formats import percent
from core.pdf import BASE_URL, STATIC_PREFIX, Rendered, make_fetcher, static_path

from .data import ReportData, shorten

STYLESHEET = "css/report_pdf.css"
MEASURE_TEXT_LIMIT = 46
REPORT_LANGUAGE = "zh-hans"

__all__ = ["BASE_URL", "STATIC_PREFIX", "Rendered", "make_fetcher", "render_html", "render_pdf", "static_path"]


def render_html(data: ReportData) -> str:
    with translation.override(REPORT_LANGUAGE):
        return render_to_string("campaign/reports/pdf/report.html", context(data))


def render_pdf(html: str) -> Rendered:
    return core_pdf.render_pdf(html, [STYLESHEET])


def measure_ref(measure) -> str:
    rnd = measure.problem.round
    return f"{rnd.get_source_display()} {measure.problem.number}.{measure.number}"


def context(data: ReportData) -> dict:
    closed = [
        {
            "description": shorten(m.description, MEASURE_TEXT_LIMIT),
            "ref": measure_ref(m),
            "department": m.lead_department.name,
            "leader": m.responsible_leader.name,
            "date": m.completed_on,
        }
        for m in data.closed_in_period
    ]
    overdue = [
        {
            "description": shorten(line.measure.description, MEASURE_TEXT_LIMIT),
            "ref": measure_ref(line.measure),
            "department": line.measure.lead_department.name,
            "leader": line.measure.responsible_leader.name,
            "deadline": line.measure.deadline,
            "days": line.days,
        }
        for line in data.overdue
    ]
    progress = [
        {
            "description": shorten(line.measure.description, MEASURE_TEXT_LIMIT),
            "ref": measure_ref(line.measure),
            "department": line.measure.lead_department.name,
            "date": line.date,
            "text": line.text,
            "entries": line.entries,
        }
        for line in data.progress_lines
    ]
    extensions = [
        {
            "description": shorten(line.measure.description, MEASURE_TEXT_LIMIT),
            "ref": measure_ref(line.measure),
            "department": line.measure.lead_department.name,
            "old": line.old_deadline,
            "new": line.new_deadline,
            "reason": shorten(line.reason, MEASURE_TEXT_LIMIT),
            "direct": line.direct,
        }
        for line in data.extensions
    ]
    return {
        "n": Sections(),
        "narrative": {part: paragraphs(text) for part, text in data.narrative.items()},
        "extension_rows": extensions,
        "extension_more": max(0, data.extension_count - len(extensions)),
        "d": data,
        "t": data.total,
        "rate": percent(data.total.rate),
        "closed_rows": closed,
        "overdue_rows": overdue,
        "progress_rows": progress,
        "closed_more": max(0, data.closed_in_period_count - len(closed)),
        "overdue_more": max(0, data.overdue_count - len(overdue)),
        "progress_more": max(0, data.progress_measure_count - len(progress)),
        "chart_svg": mark_safe(trend_svg(data.trend)) if data.trend else "",
        "title_lines": title_lines(data.title),
    }


class Sections:
    """The numbers of the report's sections (一、二、三…), handed out in the order the
    template asks for them: {{ n.next }} before each heading, so a section added or left
    out renumbers the rest."""

    NUMERALS = "一二三四五六七八九十"

    def __init__(self):
        self.count = 0

    @property
    def next(self) -> str:
        self.count += 1
        return f"{chinese_number(self.count)}、"


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals: 一 … 十, 十一 … 二十 …"""
    digits = Sections.NUMERALS
    if n <= 10:
        return digits[n - 1]
    tens, ones = divmod(n, 10)
    return (digits[tens - 1] if tens > 1 else "") + "十" + (digits[ones - 1] if ones else "")


SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")


def paragraphs(text: str) -> list[dict]:
    """The office's text as paragraphs: one per line; a line opening with （一） is a
    second-level heading (楷体, GB/T 9704)."""
    parts = []
    for line in (text or "").splitlines():
        line = line.strip()
        if line:
            parts.append({"kind": "h3" if SUBHEADING.match(line) and len(line) <= 40 else "p", "text": line})
    return parts


def title_lines(title: str) -> list[str]:
    """The title on two lines split at a natural point (GB/T: 梯形 or 菱形, words kept whole)."""
    marker = "活动"
    if len(title) > 20 and marker in title:
        cut = title.index(marker) + len(marker)
        return [title[:cut], title[cut:]]
    return [title]


# --- the trend chart ----------------------------------------------------------------

CHART_FONT = "Noto Sans CJK SC, FandolHei, Noto Serif CJK SC, sans-serif"


def _nice_max(value: int) -> int:
    if value <= 5:
        return 5
    # The smallest of 5, 10, 20, 25, 50, 100, 200, ... (five whole grid steps) that holds `value`.
    for magnitude in (1, 10, 100, 1000, 10000, 100000):
        for step in (1, 2, 2.5, 4, 5):
            top = step * magnitude * 5
            if top >= value and float(top / 5).is_integer():
                return int(top)
    return int(value)


def trend_svg(points) -> str:
    """Grouped bars (measures, finished) and a line (完成率) per month, in print greys."""
    width, height = 440.0, 230.0
    left, right, top, bottom = 40.0, 40.0, 30.0, 34.0
    plot_w, plot_h = width - left - right, height - top - bottom
    ymax = _nice_max(max((p.measures for p in points), default=0))
    n = max(1, len(points))
    slot = plot_w / n
    bar = min(14.0, slot * 0.32)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}pt" height="{height:.0f}pt" font-family="{CHART_FONT}" font-size="8">'
    ]
    # Axes and grid.
    for i in range(6):
        y = top + plot_h - plot_h * i / 5
        value = ymax * i / 5
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#bbb" stroke-width="0.4"/>'
        )
        parts.append(f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end">{value:g}</text>')
        parts.append(f'<text x="{left + plot_w + 4}" y="{y + 3:.1f}" text-anchor="start">{i * 20}%</text>')
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#000" stroke-width="0.7"/>'
    )
    axis_left, axis_right = escape(_("number of measures")), escape(_("completion rate"))
    parts.append(f'<text x="{left - 4}" y="{top - 10}" text-anchor="end">{axis_left}</text>')
    parts.append(f'<text x="{left + plot_w + 4}" y="{top - 10}" text-anchor="start">{axis_right}</text>')
    # Bars.
    line_points = []
    for i, p in enumerate(points):
        cx = left + slot * (i + 0.5)
        for offset, value, fill in ((-bar, p.measures, "#c8c8c8"), (0.0, p.done, "#3a3a3a")):
            h = plot_h * value / ymax if ymax else 0
            parts.append(
                f'<rect x="{cx + offset:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{fill}" stroke="#000" stroke-width="0.3"/>'
            )
        parts.append(f'<text x="{cx:.1f}" y="{top + plot_h + 12}" text-anchor="middle">{escape(p.label)}</text>')
        if p.rate is not None:
            line_points.append((cx, top + plot_h - plot_h * p.rate, p.rate))
    if line_points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _r in line_points)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="#000" stroke-width="1.2" stroke-dasharray="3 1.5"/>'
        )
        for x, y, rate in line_points:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.8" fill="#fff" stroke="#000" stroke-width="0.8"/>')
            label = percent(rate)
            parts.append(
                f'<rect x="{x - 11:.1f}" y="{y - 10.5:.1f}" width="22" height="8" fill="#fff" fill-opacity="0.85"/>'
            )
            parts.append(f'<text x="{x:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="7">{label}</text>')
    # Legend.
    ly = height - 8
    legend = [
        ("rect", "#c8c8c8", _("measures in the ledger")),
        ("rect", "#3a3a3a", _("finished (signed off or stage complete)")),
        ("line", "#000", _("completion rate")),
    ]
    x = left
    for shape, colour, label in legend:
        if shape == "rect":
            parts.append(
                f'<rect x="{x}" y="{ly - 7}" width="10" height="7" fill="{colour}" stroke="#000" stroke-width="0.3"/>'
            )
        else:
            parts.append(
                f'<line x1="{x}" y1="{ly - 3.5}" x2="{x + 10}" y2="{ly - 3.5}" stroke="#000" stroke-width="1.2" stroke-dasharray="3 1.5"/>'
            )
        parts.append(f'<text x="{x + 13}" y="{ly}">{escape(label)}</text>')
        x += 16 + 8.5 * len(label) + 10
    parts.append("</svg>")
    return "".join(parts)
