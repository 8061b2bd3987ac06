"""The Jinja2 environment for the few hot fragments that Django's template engine renders
too slowly (the ledger's rows and filter bar, the compliance matrix's ~1,400 cells: Jinja2
compiles a template to Python, where Django interprets a node tree and renders each <option>
through a widget template).

A fragment is rendered to a string and embedded in an ordinary Django page, so the page
shell stays one Django template. The rules are the Django templates' rules: autoescape on
(Django's SafeString and format_html output pass through, as they carry __html__), user-
visible text through Django's gettext (the i18n extension: `{{ _("...") }}`, which
makemessages also finds), no inline script or style.
"""

from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from jinja2 import Environment

from core import icons


def environment(**options) -> Environment:
    options.setdefault("autoescape", True)
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    # Old-style gettext: `_("showing %(a)s–%(b)s")|format(a=..., b=...)`, the msgids Django's
    # {% blocktranslate %} writes, and a form makemessages extracts from the fragment; the
    # result is a plain string, escaped as a whole on output.
    env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=False)
    # icon(): the same markup as the Django templates' {% icon %} (core.icons, the SVG sprite).
    env.globals.update(static=static, url=lambda name, *args: reverse(name, args=args), icon=icons.render)
    return env
