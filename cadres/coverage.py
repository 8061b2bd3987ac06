"""Talk coverage: the pairs who must talk at least TALK_MIN_PER_YEAR times a year, and
whether they did.

The rules (TALK_PAIR_RULES) are:

- leader_heads: each bureau leader with the head(s) of the departments they oversee;
- head_staff: each head (the department's principal) with the department's other people;
- branch_members: each branch secretary with the branch's Party members. The branches are
  read through the model TALK_BRANCH_MODEL names (a `secretary` and the `departments` it
  covers; members are the Party members of those departments), looked up by name, so
  cadres does not import the party-building app that sits beside it. Empty or missing:
  the rule is left out.

A talk between the two, either way round, in the year covers the pair. A fixed number of
queries, whatever the number of people.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.utils.translation import gettext_lazy

from .models import Cadre, Department, Talk

RULE_LABELS = {
    "leader_heads": gettext_lazy("leader with the heads of overseen departments"),
    "head_staff": gettext_lazy("head with the department's people"),
    "branch_members": gettext_lazy("branch secretary with the branch's members"),
}
PARTY = (Cadre.Political.MEMBER, Cadre.Political.PROBATIONARY)


@dataclass(frozen=True)
class Unit:
    """A department as the coverage shows it."""

    pk: int
    name: str


@dataclass(frozen=True)
class Person:
    """A person as the rules, the page and the reminders read them: a row, not a model (2,000
    Cadre instances with their departments and accounts were two thirds of the coverage's time)."""

    pk: int
    name: str
    department_id: int
    department: Unit
    post_level: int
    is_leader: bool
    political_status: str
    user_id: int | None
    user_active: bool


@dataclass(frozen=True)
class TalkRef:
    pk: int
    date: dt.date


@dataclass
class Pair:
    talker: Person
    talkee: Person
    rule: str
    talks: list[TalkRef] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return len(self.talks) >= settings.TALK_MIN_PER_YEAR

    @property
    def rule_label(self) -> str:
        return str(RULE_LABELS[self.rule])

    @property
    def key(self) -> frozenset:
        return frozenset((self.talker.pk, self.talkee.pk))


PERSON_FIELDS = (
    "pk",
    "name",
    "department_id",
    "department__name",
    "post_level",
    "is_leader",
    "political_status",
    "user_id",
    "user__is_active",
)


def _people() -> list[Person]:
    from .selectors import in_official_order

    units, people = {}, []
    for pk, name, dept_id, dept_name, level, leader, status, user_id, active in in_official_order(
        Cadre.objects.filter(active=True)
    ).values_list(*PERSON_FIELDS):
        unit = units.setdefault(dept_id, Unit(dept_id, dept_name))
        people.append(Person(pk, name, dept_id, unit, level, leader, status, user_id, bool(active)))
    return people


def _leader_heads(people, heads) -> list[tuple]:
    by_id = {c.pk: c for c in people}
    pairs = []
    for department_id, leader_id in Department.objects.filter(active=True, overseen_by__isnull=False).values_list(
        "pk", "overseen_by_id"
    ):
        leader = by_id.get(leader_id)
        for head in heads.get(department_id, []) if leader else []:
            pairs.append((leader, head, "leader_heads"))
    return pairs


def _head_staff(people, heads) -> list[tuple]:
    pairs = []
    for cadre in people:
        for head in heads.get(cadre.department_id, []):
            if head.pk != cadre.pk and not cadre.is_leader:
                pairs.append((head, cadre, "head_staff"))
    return pairs


def branch_model():
    """The model TALK_BRANCH_MODEL names, or None when it is unset or not installed."""
    if not settings.TALK_BRANCH_MODEL:
        return None
    try:
        return apps.get_model(settings.TALK_BRANCH_MODEL)
    except (LookupError, ValueError):
        return None


def _branch_members(people) -> list[tuple]:
    model = branch_model()
    if model is None:
        return []
    by_department = defaultdict(list)
    for cadre in people:
        if cadre.political_status in PARTY:
            by_department[cadre.department_id].append(cadre)
    by_id = {c.pk: c for c in people}
    covered = model.departments.through.objects.values_list(f"{model._meta.model_name}_id", "department_id")
    departments = defaultdict(list)
    for branch_id, department_id in covered:
        departments[branch_id].append(department_id)
    pairs = []
    for branch_id, secretary_id in model.objects.filter(secretary__isnull=False).values_list("pk", "secretary_id"):
        secretary = by_id.get(secretary_id)
        for department_id in departments[branch_id] if secretary else []:
            for member in by_department[department_id]:
                if member.pk != secretary.pk:
                    pairs.append((secretary, member, "branch_members"))
    return pairs


def required_pairs() -> list[Pair]:
    """Every required pair once (the first rule that asks for it names it)."""
    people = _people()
    heads = defaultdict(list)
    for cadre in people:
        if cadre.post_level == Cadre.PostLevel.PRINCIPAL and not cadre.is_leader:
            heads[cadre.department_id].append(cadre)
    rules = settings.TALK_PAIR_RULES
    raw = []
    if "leader_heads" in rules:
        raw += _leader_heads(people, heads)
    if "head_staff" in rules:
        raw += _head_staff(people, heads)
    if "branch_members" in rules:
        raw += _branch_members(people)
    seen, pairs = set(), []
    for talker, talkee, rule in raw:
        key = frozenset((talker.pk, talkee.pk))
        if key not in seen:
            seen.add(key)
            pairs.append(Pair(talker, talkee, rule))
    return pairs


def coverage(year: int, only_for: Cadre | None = None) -> list[Pair]:
    """The required pairs of `year` with their talks; `only_for`: the pairs that person is in."""
    pairs = required_pairs()
    if only_for is not None:
        pairs = [p for p in pairs if only_for.pk in p.key]
    by_key = {p.key: p for p in pairs}
    talks = Talk.objects.filter(date__year=year).order_by("date")
    if only_for is not None:
        talks = talks.filter(talker=only_for) | talks.filter(talkee=only_for)
    for pk, date, talker_id, talkee_id in talks.values_list("pk", "date", "talker_id", "talkee_id"):
        pair = by_key.get(frozenset((talker_id, talkee_id)))
        if pair is not None:
            pair.talks.append(TalkRef(pk, date))
    return pairs


@dataclass
class Summary:
    required: int
    done: int

    @property
    def missing(self) -> int:
        return self.required - self.done

    @property
    def rate(self) -> float | None:
        return self.done / self.required if self.required else None


def summarise(pairs: list[Pair]) -> Summary:
    return Summary(required=len(pairs), done=sum(1 for p in pairs if p.done))


def by_rule(pairs: list[Pair]) -> list[tuple[str, Summary]]:
    grouped = defaultdict(list)
    for pair in pairs:
        grouped[pair.rule].append(pair)
    return [(str(RULE_LABELS[rule]), summarise(grouped[rule])) for rule in RULE_LABELS if rule in grouped]


def year_or_default(value: str | None, today: dt.date) -> int:
    try:
        year = int(value or "")
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year
