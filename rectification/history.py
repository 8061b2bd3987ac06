"""The change history of a measure and its problem, as a timeline a person can read.

Built from simple-history's records, whoever made the change (a request, a command, an
import, a Celery task: services set the actor before saving). Each entry says when,
who, and for each changed field "label: old → new", with the field's verbose name,
choice labels and related objects' names, e.g.

    2026年3月5日 14:20 王某 状态：整改中 → 申请销号

A record that only changes the partner departments, written within a few seconds of the
same person's save, is merged into that save's entry. The queries do not grow with the number
of records: related names are looked up in one query per model.

The writing side is `save_as(instance, actor, reason)`: every service saves through it,
so that a record made outside a request (a command, an import, a task) names its actor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cadres.models import Department
from cadres.selectors import person_name

from . import wording
from .models import Measure, Problem

MERGE_SECONDS = 5


def save_as(instance, actor, reason: str = "", **kwargs):
    """Save a problem or measure with `actor` (and the reason of a 延期) in its history record."""
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    instance.save(**kwargs)


SKIP_FIELDS = {"id", "created_at", "updated_at", "version"}


@dataclass
class Change:
    label: str
    old: str
    new: str

    def __str__(self):
        return wording.labelled(self.label, f"{self.old} → {self.new}")


@dataclass
class Entry:
    when: dt.datetime
    who: str
    kind: str  # "created", "changed", "deleted"
    subject: str  # "measure" or "problem"
    changes: list[Change] = field(default_factory=list)
    reason: str = ""
    user_id: int | None = None
    partners_only: bool = False  # the record of a partner-department change alone

    @property
    def summary(self) -> str:
        return "；".join(str(c) for c in self.changes)

    def __str__(self):
        when = formats.date_format(timezone.localtime(self.when), "DATETIME_FORMAT")
        text = f"{when} {self.who} "
        if self.kind == "created":
            text += _("created")
        elif self.changes:
            text += self.summary
        if self.reason:
            text += wording.parenthesised(self.reason)
        return text


def _tracked_fields(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in SKIP_FIELDS]


class _Names:
    """Names of the related objects the records point to, fetched once per model."""

    def __init__(self):
        self.wanted: dict[type, set] = {}
        self.names: dict[type, dict] = {}

    def want(self, model, pk):
        if pk is not None:
            self.wanted.setdefault(model, set()).add(pk)

    def load(self):
        for model, pks in self.wanted.items():
            qs = model.objects.filter(pk__in=pks)
            if model is Problem:
                self.names[model] = {p.pk: f"{p.number}. {p.description[:30]}" for p in qs}
            else:
                self.names[model] = {o.pk: str(o) for o in qs}

    def get(self, model, pk) -> str:
        if pk is None:
            return "—"
        return self.names.get(model, {}).get(pk, f"#{pk}")


def _display(f: models.Field, value, names: _Names) -> str:
    if value in (None, ""):
        return "—"
    if f.is_relation:
        return names.get(f.related_model, value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    text = str(value)
    return text if len(text) <= 80 else text[:80] + "…"


def _records(model, **filters):
    return list(
        model.history.filter(**filters).select_related("history_user__cadre").order_by("history_date", "history_id")
    )


def _partner_sets(records) -> dict[int, frozenset]:
    through = apps.get_model("rectification", "HistoricalMeasure_partner_departments")
    result = {r.history_id: frozenset() for r in records}
    rows = through.objects.filter(history_id__in=list(result)).values_list("history_id", "department_id")
    for history_id, department_id in rows:
        result[history_id] = result[history_id] | {department_id}
    return result


def _entries(records, model, subject: str, names: _Names, partners: dict | None) -> list[Entry]:
    fields = _tracked_fields(model)
    for record in records:
        for f in fields:
            if f.is_relation:
                names.want(f.related_model, getattr(record, f.attname))
        if partners is not None:
            for pk in partners.get(record.history_id, ()):
                names.want(Department, pk)
    pending = []
    previous = None
    for record in records:
        entry = Entry(
            when=record.history_date,
            who=person_name(record.history_user),
            kind="changed",
            subject=subject,
            reason=record.history_change_reason or "",
            user_id=record.history_user_id,
        )
        if record.history_type == "+" or previous is None:
            entry.kind = "created" if record.history_type == "+" else "changed"
        elif record.history_type == "-":
            entry.kind = "deleted"
        else:
            entry.changes = [
                (f, getattr(previous, f.attname), getattr(record, f.attname))
                for f in fields
                if getattr(previous, f.attname) != getattr(record, f.attname)
            ]
            if partners is not None and partners.get(previous.history_id) != partners.get(record.history_id):
                entry.partners_only = not entry.changes
                entry.changes.append(("partners", partners.get(previous.history_id), partners.get(record.history_id)))
        pending.append(entry)
        previous = record
    return pending


def _render(entry: Entry, names: _Names, model):
    rendered = []
    for f, old, new in entry.changes:
        if f == "partners":
            label = str(Measure._meta.get_field("partner_departments").verbose_name)
            old_text = wording.join(sorted(names.get(Department, pk) for pk in old)) or "—"
            new_text = wording.join(sorted(names.get(Department, pk) for pk in new)) or "—"
            rendered.append(Change(label, old_text, new_text))
        else:
            rendered.append(Change(str(f.verbose_name), _display(f, old, names), _display(f, new, names)))
    entry.changes = rendered
    return entry


def _merge(entries: list[Entry]) -> list[Entry]:
    merged: list[Entry] = []
    for entry in entries:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.user_id == entry.user_id
            and last.subject == entry.subject
            and (entry.when - last.when).total_seconds() <= MERGE_SECONDS
            and entry.kind == "changed"
            and (entry.partners_only or not entry.changes)
        ):
            last.changes.extend(entry.changes)
            last.reason = last.reason or entry.reason
            continue
        merged.append(entry)
    return [e for e in merged if e.kind != "changed" or e.changes]


def measure_timeline(measure: Measure, newest_first: bool = True) -> list[Entry]:
    """The history of the measure and of its problem, merged, in Chinese."""
    names = _Names()
    measure_records = _records(Measure, id=measure.pk)
    problem_records = _records(Problem, id=measure.problem_id)
    raw = [
        (e, Measure) for e in _entries(measure_records, Measure, "measure", names, _partner_sets(measure_records))
    ] + [(e, Problem) for e in _entries(problem_records, Problem, "problem", names, None)]
    names.load()
    entries = [_render(e, names, model) for e, model in raw]
    entries.sort(key=lambda e: e.when)
    entries = _merge(entries)
    if newest_first:
        entries.reverse()
    return entries
