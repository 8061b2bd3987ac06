"""Read queries on the campaign and its leadership group, shared by the group page, the
dashboard, the reminder sweep (main_leader: red warnings escalate to the 组长) and reports."""

import datetime as dt

from django.db.models import QuerySet
from django.db.models.functions import Collate

from cadres.models import STROKE_COLLATION, Cadre
from cadres.selectors import cadre_for
from core import dates

from .models import Campaign, GroupMember


def current_campaign(on: dt.date | None = None) -> Campaign | None:
    """The campaign running on `on` (today by default); otherwise the one of that year,
    otherwise the latest one before it. None when no campaign is set up."""
    on = on or dates.today()
    running = Campaign.objects.filter(start__lte=on, end__gte=on).order_by("-start").first()
    if running is not None:
        return running
    return (
        Campaign.objects.filter(year=on.year).first()
        or Campaign.objects.filter(start__lte=on).order_by("-start").first()
        or Campaign.objects.order_by("start").first()
    )


def group_members(campaign: Campaign) -> QuerySet:
    """The leadership group in official order: 组长, 副组长, 成员, 办公室主任, 联络员; people
    of equal standing by post level, then by surname strokes (姓氏笔画)."""
    return (
        GroupMember.objects.filter(campaign=campaign)
        .select_related("cadre__department", "cadre__user")
        .order_by("role", "cadre__post_level", Collate("cadre__name", STROKE_COLLATION), "id")
    )


def main_leader(on: dt.date | None = None) -> Cadre | None:
    """The 组长 of the current campaign: the bureau's main leader, to whom reminders and
    red (overdue) escalations go. None when there is no campaign or no 组长."""
    campaign = current_campaign(on)
    if campaign is None:
        return None
    member = (
        GroupMember.objects.filter(campaign=campaign, role=GroupMember.Role.LEADER, cadre__active=True)
        .select_related("cadre__user", "cadre__department")
        .order_by("id")
        .first()
    )
    return member.cadre if member else None


def main_leader_user_id(day: dt.date) -> int | None:
    """The 组长's active account: lower apps' reminder rules ask for it through
    core.reminders.resolve("main_leader_user_id") (provided in CampaignConfig.ready)."""
    cadre = main_leader(day)
    if cadre is None or not cadre.user_id or not cadre.user.is_active:
        return None
    return cadre.user_id


def is_main_leader(user, on: dt.date | None = None) -> bool:
    cadre = cadre_for(user) if getattr(user, "is_authenticated", False) else None
    if cadre is None:
        return False
    leader = main_leader(on)
    return leader is not None and leader.pk == cadre.pk
