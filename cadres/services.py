"""Writes in the cadres area, one transaction each, with the actor in the history
(simple-history's `_history_user`, so commands, imports and tasks name who did it too).

Views call these; they check permissions themselves (check=False from trusted code such
as the demo or an import that checked already). Cadre.department, post, rank and
in_post_since follow the work history: record_move and sync_current_post keep them.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import dates

from . import permissions, rotation
from .models import (
    FRONTLINE_KINDS,
    Cadre,
    Deferral,
    Department,
    Placement,
    Post,
    PostHolding,
    PostReview,
    PostRisk,
    Relation,
    RiskReview,
    RotationItem,
    RotationPlan,
    Talk,
)

How = PostHolding.How
PlanStatus = RotationPlan.Status
# A front-line placement made by a plan runs a year unless its end is edited.
PLACEMENT_DAYS = 365


def save_as(instance, actor, **kwargs):
    """Save with `actor` named in the history record."""
    instance._history_user = actor
    instance.save(**kwargs)


def _require_records(actor, check: bool):
    if check and not permissions.keeps_records(actor):
        raise PermissionDenied(_("Only the personnel section keeps cadre records."))


# --- departments, posts, risks -----------------------------------------------------------


@transaction.atomic
def save_department(department: Department, actor, *, check=True) -> Department:
    """Oversight (分管) is the campaign office's to change (/campaign/oversight/), never here."""
    _require_records(actor, check)
    if department.pk:
        stored = Department.objects.get(pk=department.pk)
        if stored.overseen_by_id != department.overseen_by_id:
            raise PermissionDenied(_("The overseeing leader is changed by the campaign office under Oversight."))
    save_as(department, actor)
    return department


@transaction.atomic
def save_post(post: Post, actor, *, check=True) -> Post:
    _require_records(actor, check)
    if post.pk:
        stored = Post.objects.get(pk=post.pk)
        if stored.duties != post.duties:
            post.duties_changed_on = dates.today()
    save_as(post, actor)
    return post


@transaction.atomic
def save_risk(risk: PostRisk, actor, *, check=True) -> PostRisk:
    """A changed risk point changes the post's duties for the annual review (re-review)."""
    _require_records(actor, check)
    save_as(risk, actor)
    Post.objects.filter(pk=risk.post_id).update(duties_changed_on=dates.today())
    return risk


@transaction.atomic
def delete_risk(risk: PostRisk, actor, *, check=True):
    _require_records(actor, check)
    risk._history_user = actor
    post_id = risk.post_id
    risk.delete()
    Post.objects.filter(pk=post_id).update(duties_changed_on=dates.today())


# --- people and their work history -------------------------------------------------------


@transaction.atomic
def create_cadre(cadre: Cadre, actor, *, since: dt.date | None = None, how=How.APPOINTED, check=True) -> Cadre:
    """A new person with the first row of their work history (in the post since `since`)."""
    _require_records(actor, check)
    start = since or cadre.in_post_since or dates.today()
    cadre.in_post_since = start
    save_as(cadre, actor)
    holding = PostHolding(
        cadre=cadre, department=cadre.department, post=cadre.post, rank=cadre.rank, start=start, how=how
    )
    save_as(holding, actor)
    return cadre


@transaction.atomic
def update_cadre(cadre: Cadre, actor, *, check=True) -> Cadre:
    """Personal data and rank; department and post change only through record_move."""
    _require_records(actor, check)
    stored = Cadre.objects.get(pk=cadre.pk)
    if (stored.department_id, stored.post_id) != (cadre.department_id, cadre.post_id):
        raise ValidationError(_("Record a move in the work history to change department or post."))
    save_as(cadre, actor)
    return cadre


def open_holding(cadre: Cadre) -> PostHolding | None:
    return cadre.holdings.filter(end__isnull=True).order_by("-start", "-id").first()


@transaction.atomic
def record_move(
    cadre: Cadre,
    actor,
    *,
    department: Department,
    post: Post | None,
    start: dt.date,
    how: str,
    rank: str | None = None,
    note: str = "",
    check=True,
) -> PostHolding:
    """The person takes a new post on `start`: the open holding ends the day before."""
    _require_records(actor, check)
    if post is not None and post.department_id != department.pk:
        raise ValidationError({"post": _("The post belongs to another department.")})
    current = open_holding(cadre)
    if current is not None:
        if start <= current.start:
            raise ValidationError(
                {"start": _("The move must begin after the current post began (%(date)s).") % {"date": current.start}}
            )
        current.end = start - dt.timedelta(days=1)
        save_as(current, actor)
    holding = PostHolding(
        cadre=cadre,
        department=department,
        post=post,
        rank=cadre.rank if rank is None else rank,
        start=start,
        how=how,
        note=note,
    )
    save_as(holding, actor)
    sync_current_post(cadre, actor)
    return holding


@transaction.atomic
def save_holding(holding: PostHolding, actor, *, check=True) -> PostHolding:
    """A row of the work history entered or corrected by hand (the sanity checks warn)."""
    _require_records(actor, check)
    if holding.end is not None and holding.end < holding.start:
        raise ValidationError({"end": _("The end date is before the start date.")})
    save_as(holding, actor)
    sync_current_post(holding.cadre, actor)
    return holding


@transaction.atomic
def delete_holding(holding: PostHolding, actor, *, check=True):
    _require_records(actor, check)
    cadre = holding.cadre
    holding._history_user = actor
    holding.delete()
    sync_current_post(cadre, actor)


def sync_current_post(cadre: Cadre, actor=None):
    """Department, post, rank and in_post_since from the work history: the latest open
    holding is the current post; in_post_since is where the run of holdings in that same
    post began."""
    rows = list(cadre.holdings.order_by("start", "id"))
    if not rows:
        return
    current = next((h for h in reversed(rows) if h.end is None), rows[-1])
    since = current.start
    for earlier in reversed(rows[: rows.index(current)]):
        if earlier.post_id != current.post_id or earlier.post_id is None:
            break
        since = earlier.start
    changed = (cadre.department_id, cadre.post_id, cadre.in_post_since) != (
        current.department_id,
        current.post_id,
        since,
    ) or (current.rank and current.rank != cadre.rank)
    if changed:
        cadre.department_id, cadre.post_id, cadre.in_post_since = current.department_id, current.post_id, since
        if current.rank:
            cadre.rank = current.rank
        save_as(cadre, actor)


@transaction.atomic
def add_relation(cadre: Cadre, relative: Cadre, kind: str, actor, *, check=True) -> Relation:
    _require_records(actor, check)
    if cadre.pk == relative.pk:
        raise ValidationError({"relative": _("A person is not their own relative.")})
    if (
        Relation.objects.filter(cadre=relative, relative=cadre).exists()
        or Relation.objects.filter(cadre=cadre, relative=relative).exists()
    ):
        raise ValidationError({"relative": _("This relation is recorded already.")})
    relation = Relation(cadre=cadre, relative=relative, kind=kind)
    save_as(relation, actor)
    return relation


@transaction.atomic
def delete_relation(relation: Relation, actor, *, check=True):
    _require_records(actor, check)
    relation._history_user = actor
    relation.delete()


@transaction.atomic
def record_deferral(cadre: Cadre, actor, *, reason: str, until: dt.date, check=True) -> Deferral:
    _require_records(actor, check)
    if until < dates.today():
        raise ValidationError({"until": _("A deferral ends in the future.")})
    deferral = Deferral(cadre=cadre, reason=reason, until=until, recorded_by=actor)
    save_as(deferral, actor)
    return deferral


@transaction.atomic
def save_placement(placement: Placement, actor, *, check=True) -> Placement:
    _require_records(actor, check)
    if placement.end < placement.start:
        raise ValidationError({"end": _("The end date is before the start date.")})
    save_as(placement, actor)
    return placement


# --- rotation plans ---------------------------------------------------------------------


def _plan_for_update(plan_id: int) -> RotationPlan:
    return RotationPlan.objects.select_for_update().get(pk=plan_id)


def _require_draft(plan: RotationPlan):
    if not plan.is_draft:
        raise PermissionDenied(
            _("Only a draft plan can be changed; this one is “%(status)s”.") % {"status": plan.get_status_display()}
        )


@transaction.atomic
def create_plan(title: str, actor, *, note: str = "", check=True) -> RotationPlan:
    _require_records(actor, check)
    plan = RotationPlan(title=title, note=note, created_by=actor)
    save_as(plan, actor)
    return plan


@transaction.atomic
def add_item(
    plan: RotationPlan, actor, *, cadre: Cadre, to_post: Post, kind: str, planned_date, handover_note="", check=True
) -> RotationItem:
    _require_records(actor, check)
    plan = _plan_for_update(plan.pk)
    _require_draft(plan)
    if cadre.is_leader:
        raise ValidationError({"cadre": _("Bureau leaders are not rotated by the bureau's plans.")})
    if plan.items.filter(cadre=cadre).exists():
        raise ValidationError({"cadre": _("%(name)s is in this plan already.") % {"name": cadre.name}})
    if cadre.post_id == to_post.pk:
        raise ValidationError({"to_post": _("That is the post the person holds now.")})
    return RotationItem.objects.create(
        plan=plan,
        cadre=cadre,
        from_department_id=cadre.department_id,
        from_post_id=cadre.post_id,
        to_department_id=to_post.department_id,
        to_post=to_post,
        kind=kind,
        planned_date=planned_date,
        handover_note=handover_note,
    )


@transaction.atomic
def update_item(item: RotationItem, actor, *, to_post: Post, kind: str, planned_date, handover_note="", check=True):
    _require_records(actor, check)
    _require_draft(_plan_for_update(item.plan_id))
    item.to_post, item.to_department_id = to_post, to_post.department_id
    item.kind, item.planned_date, item.handover_note = kind, planned_date, handover_note
    item.save()
    return item


@transaction.atomic
def remove_item(item: RotationItem, actor, *, check=True):
    _require_records(actor, check)
    _require_draft(_plan_for_update(item.plan_id))
    item.delete()


@transaction.atomic
def submit_plan(plan: RotationPlan, actor, *, check=True) -> RotationPlan:
    """To the 党组: refused while a check finds an error (the warnings go with it)."""
    _require_records(actor, check)
    plan = _plan_for_update(plan.pk)
    _require_draft(plan)
    if not plan.items.exists():
        raise ValidationError(_("The plan has no items yet."))
    errors = [f.text for f in rotation.check_plan(plan, dates.today()) if f.level == "error"]
    if errors:
        raise ValidationError(errors)
    plan.status, plan.submitted_on = PlanStatus.SUBMITTED, dates.today()
    save_as(plan, actor)
    return plan


@transaction.atomic
def return_plan(plan: RotationPlan, actor, *, check=True) -> RotationPlan:
    """Back to draft, e.g. when the 党组 asks for changes."""
    _require_records(actor, check)
    plan = _plan_for_update(plan.pk)
    if plan.status != PlanStatus.SUBMITTED:
        raise PermissionDenied(_("Only a plan waiting for the Party group can go back to draft."))
    plan.status = PlanStatus.DRAFT
    save_as(plan, actor)
    return plan


@transaction.atomic
def record_decision(plan: RotationPlan, actor, *, decision_date: dt.date, document_number: str, check=True):
    """党组研究通过: the meeting's date and the document number (文号)."""
    _require_records(actor, check)
    plan = _plan_for_update(plan.pk)
    if plan.status != PlanStatus.SUBMITTED:
        raise PermissionDenied(_("Only a plan submitted to the Party group can be approved."))
    if decision_date < (plan.submitted_on or decision_date) or decision_date > dates.today():
        raise ValidationError({"decision_date": _("The decision date lies between submission and today.")})
    plan.status, plan.decision_date, plan.document_number = PlanStatus.APPROVED, decision_date, document_number
    save_as(plan, actor)
    return plan


@transaction.atomic
def execute_item(item: RotationItem, actor, *, on: dt.date | None = None, check=True) -> RotationItem:
    """The move takes effect: a PostHolding row, the person's department and post, and for
    挂职锻炼 / 下派基层一线 a front-line placement of a year (its end can be edited)."""
    _require_records(actor, check)
    plan = _plan_for_update(item.plan_id)
    if plan.status not in (PlanStatus.APPROVED,):
        raise PermissionDenied(_("Items are executed once the Party group has approved the plan."))
    item = RotationItem.objects.select_related("cadre", "to_department", "to_post").get(pk=item.pk)
    if item.executed_on:
        return item
    day = on or dates.today()
    note = _("plan “%(plan)s”, %(number)s") % {"plan": plan.title, "number": plan.document_number}
    record_move(
        item.cadre,
        actor,
        department=item.to_department,
        post=item.to_post,
        start=day,
        how=item.kind,
        note=note[:200],
        check=False,
    )
    if item.kind in FRONTLINE_KINDS:
        place = str(item.to_post or item.to_department)
        end = day + dt.timedelta(days=PLACEMENT_DAYS - 1)
        save_as(Placement(cadre=item.cadre, kind=item.kind, place=place, start=day, end=end, item=item), actor)
    item.executed_on = day
    item.save(update_fields=["executed_on"])
    if not plan.items.filter(executed_on__isnull=True).exists():
        plan.status = PlanStatus.EXECUTED
        save_as(plan, actor)
    return item


@transaction.atomic
def execute_plan(plan: RotationPlan, actor, *, on: dt.date | None = None, check=True) -> RotationPlan:
    for item in plan.items.filter(executed_on__isnull=True).order_by("pk"):
        execute_item(item, actor, on=on, check=check)
    plan.refresh_from_db()
    return plan


# --- talks ---------------------------------------------------------------------------------


def may_record_talk(actor, talk: Talk) -> bool:
    """The personnel section, or the person who held the talk (a new one, or their own record)."""
    from .selectors import cadre_for

    if permissions.keeps_records(actor):
        return True
    cadre = cadre_for(actor)
    if cadre is None or talk.talker_id != cadre.pk:
        return False
    return talk.pk is None or talk.recorded_by_id == actor.pk


@transaction.atomic
def save_talk(talk: Talk, actor, *, check=True) -> Talk:
    if check and not may_record_talk(actor, talk):
        raise PermissionDenied(_("You may record only the talks you held yourself."))
    if talk.talker_id == talk.talkee_id:
        raise ValidationError({"talkee": _("A talk is between two people.")})
    if talk.date > dates.today():
        raise ValidationError({"date": _("A talk is recorded after it took place.")})
    if talk.pk is None:
        talk.recorded_by = actor
    talk.save()
    return talk


# --- the annual risk review -------------------------------------------------------------------


@transaction.atomic
def start_review(actor, *, year: int, title: str, start: dt.date, due: dt.date, check=True) -> RiskReview:
    _require_records(actor, check)
    if RiskReview.objects.filter(year=year).exists():
        raise ValidationError({"year": _("The review of this year has been started already.")})
    if due < start:
        raise ValidationError({"due": _("The due date is before the start.")})
    return RiskReview.objects.create(year=year, title=title, start=start, due=due, created_by=actor)


@transaction.atomic
def record_post_review(review: RiskReview, post: Post, actor, *, result: str, note: str = "", check=True) -> PostReview:
    """Reviewed today: a second review of the same post (after a change) replaces the first."""
    if check and not permissions.reviews_post(actor, post):
        raise PermissionDenied(_("The personnel section or the department's head reviews a post."))
    if review.closed:
        raise PermissionDenied(_("This review is closed."))
    row = PostReview.objects.filter(review=review, post=post).first() or PostReview(review=review, post=post)
    row.reviewed_by, row.reviewed_on, row.result, row.note = actor, dates.today(), result, note
    save_as(row, actor)
    return row
