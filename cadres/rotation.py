"""The rotation rules (交流轮岗), read from settings, and the checks on a plan.

assess(on) puts every cadre (bureau leaders excepted: their rotation is decided above the
bureau) through the rules and says why:

- 必须交流 (must): a middle-level cadre ROTATION_MUST_YEARS or more in the same post;
- 应交流 (due): a middle-level cadre ROTATION_DUE_YEARS or more in the same key post;
- red flags, both ways: 长期不交流 (anyone ROTATION_LONG_STAY_YEARS or more in one post) and
  交流过于频繁 (ROTATION_FREQUENT_MOVES or more moves within ROTATION_FREQUENT_MONTHS);
- exemptions, shown with their reason instead of a place on the due/must lists: within
  ROTATION_RETIREMENT_MARGIN_YEARS of retirement age, or a deferral (暂缓交流) running.

"Years in post" counts from Cadre.in_post_since, which services keep at the start of the
current run of holdings in the same post. A "move" is a holding that began in the window
and is not the person's first. Four queries whatever the number of people or holdings.

check_plan(plan) lists what is wrong with a plan before it is submitted: errors (the head
and the deputy of one department both moved; 任职回避 between relatives after the moves;
an item that moves nobody) block submission; warnings (an exemption, a second move within
the window, fewer than ROTATION_MIN_YEARS_IN_POST years in post, an item drafted against a
post the person has since left) are shown and the plan may still go to the 党组.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from .models import Cadre, Deferral, Department, PostHolding, Relation, RotationPlan, full_years

MUST, DUE, EXEMPT = "must", "due", "exempt"
LONG_STAY, FREQUENT = "long_stay", "frequent"


@dataclass
class Assessment:
    cadre_id: int
    name: str
    department_id: int
    department: str
    post: str
    is_key: bool
    is_middle_level: bool
    since: dt.date | None
    years: float | None
    age: int | None
    status: str | None = None  # MUST, DUE, or EXEMPT (would be due or must, but exempt)
    would_be: str | None = None  # for EXEMPT: MUST or DUE
    flags: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # why on the must/due list
    flag_reasons: list[str] = field(default_factory=list)
    exemptions: list[str] = field(default_factory=list)
    moves: list[dt.date] = field(default_factory=list)


def years_between(start: dt.date, day: dt.date) -> float:
    return (day - start).days / 365.25


def window_start(on: dt.date) -> dt.date:
    months = settings.ROTATION_FREQUENT_MONTHS
    year, month = divmod(on.year * 12 + on.month - 1 - months, 12)
    month += 1
    day = min(on.day, 28)
    return dt.date(year, month, day)


def retirement_age(gender: str) -> int:
    return settings.RETIREMENT_AGE_FEMALE if gender == Cadre.Gender.FEMALE else settings.RETIREMENT_AGE_MALE


def recent_moves(on: dt.date, cadre_ids=None) -> dict[int, list[dt.date]]:
    """{cadre id: [start dates of moves within the window]}; one query."""
    earlier = PostHolding.objects.filter(cadre=OuterRef("cadre"), start__lt=OuterRef("start"))
    rows = PostHolding.objects.filter(start__gt=window_start(on), start__lte=on).filter(Exists(earlier))
    if cadre_ids is not None:
        rows = rows.filter(cadre_id__in=cadre_ids)
    moves: dict[int, list[dt.date]] = defaultdict(list)
    for cadre_id, start in rows.values_list("cadre_id", "start").order_by("start"):
        moves[cadre_id].append(start)
    return moves


def active_deferrals(on: dt.date, cadre_ids=None) -> dict[int, Deferral]:
    rows = Deferral.objects.filter(until__gte=on).order_by("until")
    if cadre_ids is not None:
        rows = rows.filter(cadre_id__in=cadre_ids)
    return {d.cadre_id: d for d in rows}


CADRE_FIELDS = (
    "pk",
    "name",
    "gender",
    "birth_date",
    "department_id",
    "department__name",
    "post__title",
    "post__is_key",
    "is_middle_level",
    "in_post_since",
)


def _fmt(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def _exemptions(row, age, deferral) -> list[str]:
    found = []
    if age is not None:
        limit = retirement_age(row["gender"])
        if limit - age <= settings.ROTATION_RETIREMENT_MARGIN_YEARS:
            found.append(
                _("aged %(age)s, within %(margin)s years of the retirement age %(limit)s")
                % {"age": age, "margin": settings.ROTATION_RETIREMENT_MARGIN_YEARS, "limit": limit}
            )
    if deferral is not None:
        found.append(
            _("deferred until %(until)s: %(reason)s") % {"until": _fmt(deferral.until), "reason": deferral.reason}
        )
    return found


def _assess_row(row, on: dt.date, moves: list[dt.date], deferral) -> Assessment:
    since = row["in_post_since"]
    years = years_between(since, on) if since else None
    age = full_years(row["birth_date"], on)
    a = Assessment(
        cadre_id=row["pk"],
        name=row["name"],
        department_id=row["department_id"],
        department=row["department__name"],
        post=row["post__title"] or "",
        is_key=bool(row["post__is_key"]),
        is_middle_level=row["is_middle_level"],
        since=since,
        years=round(years, 1) if years is not None else None,
        age=age,
        moves=moves,
    )
    facts = {"years": f"{years or 0:.1f}", "since": _fmt(since), "post": a.post or _("no post")}
    if years is not None and a.is_middle_level:
        if years >= settings.ROTATION_MUST_YEARS:
            a.status = MUST
            a.reasons.append(
                _("%(years)s years in the post %(post)s (since %(since)s): must rotate after %(limit)s years")
                % {**facts, "limit": settings.ROTATION_MUST_YEARS}
            )
        elif a.is_key and years >= settings.ROTATION_DUE_YEARS:
            a.status = DUE
            a.reasons.append(
                _("%(years)s years in the key post %(post)s (since %(since)s): due after %(limit)s years")
                % {**facts, "limit": settings.ROTATION_DUE_YEARS}
            )
    if years is not None and years >= settings.ROTATION_LONG_STAY_YEARS:
        a.flags.append(LONG_STAY)
        a.flag_reasons.append(_("%(years)s years in one post without rotation (since %(since)s)") % facts)
    if len(moves) >= settings.ROTATION_FREQUENT_MOVES:
        a.flags.append(FREQUENT)
        a.flag_reasons.append(
            _("%(count)s moves within %(months)s months (%(dates)s)")
            % {
                "count": len(moves),
                "months": settings.ROTATION_FREQUENT_MONTHS,
                "dates": "、".join(_fmt(d) for d in moves),
            }
        )
    if a.status is not None:
        a.exemptions = _exemptions(row, age, deferral)
        if a.exemptions:
            a.would_be, a.status = a.status, EXEMPT
    return a


def _years_ago(on: dt.date, years: int) -> dt.date:
    """The latest start that makes `years` or more by years_between (a day early at worst)."""
    return on - dt.timedelta(days=math.floor(years * 365.25))


def _could_be_listed(on: dt.date, moves: dict[int, list[dt.date]]) -> Q:
    """Who could be on a list at all, in SQL: long enough in post for must / long stay, a
    middle-level cadre long enough in a key post for due, or moved often enough. Most people
    are none of these, and putting everyone through the rules in Python was most of the
    planner's time; the rules below still decide."""
    if settings.ROTATION_FREQUENT_MOVES <= 0:
        return Q()  # everyone carries the red flag: nothing to leave out
    long_years = min(settings.ROTATION_MUST_YEARS, settings.ROTATION_LONG_STAY_YEARS)
    frequent = [pk for pk, starts in moves.items() if len(starts) >= settings.ROTATION_FREQUENT_MOVES]
    return (
        Q(in_post_since__lte=_years_ago(on, long_years))
        | Q(is_middle_level=True, post__is_key=True, in_post_since__lte=_years_ago(on, settings.ROTATION_DUE_YEARS))
        | Q(pk__in=frequent)
    )


def assess(on: dt.date, queryset=None) -> list[Assessment]:
    """Everyone the rules name (must, due, exempt, or with a red flag), in official order."""
    from .selectors import in_official_order

    people = queryset if queryset is not None else Cadre.objects.all()
    ids = None if queryset is None else list(people.values_list("pk", flat=True))
    moves = recent_moves(on, ids)
    deferrals = active_deferrals(on, ids)
    candidates = people.filter(active=True, is_leader=False).filter(_could_be_listed(on, moves))
    rows = in_official_order(candidates).values(*CADRE_FIELDS)
    found = []
    for row in rows:
        a = _assess_row(row, on, moves.get(row["pk"], []), deferrals.get(row["pk"]))
        if a.status or a.flags:
            found.append(a)
    return found


@dataclass
class Lists:
    must: list[Assessment]
    due: list[Assessment]
    exempt: list[Assessment]
    long_stay: list[Assessment]
    frequent: list[Assessment]

    @property
    def counts(self) -> dict[str, int]:
        return {k: len(getattr(self, k)) for k in ("must", "due", "exempt", "long_stay", "frequent")}


def rotation_lists(on: dt.date, queryset=None) -> Lists:
    found = assess(on, queryset)
    return Lists(
        must=[a for a in found if a.status == MUST],
        due=[a for a in found if a.status == DUE],
        exempt=[a for a in found if a.status == EXEMPT],
        long_stay=[a for a in found if LONG_STAY in a.flags],
        frequent=[a for a in found if FREQUENT in a.flags],
    )


# --- the checks on a plan ---------------------------------------------------------------


@dataclass
class Finding:
    level: str  # "error" blocks submission; "warning" is shown
    text: str
    item_ids: list[int] = field(default_factory=list)


def is_sensitive(department_name: str) -> bool:
    """组织人事、纪检监察、审计、财务: the departments 任职回避 keeps relatives of leaders out of."""
    return any(word in department_name for word in settings.ROTATION_SENSITIVE_DEPARTMENT_WORDS)


@dataclass
class _Seat:
    """Where a person sits once the plan is executed."""

    cadre: Cadre
    department: Department
    moved: bool


def _head_and_deputy(items) -> list[Finding]:
    by_department = defaultdict(list)
    for item in items:
        if item.cadre.post_level in (Cadre.PostLevel.PRINCIPAL, Cadre.PostLevel.DEPUTY) and not item.cadre.is_leader:
            by_department[item.from_department_id].append(item)
    found = []
    for moved in by_department.values():
        levels = {i.cadre.post_level for i in moved}
        if {Cadre.PostLevel.PRINCIPAL, Cadre.PostLevel.DEPUTY} <= levels:
            found.append(
                Finding(
                    "error",
                    _("%(department)s: its head and deputy (%(names)s) would both move in this plan.")
                    % {"department": moved[0].from_department.name, "names": "、".join(i.cadre.name for i in moved)},
                    [i.pk for i in moved],
                )
            )
    return found


def _seats(items) -> dict[int, _Seat]:
    return {i.cadre_id: _Seat(i.cadre, i.to_department, True) for i in items}


def _avoidance_reason(a: _Seat, b: _Seat, overseen: dict[int, int | None]) -> str | None:
    """Why `a` and `b`, relatives, may not sit where the plan puts them (or None)."""
    if a.department.pk == b.department.pk:
        return _("both in %(department)s (one direct line)") % {"department": a.department.name}
    for leader, other in ((a, b), (b, a)):
        if not leader.cadre.is_leader:
            continue
        if overseen.get(other.department.pk) == leader.cadre.pk:
            return _("%(other)s in %(department)s, which %(leader)s oversees") % {
                "other": other.cadre.name,
                "department": other.department.name,
                "leader": leader.cadre.name,
            }
        if is_sensitive(other.department.name):
            return _(
                "%(other)s in %(department)s (personnel, discipline, audit or finance) of the bureau %(leader)s leads"
            ) % {
                "other": other.cadre.name,
                "department": other.department.name,
                "leader": leader.cadre.name,
            }
    return None


def _avoidance(items) -> list[Finding]:
    seats = _seats(items)
    ids = list(seats)
    relations = list(
        Relation.objects.filter(cadre_id__in=ids).select_related("cadre__department", "relative__department")
    ) + list(
        Relation.objects.filter(relative_id__in=ids)
        .exclude(cadre_id__in=ids)
        .select_related("cadre__department", "relative__department")
    )
    overseen = dict(Department.objects.values_list("pk", "overseen_by_id"))
    by_cadre = {i.cadre_id: i for i in items}
    found = []
    for relation in relations:
        a = seats.get(relation.cadre_id) or _Seat(relation.cadre, relation.cadre.department, False)
        b = seats.get(relation.relative_id) or _Seat(relation.relative, relation.relative.department, False)
        reason = _avoidance_reason(a, b, overseen)
        if reason:
            found.append(
                Finding(
                    "error",
                    _("Avoidance: %(a)s and %(b)s are relatives (%(kind)s): %(reason)s.")
                    % {"a": a.cadre.name, "b": b.cadre.name, "kind": relation.get_kind_display(), "reason": reason},
                    [by_cadre[c].pk for c in (relation.cadre_id, relation.relative_id) if c in by_cadre],
                )
            )
    return found


def _item_warnings(items, on: dt.date) -> list[Finding]:
    ids = [i.cadre_id for i in items]
    moves = recent_moves(on, ids)
    deferrals = active_deferrals(on, ids)
    found = []
    for item in items:
        cadre = item.cadre
        if item.to_department_id == item.from_department_id and item.to_post_id == item.from_post_id:
            found.append(
                Finding("error", _("%(name)s: the item moves nobody (same post).") % {"name": cadre.name}, [item.pk])
            )
        if cadre.department_id != item.from_department_id or cadre.post_id != item.from_post_id:
            found.append(
                Finding(
                    "warning",
                    _("%(name)s has changed post since the item was drafted.") % {"name": cadre.name},
                    [item.pk],
                )
            )
        row = {"gender": cadre.gender}
        for text in _exemptions(row, full_years(cadre.birth_date, on), deferrals.get(cadre.pk)):
            found.append(
                Finding("warning", _("%(name)s is exempt: %(why)s.") % {"name": cadre.name, "why": text}, [item.pk])
            )
        if cadre.in_post_since and years_between(cadre.in_post_since, on) < settings.ROTATION_MIN_YEARS_IN_POST:
            found.append(
                Finding(
                    "warning",
                    _("%(name)s has been in the post less than %(years)s years (since %(since)s).")
                    % {
                        "name": cadre.name,
                        "years": settings.ROTATION_MIN_YEARS_IN_POST,
                        "since": _fmt(cadre.in_post_since),
                    },
                    [item.pk],
                )
            )
        if len(moves.get(cadre.pk, [])) + 1 >= settings.ROTATION_FREQUENT_MOVES:
            found.append(
                Finding(
                    "warning",
                    _("%(name)s moved within the last %(months)s months already: this would be too frequent.")
                    % {"name": cadre.name, "months": settings.ROTATION_FREQUENT_MONTHS},
                    [item.pk],
                )
            )
    return found


def check_plan(plan: RotationPlan, on: dt.date) -> list[Finding]:
    items = list(
        plan.items.filter(executed_on__isnull=True).select_related(
            "cadre", "from_department", "to_department", "from_post", "to_post"
        )
    )
    if not items:
        return []
    findings = _head_and_deputy(items) + _avoidance(items) + _item_warnings(items, on)
    return sorted(findings, key=lambda f: f.level != "error")
