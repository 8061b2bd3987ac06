from django import template

from core import formats

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for pagination and sorting)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.filter
def percent(value, digits=1):
    """0.875 -> '87.5%'; None -> '—' (core.formats.percent)."""
    return formats.percent(value, digits)
