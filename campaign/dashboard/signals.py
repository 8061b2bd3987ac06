"""Keeps the dashboard's cache honest: every write that can change a figure bumps the
versions of the scopes it changes (dashboard.cache), at once and again after commit, so a
request that computed figures inside the writer's transaction window cannot keep stale
ones alive.

A write to the ledger (a measure, its progress, sign-off steps, partner departments)
bumps the whole bureau, the measure's lead and partner departments and its responsible
leader and person, read before and after the change; everything else (people,
departments, the campaign, party building, the reminder sweep's status) bumps every scope.
"""

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from cadres.models import Cadre, Department
from partybuilding.models import Attendance, Exemption, Meeting, Membership
from rectification.models import InspectionRound, Measure, Problem, Progress, SignoffStep
from rectification.signals import ledger_changed

from ..group.models import Campaign, GroupMember, Phase
from ..reminders.models import Digest, RobotMessage, SweepRun
from . import cache as dash_cache

PARTNERS = Measure.partner_departments.through


def measure_keys(measure_ids) -> set[str]:
    """The version keys of these measures as they are in the database now (one query)."""
    keys = {dash_cache.BUREAU}
    rows = Measure.objects.filter(pk__in=list(measure_ids)).values_list(
        "lead_department_id", "responsible_leader_id", "responsible_person_id", "partner_departments"
    )
    for lead, leader, person, partner in rows:
        keys |= {dash_cache.department_key(d) for d in (lead, partner) if d is not None}
        keys |= {dash_cache.cadre_key(c) for c in (leader, person) if c is not None}
    return keys


def _bump_now_and_on_commit(keys) -> None:
    keys = set(keys)
    dash_cache.bump(keys)
    transaction.on_commit(lambda: dash_cache.bump(keys))


def bump(**kwargs):
    """Every scope: for the writes whose reach is not one measure's."""
    _bump_now_and_on_commit([dash_cache.EVERYTHING])


def bump_measure(sender, instance, raw=False, **kwargs):
    """A measure saved or deleted: its departments and people before (pre_save,
    pre_delete) and after (post_save) the change."""
    if raw or instance.pk is None:
        return
    _bump_now_and_on_commit(measure_keys([instance.pk]))


def bump_row_of_measure(sender, instance, raw=False, **kwargs):
    """A progress entry or a sign-off step: its measure's scopes."""
    if not raw:
        _bump_now_and_on_commit(measure_keys([instance.measure_id]))


def bump_partners(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("pre_clear", "post_add", "post_remove"):
        return
    if reverse:  # department.measure_set changed: the department and those measures
        measure_ids = pk_set or instance.partner_measures.values_list("pk", flat=True)
        _bump_now_and_on_commit(measure_keys(measure_ids) | {dash_cache.department_key(instance.pk)})
        return
    departments = {dash_cache.department_key(pk) for pk in pk_set or ()}
    _bump_now_and_on_commit(measure_keys([instance.pk]) | departments)


def announced(measure_ids=None, **kwargs):
    """ledger_changed: measure_ids, or None for "many" (an import): then every scope."""
    if measure_ids is None:
        bump()
    else:
        _bump_now_and_on_commit(measure_keys(measure_ids))


WATCHED = [Problem, InspectionRound, Department, Cadre, Campaign, Phase, GroupMember]
WATCHED += [Meeting, Attendance, Membership, Exemption]  # the party-building tile


def connect():
    ledger_changed.connect(announced, dispatch_uid="campaign.dashboard.ledger_changed")
    for model in WATCHED:
        uid = f"campaign.dashboard.{model._meta.label_lower}"
        post_save.connect(bump, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(bump, sender=model, dispatch_uid=uid + ".delete")
    for name, signal in (("pre_save", pre_save), ("save", post_save), ("pre_delete", pre_delete)):
        signal.connect(bump_measure, sender=Measure, dispatch_uid=f"campaign.dashboard.measure.{name}")
    for model in (Progress, SignoffStep):
        uid = f"campaign.dashboard.{model._meta.label_lower}"
        post_save.connect(bump_row_of_measure, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(bump_row_of_measure, sender=model, dispatch_uid=uid + ".delete")
    m2m_changed.connect(bump_partners, sender=PARTNERS, dispatch_uid="campaign.dashboard.partners")
    # The reminder sweep's status line is cached with the figures (the reminders feature's records).
    for model in (SweepRun, Digest, RobotMessage):
        name = model.__name__
        post_save.connect(bump, sender=model, dispatch_uid=f"campaign.dashboard.{name}.save")
        post_delete.connect(bump, sender=model, dispatch_uid=f"campaign.dashboard.{name}.delete")
    # Who sees what: roles (groups) and the cadre behind an account.
    m2m_changed.connect(bump, sender=User.groups.through, dispatch_uid="campaign.dashboard.roles")
