"""{% icon "name" %}: one icon of the sprite (core/icons.py). Loaded in every template
(TEMPLATES "builtins"), so converted templates need no {% load %}.

    {% icon "check" %}                      decorative: aria-hidden
    {% icon item.icon class="text-danger" %}
    {% icon "qr-code" label=row.how %}      announced: role=img with the label as <title>
"""

from django import template

from core import icons

register = template.Library()


@register.simple_tag(name="icon")
def icon(name, **options):
    return icons.render(name, options.get("class", ""), options.get("label", ""))
