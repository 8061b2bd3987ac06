"""The cadres area's reminder rules for the daily sweep (registered with core.reminders
from CadresConfig.ready). Each selects by "due - lead <= today", so a missed run catches up,
and makes a fixed number of queries:

- cadres.rotation_lists: the rotation lists (must, due, red flags) to the personnel
  section, once at the start of each quarter (when any list has someone on it);
- cadres.deferrals: a deferral (暂缓交流) ending within REMINDER_DEFERRAL_END_DAYS, to the
  personnel section, once;
- cadres.talk_gaps: from REMINDER_TALK_GAPS_FROM_MONTH on, each talk pair still missing
  this year, to the talker, weekly;
- cadres.risk_review: the annual risk review due within REMINDER_RISK_REVIEW_LEAD_DAYS and
  not finished: the progress to the personnel section, the open posts to each department's
  head, weekly;
- cadres.placements: a front-line placement ending within REMINDER_PLACEMENT_END_DAYS, to
  the personnel section, once.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from core import reminders as registry
from core.reminders import ONCE, TODO, WEEKLY, YELLOW, Item

from . import coverage, rotation, selectors
from .models import Deferral, Placement
from .roles import HR


def personnel_section() -> list[int]:
    return list(
        get_user_model().objects.filter(is_active=True, groups__name=HR).order_by("pk").values_list("pk", flat=True)
    )


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


@registry.register_rule("cadres.rotation_lists")
def rotation_list_reminders(day: dt.date):
    start = quarter_start(day)
    counts = rotation.rotation_lists(day).counts
    if not any(counts.values()):
        return  # nothing to plan: no reminder
    text = (
        _(
            "Rotation lists for this quarter: %(must)s must rotate, %(due)s due, %(exempt)s exempt; red flags: "
            "%(long_stay)s without rotation for long, %(frequent)s moved too often."
        )
        % counts
    )
    for user_id in personnel_section():
        yield Item(
            recipient_id=user_id,
            key=f"rotation:{start.isoformat()}",
            kind="rotation.quarterly",
            colour=TODO,
            deadline=start,
            text=text,
            link=reverse("cadres:planner"),
            repeat=ONCE,
        )


@registry.register_rule("cadres.deferrals")
def deferral_reminders(day: dt.date):
    lead = dt.timedelta(days=settings.REMINDER_DEFERRAL_END_DAYS)
    rows = Deferral.objects.filter(until__gte=day, until__lte=day + lead).select_related("cadre")
    recipients = None
    for deferral in rows.order_by("until", "pk"):
        recipients = recipients if recipients is not None else personnel_section()
        for user_id in recipients:
            yield Item(
                recipient_id=user_id,
                key=f"deferral:{deferral.pk}",
                kind="rotation.deferral_ending",
                colour=YELLOW,
                deadline=deferral.until,
                text=_("The rotation deferral of %(name)s ends on %(until)s (%(reason)s).")
                % {"name": deferral.cadre.name, "until": deferral.until.isoformat(), "reason": deferral.reason},
                link=reverse("cadres:cadre_detail", args=[deferral.cadre_id]),
                repeat=ONCE,
            )


@registry.register_rule("cadres.talk_gaps")
def talk_gap_reminders(day: dt.date):
    if day.month < settings.REMINDER_TALK_GAPS_FROM_MONTH:
        return
    start = dt.date(day.year, settings.REMINDER_TALK_GAPS_FROM_MONTH, 1)
    end = dt.date(day.year, 12, 31)
    for pair in coverage.coverage(day.year):
        if pair.done or not pair.talker.user_id or not pair.talker.user_active:
            continue
        yield Item(
            recipient_id=pair.talker.user_id,
            key=f"talk:{day.year}:{pair.talker.pk}:{pair.talkee.pk}",
            kind="talks.gap",
            colour=TODO,
            deadline=end,
            text=_("No talk with %(name)s (%(department)s) yet this year (%(rule)s).")
            % {"name": pair.talkee.name, "department": pair.talkee.department.name, "rule": pair.rule_label},
            link=reverse("cadres:talk_create") + f"?with={pair.talkee.pk}",
            repeat=WEEKLY,
            anchor=start,
        )


@registry.register_rule("cadres.risk_review")
def risk_review_reminders(day: dt.date):
    review = selectors.current_review(day)
    if review is None or review.closed or day > review.due:
        return
    anchor = review.due - dt.timedelta(days=settings.REMINDER_RISK_REVIEW_LEAD_DAYS)
    if day < anchor:
        return
    open_posts = selectors.unreviewed_posts_by_department(review)
    if not open_posts:
        return
    link = reverse("cadres:risk_review")
    text = _("%(title)s is due on %(due)s: %(open)s posts not reviewed yet.") % {
        "title": review.title,
        "due": review.due.isoformat(),
        "open": sum(open_posts.values()),
    }
    for user_id in personnel_section():
        yield Item(
            user_id, f"riskreview:{review.year}", "risks.review_due", YELLOW, review.due, text, link, WEEKLY, anchor
        )
    heads = selectors.department_heads(open_posts)
    for department_id, count in open_posts.items():
        head = heads.get(department_id)
        if head is None or not head.user_id:
            continue
        own = _("%(title)s is due on %(due)s: %(open)s of your department's posts not reviewed yet.") % {
            "title": review.title,
            "due": review.due.isoformat(),
            "open": count,
        }
        yield Item(
            head.user_id,
            f"riskreview:{review.year}:{department_id}",
            "risks.review_due",
            YELLOW,
            review.due,
            own,
            link,
            WEEKLY,
            anchor,
        )


@registry.register_rule("cadres.placements")
def placement_reminders(day: dt.date):
    lead = dt.timedelta(days=settings.REMINDER_PLACEMENT_END_DAYS)
    rows = Placement.objects.filter(end__gte=day, end__lte=day + lead).select_related("cadre")
    recipients = None
    for placement in rows.order_by("end", "pk"):
        recipients = recipients if recipients is not None else personnel_section()
        for user_id in recipients:
            yield Item(
                recipient_id=user_id,
                key=f"placement:{placement.pk}",
                kind="young.placement_ending",
                colour=TODO,
                deadline=placement.end,
                text=_(
                    "The front-line placement of %(name)s at %(place)s ends on %(end)s: plan the return and the appraisal."
                )
                % {"name": placement.cadre.name, "place": placement.place, "end": placement.end.isoformat()},
                link=reverse("cadres:young"),
                repeat=ONCE,
            )
