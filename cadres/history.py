"""A record's change history as a person reads it: when, who, and "label: old → new" for
each changed field, built from simple-history's records of any of the cadres models.

timeline(Cadre.history.filter(id=…), PostHolding.history.filter(cadre_id=…), …) merges the
records of several models, newest first. Related objects' names are read in one query per
model, whatever the number of records.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .selectors import person_name

SKIP = {"id", "history_id", "history_date", "history_user", "history_type", "history_change_reason"}


@dataclass
class Change:
    label: str
    old: str
    new: str

    def __str__(self):
        return f"{self.label}：{self.old} → {self.new}"


@dataclass
class Entry:
    when: dt.datetime
    who: str
    subject: str
    kind: str  # "created", "changed", "deleted"
    changes: list[Change] = field(default_factory=list)


def _fields(historical_model) -> list[models.Field]:
    """The original model's fields that the history keeps (excluded fields are not in it)."""
    return [f for f in historical_model.tracked_fields if f.name not in SKIP and f.editable]


def _display(f: models.Field, value, names: dict) -> str:
    if value in (None, ""):
        return "—"
    if f.is_relation:
        return names.get(f.related_model, {}).get(value, f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= 60 else text[:60] + "…"


def _load_names(wanted: dict) -> dict:
    return {model: {o.pk: str(o) for o in model.objects.filter(pk__in=pks)} for model, pks in wanted.items()}


def timeline(*histories) -> list[Entry]:
    raw = []
    wanted: dict = defaultdict(set)
    for history in histories:
        records = list(history.select_related("history_user__cadre").order_by("history_date", "history_id"))
        if not records:
            continue
        fields = _fields(type(records[0]))
        previous: dict = {}
        for record in records:
            before = previous.get(record.id)
            changed = []
            if record.history_type == "~" and before is not None:
                changed = [
                    (f, getattr(before, f.attname), getattr(record, f.attname))
                    for f in fields
                    if getattr(before, f.attname) != getattr(record, f.attname)
                ]
                for f, old, new in changed:
                    if f.is_relation:
                        wanted[f.related_model] |= {old, new} - {None}
            previous[record.id] = record
            raw.append((record, changed))
    names = _load_names(wanted)
    entries = []
    for record, changed in raw:
        kind = {"+": "created", "-": "deleted"}.get(record.history_type, "changed")
        if kind == "changed" and not changed:
            continue
        entries.append(
            Entry(
                when=record.history_date,
                who=person_name(record.history_user),
                subject=str(record.instance_type._meta.verbose_name),
                kind=kind,
                changes=[
                    Change(str(f.verbose_name), _display(f, o, names), _display(f, n, names)) for f, o, n in changed
                ],
            )
        )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def when_text(entry: Entry) -> str:
    return formats.date_format(timezone.localtime(entry.when), "DATETIME_FORMAT")
