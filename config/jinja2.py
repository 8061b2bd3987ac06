"""The Jinja2 environment for the few hot fragments Django's template engine renders too
slowly (a compliance matrix of ~1,400 cells: 56,000 template nodes, most of the page's time).

Kept minimal on purpose: autoescaping on, undefined names fail loudly, no globals. A fragment
gets every URL and translated word from its view (makemessages does not read Jinja syntax),
and the view embeds the result in a Django template."""

from jinja2 import Environment, StrictUndefined


def environment(**options) -> Environment:
    options.update(autoescape=True, undefined=StrictUndefined)
    return Environment(**options)
