"""Keeps the dashboard's cache honest: every write that can change a figure bumps the
dashboard version (dashboard.cache.invalidate), at once and again after commit, so a
request that computed figures inside the writer's transaction window cannot keep stale
ones alive."""

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from cadres.models import Cadre, Department
from partybuilding.models import Attendance, Exemption, Meeting, Membership
from rectification.models import InspectionRound, Measure, Problem, Progress, SignoffStep
from rectification.signals import ledger_changed

from ..group.models import Campaign, GroupMember, Phase
from ..reminders.models import Digest, RobotMessage, SweepRun
from .cache import invalidate


def bump(**kwargs):
    invalidate()
    transaction.on_commit(invalidate)


WATCHED = [Measure, Progress, SignoffStep, Problem, InspectionRound, Department, Cadre, Campaign, Phase, GroupMember]
WATCHED += [Meeting, Attendance, Membership, Exemption]  # the party-building tile


def connect():
    ledger_changed.connect(bump, dispatch_uid="campaign.dashboard.ledger_changed")
    for model in WATCHED:
        uid = f"campaign.dashboard.{model._meta.label_lower}"
        post_save.connect(bump, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(bump, sender=model, dispatch_uid=uid + ".delete")
    m2m_changed.connect(bump, sender=Measure.partner_departments.through, dispatch_uid="campaign.dashboard.partners")
    # The reminder sweep's status line is cached with the figures (the reminders feature's records).
    for model in (SweepRun, Digest, RobotMessage):
        name = model.__name__
        post_save.connect(bump, sender=model, dispatch_uid=f"campaign.dashboard.{name}.save")
        post_delete.connect(bump, sender=model, dispatch_uid=f"campaign.dashboard.{name}.delete")
    # Who sees what: roles (groups) and the cadre behind an account.
    m2m_changed.connect(bump, sender=User.groups.through, dispatch_uid="campaign.dashboard.roles")
