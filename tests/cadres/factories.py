"""Factories for the cadres area beyond the organisation (tests/factories.py): work
history, relatives, deferrals, plans, placements, talks, risks."""

import datetime as dt

import factory

from cadres.models import (
    Cadre,
    Deferral,
    Placement,
    PostHolding,
    PostRisk,
    Relation,
    RotationItem,
    RotationPlan,
    Talk,
)
from tests.factories import CadreFactory, DepartmentFactory, PostFactory, UserFactory

DAY = dt.date(2026, 6, 15)


def years_before(day: dt.date, years: float) -> dt.date:
    return day - dt.timedelta(days=round(years * 365.25))


def cadre_in_post(department, *, years: float, key=False, level=Cadre.PostLevel.DEPUTY, on=DAY, name=None, **extra):
    """A cadre holding a post of `department` for `years` (one open holding), middle-level
    unless `level` is MEMBER."""
    post = PostFactory(department=department, is_key=key)
    since = years_before(on, years)
    cadre = CadreFactory(
        department=department,
        post=post,
        post_level=level,
        is_middle_level=level != Cadre.PostLevel.MEMBER,
        in_post_since=since,
        birth_date=extra.pop("birth_date", dt.date(1980, 1, 1)),
        **({"name": name} if name else {}),
        **extra,
    )
    PostHolding.objects.create(cadre=cadre, department=department, post=post, start=since)
    return cadre


class HoldingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostHolding

    cadre = factory.SubFactory(CadreFactory)
    department = factory.LazyAttribute(lambda h: h.cadre.department)
    start = dt.date(2020, 1, 1)


class RelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relation

    cadre = factory.SubFactory(CadreFactory)
    relative = factory.SubFactory(CadreFactory)
    kind = Relation.Kind.SPOUSE


class DeferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deferral

    cadre = factory.SubFactory(CadreFactory)
    reason = "承担重点项目"
    until = dt.date(2026, 12, 31)
    recorded_by = factory.SubFactory(UserFactory)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RotationPlan

    title = factory.Sequence(lambda n: f"2026年第{n}批交流轮岗")
    created_by = factory.SubFactory(UserFactory)


class ItemFactory(factory.django.DjangoModelFactory):
    """A move of `cadre` from where they are to `to_post` (a new post elsewhere by default)."""

    class Meta:
        model = RotationItem

    plan = factory.SubFactory(PlanFactory)
    cadre = factory.SubFactory(CadreFactory)
    from_department = factory.LazyAttribute(lambda i: i.cadre.department)
    from_post = factory.LazyAttribute(lambda i: i.cadre.post)
    to_post = factory.SubFactory(PostFactory)
    to_department = factory.LazyAttribute(lambda i: i.to_post.department)
    planned_date = DAY
    kind = PostHolding.How.ROTATION


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    cadre = factory.SubFactory(CadreFactory)
    kind = PostHolding.How.FRONTLINE
    place = "城东街道幸福社区"
    start = dt.date(2026, 3, 1)
    end = dt.date(2026, 8, 31)


class TalkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Talk

    date = dt.date(2026, 3, 10)
    talker = factory.SubFactory(CadreFactory)
    talkee = factory.SubFactory(CadreFactory)
    content = "交流思想和工作情况"
    recorded_by = factory.SubFactory(UserFactory)


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostRisk

    post = factory.SubFactory(PostFactory)
    category = "行政审批"
    point = factory.Sequence(lambda n: f"风险点{n}")
    level = PostRisk.Level.HIGH


__all__ = ["DAY", "DepartmentFactory", "cadre_in_post", "years_before"]
