"""Badges of the ledger: status (coloured by static/css/status.css, see statuses.py), and the
三色预警 deadline badge (derived, never stored); labels and small filters (the ledger's sortable headers: ledger_html.py)."""

import functools

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from cadres.selectors import person_name
from core import dates
from rectification import deadlines, uploads
from rectification.models import InspectionRound, Measure
from rectification.statuses import css_class

register = template.Library()


def _label(choices, value) -> str:
    # Faster than get_FOO_display() (which rebuilds the choice dict on every call): the
    # ledger renders three labels on each of its 50 rows; each label is translated once
    # per language and process.
    return _translated_label(choices, value, get_language())


@functools.lru_cache(maxsize=1024)
def _translated_label(choices, value, language) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


@register.filter
def status_label(measure):
    return _label(Measure.Status, measure.status)


@register.filter
def term_label(measure):
    return _label(Measure.Term, measure.term)


@register.filter
def source_label(round_):
    return _label(InspectionRound.Source, round_.source)


@register.simple_tag
def status_badge(measure):
    return format_html(
        '<span class="badge {} status-badge" data-status="{}">{}</span>',
        css_class(measure.status),
        measure.status,
        status_label(measure),
    )


@register.simple_tag
def deadline_badge(measure, on=None, short=False):
    """Red: overdue N days; yellow/green: N days left; nothing when finished or far off."""
    on = on or dates.today()
    level = deadlines.warning_level(measure, on)
    if level is None:
        return ""
    if level == deadlines.RED:
        days = deadlines.days_overdue(measure, on)
        text = ngettext("overdue %(n)s day", "overdue %(n)s days", days) % {"n": days} if days else _("due today")
        if not days:
            level = deadlines.YELLOW
    else:
        left = (measure.deadline - on).days
        text = _("due today") if left == 0 else ngettext("%(n)s day left", "%(n)s days left", left) % {"n": left}
    title = _("Deadline %(date)s") % {"date": date_format(measure.deadline)}
    return format_html('<span class="badge badge-warn-{} nowrap" title="{}">{}</span>', level, title, text)


@register.filter
def warning_level(measure, on=None):
    """The 三色预警 colour of the measure on `on` (red, yellow, green), or ""."""
    return deadlines.warning_level(measure, on or dates.today()) or ""


@register.filter
def previewable(evidence):
    """Whether the page shows the file in place (an image, or a PDF's first page)."""
    return uploads.previewable(evidence)


@register.filter
def display_name(user):
    return person_name(user)


@register.filter(is_safe=True)
def clip(value, length):
    """truncatechars for plain text, without the Truncator's cost (the ledger clips 100 cells)."""
    text = str(value or "")
    length = int(length)
    return text if len(text) <= length else text[: length - 1] + "…"


@register.filter
def iso(value):
    """A date as 2026-03-28 (the tables' format), or an em dash."""
    return value.isoformat() if value else "—"
