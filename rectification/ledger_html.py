"""The ledger page's filter bar, count, table and pager as HTML, rendered by the Jinja2
fragment templates/jinja2/rectification/ledger_body.html and embedded in the Django page
rectification/ledger.html.

Why: Django's engine spent most of the page's time on 50 rows of cells and on the filter's
<select>s (each <option> goes through a widget template). The fragment writes the same
markup with Jinja2's compiled templates, the measure URLs from one reversed prefix instead of
a reverse() per row, and the model selects' options from a cached list (selectors.filter_choices).
"""

from django.template import engines
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.templatetags.core_tags import query_with

from . import selectors
from .filters import SORTS
from .templatetags.rectification_tags import clip, deadline_badge, iso, source_label, status_badge, term_label

# (sort key or None, header): the table's columns.
HEADERS = [
    ("number", _("No.")),
    (None, _("Problem")),
    (None, _("Measure")),
    ("department", _("Lead department")),
    (None, _("Responsible leader")),
    (None, _("Responsible person")),
    (None, _("Term")),
    ("deadline", _("Deadline")),
    ("status", _("Status")),
    ("-updated", _("Latest progress")),
]
MODEL_SELECTS = ("round", "department", "leader")
PK_PLACEHOLDER = 4294967295  # reversed once, replaced by each row's id


class Helpers:
    """What the fragment calls: one instance per page, holding the query string and the form."""

    headers = HEADERS
    clip, iso = staticmethod(clip), staticmethod(iso)
    deadline_badge, status_badge = staticmethod(deadline_badge), staticmethod(status_badge)
    source_label, term_label = staticmethod(source_label), staticmethod(term_label)

    def __init__(self, request, form, sort):
        self.request, self.params = request, request.GET
        self.form = form
        self.sort = sort
        self._choices = None
        template = reverse("rectification:measure_detail", args=[PK_PLACEHOLDER])
        self._url_head, self._url_tail = template.split(str(PK_PLACEHOLDER))

    def measure_url(self, pk) -> str:
        return f"{self._url_head}{pk}{self._url_tail}"

    def options(self, name) -> list:
        """(value, label) of a select, its empty choice first; model selects from the cache."""
        field = self.form.fields[name]
        if name not in MODEL_SELECTS:
            return [(str(value), label) for value, label in field.choices]
        if self._choices is None:
            self._choices = selectors.filter_choices(self.form, MODEL_SELECTS)
        return [("", field.empty_label), *self._choices[name]]

    def value(self, bound_field) -> str:
        value = bound_field.value()
        return "" if value is None else str(value)

    def values(self, name) -> list[str]:
        return [str(v) for v in self.form[name].value() or ()]

    def query(self, **changes) -> str:
        """The current query string with some parameters replaced (for the pager)."""
        return query_with({"request": self.request}, **changes)

    def sort_link(self, key, label):
        """A header that sorts by `key`, and by `-key` when clicked again (the arrow shows the current order)."""
        reverse_key = key[1:] if key.startswith("-") else f"-{key}"
        target = reverse_key if self.sort == key and reverse_key in SORTS else key
        arrow = ""
        if self.sort in (key, reverse_key):
            arrow = " ↓" if self.sort.startswith("-") else " ↑"
        params = self.params.copy()
        params.pop("page", None)
        params["sort"] = target
        title = _("Sort by %(col)s") % {"col": label}
        return format_html(
            '<a href="?{}" title="{}">{}<span aria-hidden="true">{}</span></a>', params.urlencode(), title, label, arrow
        )

    @staticmethod
    def error_text(label, error) -> str:
        return gettext("%(label)s: %(value)s") % {"label": label, "value": error}

    @staticmethod
    def count_text(n) -> str:
        return ngettext("%(n)s measure listed", "%(n)s measures listed", n) % {"n": n}

    @staticmethod
    def extended_text(m) -> str:
        n = m.extension_count
        return ngettext("extended once (+%(days)s days)", "extended %(n)s times (+%(days)s days)", n) % {
            "n": n,
            "days": m.extension_days,
        }


def render(request, *, measure_filter, page, sort, **flags) -> str:
    """The fragment's HTML (safe: autoescaped by Jinja2). `flags`: filtered, whole_bureau, mine, today."""
    form = measure_filter.form
    template = engines["jinja2"].get_template("rectification/ledger_body.html")
    context = {"form": form, "page": page, "sort": sort, "h": Helpers(request, form, sort), **flags}
    return mark_safe(template.render(context, request))  # noqa: S308  (Jinja2 escaped every value)
