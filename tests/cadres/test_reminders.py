"""The cadres reminder rules: what each yields, to whom, and when (due - lead <= today)."""

import datetime as dt

import pytest

from cadres import reminders
from cadres.models import Cadre, RiskReview
from core import reminders as registry
from tests.factories import PostFactory

from .factories import DeferralFactory, PlacementFactory, TalkFactory, cadre_in_post

pytestmark = pytest.mark.django_db


def items(rule, day):
    return list(rule(day))


def test_every_rule_is_registered():
    names = set(registry.rules())
    assert {
        "cadres.rotation_lists",
        "cadres.deferrals",
        "cadres.talk_gaps",
        "cadres.risk_review",
        "cadres.placements",
    } <= names


def test_rotation_lists_reach_the_personnel_section_once_a_quarter(org):
    cadre_in_post(org.dept_a, years=11, key=True, name="潘明轩", on=dt.date(2026, 4, 2))
    found = items(reminders.rotation_list_reminders, dt.date(2026, 4, 2))
    assert [i.recipient_id for i in found] == [org.users["hr"].pk]
    (item,) = found
    assert item.key == "rotation:2026-04-01" and item.repeat == registry.ONCE and "1" in item.text
    # The same quarter gives the same key (the sweep sends it once); the next one a new key.
    assert items(reminders.rotation_list_reminders, dt.date(2026, 6, 30))[0].key == item.key
    assert items(reminders.rotation_list_reminders, dt.date(2026, 7, 1))[0].key == "rotation:2026-07-01"


def test_nothing_to_plan_gives_no_reminder(org):
    assert items(reminders.rotation_list_reminders, dt.date(2026, 4, 2)) == []


def test_a_deferral_ending_within_the_lead(org, settings):
    settings.REMINDER_DEFERRAL_END_DAYS = 30
    deferral = DeferralFactory(cadre=org.users["staff"].cadre, until=dt.date(2026, 5, 20))
    assert items(reminders.deferral_reminders, dt.date(2026, 4, 19)) == []
    (item,) = items(reminders.deferral_reminders, dt.date(2026, 4, 20))
    assert item.recipient_id == org.users["hr"].pk and item.key == f"deferral:{deferral.pk}"
    assert items(reminders.deferral_reminders, dt.date(2026, 5, 21)) == []


def test_talk_gaps_from_october_to_the_talker(org, settings):
    head = org.users["head"].cadre
    head.post_level = Cadre.PostLevel.PRINCIPAL
    head.save()
    TalkFactory(talker=head, talkee=org.users["staff"].cadre, date=dt.date(2026, 3, 1))
    assert items(reminders.talk_gap_reminders, dt.date(2026, 9, 30)) == []
    found = items(reminders.talk_gap_reminders, dt.date(2026, 10, 1))
    by_recipient = {}
    for item in found:
        by_recipient.setdefault(item.recipient_id, []).append(item)
    # head talked with staff already; the leader has not talked with head.
    assert org.users["head"].pk not in by_recipient
    assert [i.text for i in by_recipient[org.users["leader"].pk]] and by_recipient[org.users["leader"].pk][
        0
    ].repeat == registry.WEEKLY


def test_risk_review_due_to_hr_and_the_heads_with_open_posts(org, settings):
    settings.REMINDER_RISK_REVIEW_LEAD_DAYS = 14
    head = org.users["head"].cadre
    head.post_level = Cadre.PostLevel.PRINCIPAL
    head.save()
    PostFactory(department=org.dept_a)
    RiskReview.objects.create(
        year=2026, title="排查", start=dt.date(2026, 1, 1), due=dt.date(2026, 12, 20), created_by=org.users["hr"]
    )
    assert items(reminders.risk_review_reminders, dt.date(2026, 12, 5)) == []
    found = items(reminders.risk_review_reminders, dt.date(2026, 12, 6))
    assert {i.recipient_id for i in found} == {org.users["hr"].pk, org.users["head"].pk}


def test_a_placement_ending_within_thirty_days(org):
    placement = PlacementFactory(cadre=org.users["staff"].cadre, end=dt.date(2026, 8, 31))
    assert items(reminders.placement_reminders, dt.date(2026, 7, 31)) == []
    (item,) = items(reminders.placement_reminders, dt.date(2026, 8, 1))
    assert item.key == f"placement:{placement.pk}" and item.recipient_id == org.users["hr"].pk
