"""Read queries the cadres pages, the dashboard, the reminders and the monthly report share.

Lists in official order go through in_official_order (department order, principal /
deputy / member, then the surname's strokes by ICU's zh-u-co-stroke collation).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Collate
from django.utils.translation import gettext as _

from .models import (
    STROKE_COLLATION,
    Cadre,
    Department,
    Placement,
    Post,
    PostHolding,
    PostReview,
    PostRisk,
    RiskReview,
    RotationPlan,
)


def in_official_order(cadres: QuerySet) -> QuerySet:
    """Department order, then principal/deputy/member, then surname strokes."""
    return cadres.order_by("department__order", "department_id", "post_level", Collate("name", STROKE_COLLATION), "id")


def active_cadres() -> QuerySet:
    return in_official_order(Cadre.objects.filter(active=True).select_related("department", "post"))


PICKER_LIMIT = 50


def picker_people(query: str, chosen_ids) -> list[Cadre]:
    """Whom a plan's person picker offers instead of all 2,000 people: those named by id (the
    planner's "add to plan" link, a posted choice) and the first PICKER_LIMIT whose name
    contains `query`; nobody before a search."""
    chosen = [int(pk) for pk in chosen_ids if str(pk).isdigit()]
    if not (chosen or query):
        return []
    wanted = Q(pk__in=chosen) | (Q(name__contains=query) if query else Q(pk__in=[]))
    people = Cadre.objects.filter(wanted, active=True, is_leader=False).select_related("department")
    return list(in_official_order(people)[:PICKER_LIMIT])


def departments() -> QuerySet:
    return Department.objects.filter(active=True).select_related("overseen_by")


def leaders() -> QuerySet:
    return in_official_order(Cadre.objects.filter(is_leader=True, active=True))


def cadre_for(user) -> Cadre | None:
    try:
        return user.cadre
    except (Cadre.DoesNotExist, AttributeError):
        return None


def person_name(user) -> str:
    """The name to show for an account: its cadre's name, else the account's own."""
    if user is None:
        return _("the system")
    cadre = cadre_for(user)
    return cadre.name if cadre else (user.get_full_name() or user.get_username())


def department_heads(department_ids=None) -> dict[int, Cadre]:
    """{department id: its principal}; one query."""
    rows = Cadre.objects.filter(active=True, is_leader=False, post_level=Cadre.PostLevel.PRINCIPAL)
    if department_ids is not None:
        rows = rows.filter(department_id__in=department_ids)
    heads: dict[int, Cadre] = {}
    for cadre in in_official_order(rows):
        heads.setdefault(cadre.department_id, cadre)
    return heads


def holdings_of(cadre: Cadre) -> list[PostHolding]:
    return list(cadre.holdings.select_related("department", "post").order_by("start", "id"))


def birth_range_for_ages(low: int | None, high: int | None, on: dt.date) -> Q:
    """People aged low..high (completed years) on `on`, as a condition on birth_date."""
    condition = Q()
    if low is not None:
        condition &= Q(birth_date__lte=_years_before(on, low))
    if high is not None:
        condition &= Q(birth_date__gt=_years_before(on, high + 1))
    return condition


def _years_before(on: dt.date, years: int) -> dt.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def young_cadres(on: dt.date) -> QuerySet:
    return Cadre.objects.filter(active=True, is_leader=False).filter(
        birth_range_for_ages(None, settings.YOUNG_CADRE_MAX_AGE, on)
    )


def placements() -> QuerySet:
    return Placement.objects.select_related("cadre__department").order_by("-start", "-id")


def placements_at(on: dt.date) -> QuerySet:
    return placements().filter(start__lte=on, end__gte=on)


@dataclass
class FrontlineYear:
    year: int
    people: int  # young cadres (at the start of their placement) who served in the year
    placements: int
    days: int  # days served within the year

    @property
    def average_days(self) -> int:
        return round(self.days / self.people) if self.people else 0


def frontline_by_year(years: list[int]) -> list[FrontlineYear]:
    """Per year: how many young cadres served at the front line and for how long; one query."""
    first, last = dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
    rows = Placement.objects.filter(start__lte=last, end__gte=first).values_list(
        "cadre_id", "cadre__birth_date", "start", "end"
    )
    result = {y: FrontlineYear(y, 0, 0, 0) for y in years}
    people = {y: set() for y in years}
    for cadre_id, birth, start, end in rows:
        age = Cadre(birth_date=birth).age_on(start)
        if age is None or age > settings.YOUNG_CADRE_MAX_AGE:
            continue
        for year in years:
            lo, hi = max(start, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31))
            if lo <= hi:
                result[year].placements += 1
                result[year].days += (hi - lo).days + 1
                people[year].add(cadre_id)
    for year in years:
        result[year].people = len(people[year])
    return [result[y] for y in years]


# --- risks and their annual review ----------------------------------------------------------


def risks() -> QuerySet:
    return PostRisk.objects.select_related(
        "post__department__overseen_by", "department_head", "responsible_leader"
    ).order_by("post__department__order", "post__department_id", "post__order", "post_id", "id")


def current_review(on: dt.date) -> RiskReview | None:
    return RiskReview.objects.filter(year=on.year).first()


def review_rows(review: RiskReview, posts: QuerySet) -> list[dict]:
    """Each post with its review in the round and whether it must be looked at again
    (its holder or duties changed after the review); three queries."""
    reviews = {r.post_id: r for r in review.posts.select_related("reviewed_by__cadre")}
    posts = list(posts.select_related("department").annotate(risk_count=Count("risks")))
    moved_in = _holder_changes(review, [p.pk for p in posts])
    rows = []
    for post in posts:
        done = reviews.get(post.pk)
        changed = None
        if done is not None:
            if post.duties_changed_on and post.duties_changed_on > done.reviewed_on:
                changed = _("duties changed on %(date)s") % {"date": post.duties_changed_on.isoformat()}
            elif moved_in.get(post.pk) and moved_in[post.pk] > done.reviewed_on:
                changed = _("new holder since %(date)s") % {"date": moved_in[post.pk].isoformat()}
        rows.append({"post": post, "review": done, "rereview": changed})
    return rows


def _holder_changes(review: RiskReview, post_ids) -> dict[int, dt.date]:
    """{post id: the latest date someone began holding it, within the round's year}."""
    latest = {}
    for post_id, start in (
        PostHolding.objects.filter(post_id__in=post_ids, start__gte=review.start)
        .values_list("post_id", "start")
        .order_by("start")
    ):
        latest[post_id] = start
    return latest


@dataclass
class ReviewProgress:
    posts: int
    reviewed: int
    rereview: int

    @property
    def rate(self) -> float | None:
        return self.reviewed / self.posts if self.posts else None

    @property
    def open(self) -> int:
        return self.posts - self.reviewed + self.rereview


def review_progress(review: RiskReview, posts: QuerySet | None = None) -> ReviewProgress:
    rows = review_rows(review, posts if posts is not None else Post.objects.filter(active=True))
    return ReviewProgress(
        posts=len(rows),
        reviewed=sum(1 for r in rows if r["review"] and not r["rereview"]),
        rereview=sum(1 for r in rows if r["rereview"]),
    )


def unreviewed_posts_by_department(review: RiskReview) -> dict[int, int]:
    reviewed = PostReview.objects.filter(review=review, post=OuterRef("pk"))
    rows = (
        Post.objects.filter(active=True)
        .exclude(Exists(reviewed))
        .values("department_id")
        .annotate(n=Count("id"))
        .values_list("department_id", "n")
    )
    return dict(rows)


# --- plans and talks -------------------------------------------------------------------------


def plans_in_progress() -> QuerySet:
    return RotationPlan.objects.exclude(status=RotationPlan.Status.EXECUTED)


def executed_moves(start: dt.date, end: dt.date) -> QuerySet:
    """Plan items executed between `start` and `end`, in order."""
    from .models import RotationItem

    return (
        RotationItem.objects.filter(executed_on__range=(start, end))
        .select_related("plan", "cadre", "from_department", "from_post", "to_department", "to_post")
        .order_by("executed_on", "pk")
    )
