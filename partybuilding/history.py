"""The change history of a branch's organisation as a timeline a person can read: who
changed the committee, a group, a membership or an exemption, when, and what
("label: old → new", choice labels and people's names, dates as 2026年3月28日), e.g.

    2026年3月5日 14:20 马文博 · 孙丽娟 党小组：第一党小组 → 第二党小组（由第一党小组调整到第二党小组）

Built from simple-history's records (organisation.py saves with the actor, so a command or
a task is named too). A fixed number of queries: one per model's records, one for the
people's names, one for the groups' names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _

from cadres.models import Cadre
from cadres.selectors import person_name

from .models import Branch, Exemption, Membership, PartyGroup

# The fields whose changes are shown, per model.
TRACKED = {
    Branch: ("secretary", "commissioner", "name", "founded_on"),
    PartyGroup: ("name", "leader", "order", "dissolved_on"),
    Membership: (
        "group",
        "status",
        "joined_party_on",
        "full_member_on",
        "committee_role",
        "not_counted",
        "not_counted_note",
        "not_counted_from",
        "not_counted_until",
        "active",
        "ended_on",
        "end_reason",
    ),
    Exemption: ("obligation", "first_month", "last_month", "reason"),
}
MONTH_FIELDS = {"first_month", "last_month"}


@dataclass
class Entry:
    when: dt.datetime
    who: str
    subject: str
    kind: str  # "created", "changed", "deleted"
    changes: list[str] = field(default_factory=list)
    reason: str = ""

    @property
    def action(self) -> str:
        return {"created": _("added"), "deleted": _("removed"), "changed": _("changed")}[self.kind]


def _records(branch: Branch):
    """(model, records oldest first per object) for the branch and everything in it."""
    sources = [
        (Branch, Branch.history.filter(id=branch.pk)),
        (PartyGroup, PartyGroup.history.filter(branch_id=branch.pk)),
        (Membership, Membership.history.filter(branch_id=branch.pk)),
        (Exemption, Exemption.history.filter(branch_id=branch.pk)),
    ]
    for model, qs in sources:
        yield model, list(qs.select_related("history_user__cadre").order_by("id", "history_date", "history_id"))


class _Names:
    """People's and groups' names, one query each, for every id the records mention."""

    def __init__(self, all_records):
        cadre_ids, group_ids = set(), set()
        for model, records in all_records:
            for r in records:
                for name in TRACKED[model]:
                    f = model._meta.get_field(name)
                    if f.is_relation:
                        (group_ids if f.related_model is PartyGroup else cadre_ids).add(getattr(r, f.attname))
                if model is Membership:
                    cadre_ids.add(r.cadre_id)
        self.cadres = dict(Cadre.objects.filter(pk__in=cadre_ids - {None}).values_list("pk", "name"))
        self.groups = dict(PartyGroup.objects.filter(pk__in=group_ids - {None}).values_list("pk", "name"))

    def of(self, model, pk) -> str:
        return (self.groups if model is PartyGroup else self.cadres).get(pk, f"#{pk}")


def _display(model, name: str, value, names: _Names) -> str:
    f = model._meta.get_field(name)
    if value in (None, ""):
        return "—"
    if f.is_relation:
        return names.of(f.related_model, value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name in MONTH_FIELDS:
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def _subject(model, record, names: _Names) -> str:
    if model is Membership:
        return names.of(Cadre, record.cadre_id)
    if model is Exemption:
        return _("exemption") + "：" + str(dict(Exemption._meta.get_field("obligation").flatchoices)[record.obligation])
    return record.name  # a group or the branch


def _entries(model, records, names: _Names):
    previous = None
    for record in records:
        if previous is not None and previous.id != record.id:
            previous = None
        kind = {"+": "created", "-": "deleted"}.get(record.history_type, "changed")
        entry = Entry(
            when=record.history_date,
            who=person_name(record.history_user),
            subject=_subject(model, record, names),
            kind=kind,
            reason=record.history_change_reason or "",
        )
        for name in TRACKED[model]:
            label = str(model._meta.get_field(name).verbose_name)
            new = getattr(record, model._meta.get_field(name).attname)
            if kind == "created" and new not in (None, "", True):
                entry.changes.append(f"{label}：{_display(model, name, new, names)}")
            elif kind == "changed" and previous is not None:
                old = getattr(previous, model._meta.get_field(name).attname)
                if old != new:
                    entry.changes.append(
                        f"{label}：{_display(model, name, old, names)} → {_display(model, name, new, names)}"
                    )
        previous = record
        if kind != "changed" or entry.changes:
            yield entry


def branch_timeline(branch: Branch, limit: int = 60) -> list[Entry]:
    """The newest `limit` changes to the branch, its groups, memberships and exemptions."""
    all_records = list(_records(branch))
    names = _Names(all_records)
    entries = [e for model, records in all_records for e in _entries(model, records, names)]
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]
