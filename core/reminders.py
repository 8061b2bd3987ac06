"""The reminder registry: any app adds a rule to the daily sweep without editing the sweep.

A rule is a function of the sweep's day that yields `Item`s, one per reminder for one
person. Register it once, at import time (from the app's AppConfig.ready):

    from core.reminders import Item, register_rule

    @register_rule("rectification.deadlines")
    def deadline_reminders(day):
        for measure in ...:
            yield Item(recipient_id=user_id, key=f"measure:{measure.pk}", kind="deadline.red",
                       colour=RED, deadline=measure.deadline, text="...", link="/rectification/…")

The sweep (campaign/reminders/sweep.py) calls every rule, records each (person, key, kind,
deadline, period) once under a unique constraint, and sends each person one digest.
`repeat` decides how often the same reminder comes back while it holds: DAILY (every
working day), WEEKLY (every 7 days counted from `anchor`, or from `deadline`), or ONCE.

Lower apps sometimes need an answer only a higher app knows (rectification needs the
bureau's main leader, whom the campaign's leadership group names). The higher app
provides it with `provide(name, func)`; the lower app asks with `resolve(name)`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

logger = logging.getLogger(__name__)

RED, YELLOW, GREEN, TODO = "red", "yellow", "green", "todo"
# The order in which a digest lists its sections.
COLOURS = (RED, YELLOW, GREEN, TODO)

DAILY, WEEKLY, ONCE = "daily", "weekly", "once"


@dataclass(frozen=True, slots=True)
class Item:
    """One reminder for one person."""

    recipient_id: int  # auth user id
    key: str  # what it is about, e.g. "measure:42"
    kind: str  # why, e.g. "deadline.red", "signoff.review"
    colour: str  # RED / YELLOW / GREEN, or TODO for things to do that carry no warning colour
    deadline: dt.date  # the date the reminder is about (a deadline, or the date a wait began)
    text: str  # one line, already translated
    link: str = ""  # a site-relative URL
    repeat: str = DAILY
    anchor: dt.date | None = None  # WEEKLY counts weeks from here (default: deadline)

    def period(self, day: dt.date) -> str:
        """The dedupe bucket: the same reminder is sent once per period."""
        if self.repeat == ONCE:
            return "once"
        if self.repeat == WEEKLY:
            start = self.anchor or self.deadline
            return f"w{(day - start).days // 7}"
        return day.isoformat()


Rule = Callable[[dt.date], Iterable[Item]]
REGISTRY: dict[str, Rule] = {}
_PROVIDERS: dict[str, Callable] = {}


def register_rule(name: str) -> Callable[[Rule], Rule]:
    """Decorator: add `func(day) -> Iterable[Item]` to the sweep under `name`."""

    def decorator(func: Rule) -> Rule:
        REGISTRY[name] = func
        return func

    return decorator


def unregister_rule(name: str) -> None:
    REGISTRY.pop(name, None)


def rules() -> dict[str, Rule]:
    return dict(REGISTRY)


def provide(name: str, func: Callable) -> None:
    """A higher app answers a question a lower app's rules ask (see `resolve`)."""
    _PROVIDERS[name] = func


def resolve(name: str, *args, default=None, **kwargs):
    """The provided answer to `name`, or `default` when nobody provides it or it fails."""
    func = _PROVIDERS.get(name)
    if func is None:
        return default
    try:
        result = func(*args, **kwargs)
    except Exception:
        logger.exception("reminder provider %s failed", name)
        return default
    return default if result is None else result
