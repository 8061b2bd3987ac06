"""Factories for party building: branches, groups, memberships, meetings, attendance."""

import datetime as dt

import factory
from django.utils import timezone

from partybuilding.models import Attendance, Branch, Meeting, Membership, PartyGroup
from partybuilding.services import attendance_row

from ..factories import CadreFactory


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch

    name = factory.Sequence(lambda n: f"测试党支部{n}")
    order = factory.Sequence(lambda n: n)


class PartyGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyGroup

    branch = factory.SubFactory(BranchFactory)
    name = factory.Sequence(lambda n: f"第{n}党小组")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    cadre = factory.SubFactory(CadreFactory, political_status="member")
    branch = factory.SubFactory(BranchFactory)
    status = Membership.Status.FORMAL


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    branch = factory.SubFactory(BranchFactory)
    kind = Meeting.Kind.ACTIVITY_DAY
    topic = factory.Sequence(lambda n: f"学习专题{n}")
    planned_at = factory.LazyFunction(lambda: timezone.make_aware(dt.datetime(2026, 3, 30, 15, 0)))
    place = "三楼会议室"


def meeting_with_list(branch, *, held_on=None, kind=Meeting.Kind.ACTIVITY_DAY, group=None, status=None, **kwargs):
    """A meeting with its attendance list from the branch (everyone PRESENT when `status` says so)."""
    from partybuilding.selectors import invited_memberships

    meeting = MeetingFactory(branch=branch, kind=kind, group=group, held_on=held_on, **kwargs)
    rows = []
    for membership in invited_memberships(branch, kind, group.pk if group else None):
        row = attendance_row(meeting, membership)
        if status:
            row.status = status
        rows.append(row)
    Attendance.objects.bulk_create(rows)
    return meeting
