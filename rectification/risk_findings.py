"""A finding of the post integrity-risk review sent to the ledger as a 自查自纠 problem.

The cadres app sits below rectification and cannot create problems itself: its risk page
posts to rectification's URL (views/risk_findings.py) with the risk's id, and this service
files the problem under the year's self-inspection round (created on first use), once per
risk: sending the same risk again returns the problem already filed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from cadres.models import PostRisk
from cadres.roles import HR, has_role
from core import dates

from . import permissions
from .models import InspectionRound, Problem
from .services import next_problem_number, save_problem


def may_send(user) -> bool:
    """The campaign office, or the personnel section that keeps the risk ledger."""
    return permissions.can_create(user) or has_role(user, HR)


def marker(risk: PostRisk) -> str:
    return f"[risk:{risk.pk}]"


@transaction.atomic
def create_problem_from_risk(risk_id: int, actor) -> tuple[Problem, bool]:
    """(the problem, whether it was created now)."""
    if not may_send(actor):
        raise PermissionDenied(_("The campaign office or the personnel section sends risk findings to the ledger."))
    risk = PostRisk.objects.select_related("post__department").get(pk=risk_id)
    today = dates.today()
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(year)s self-inspection of post integrity risks") % {"year": today.year}
        category = _("Post integrity risk")
    round_, _created = InspectionRound.objects.get_or_create(
        source=InspectionRound.Source.SELF, title=title, defaults={"feedback_date": today}
    )
    existing = Problem.objects.filter(round=round_, note__contains=marker(risk)).first()
    if existing is not None:
        return existing, False
    description = f"{risk.post.department.name}{risk.post.title}：{risk.point}"
    if risk.manifestation:
        description += f"（{risk.manifestation}）"
    problem = Problem(
        round=round_,
        number=next_problem_number(round_),
        category=category,
        description=description,
        note=f"{marker(risk)} {risk.get_level_display()}",
    )
    save_problem(problem, actor, check=False)
    return problem, True
