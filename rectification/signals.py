"""Signals the ledger sends so that higher apps (the dashboard cache, reports) can react
without rectification importing them."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

from cadres.models import Cadre, Department

from . import selectors
from .models import InspectionRound, Measure

# Sent (after commit) by every service that changes measures, progress, evidence or
# sign-off, and by the import, with kwargs: measure_ids (list[int] or None for "many").
ledger_changed = Signal()


def announce_change(measure_ids) -> None:
    """Send ledger_changed once the current transaction commits (measure_ids None: "many")."""
    ids = list(measure_ids) if measure_ids is not None else None
    transaction.on_commit(lambda: ledger_changed.send(sender=Measure, measure_ids=ids))


def connect_filter_choices() -> None:
    """Forget the ledger filter's cached options when a round, department or cadre changes
    (called once from RectificationConfig.ready)."""
    for model in (InspectionRound, Department, Cadre):
        for signal in (post_save, post_delete):
            signal.connect(
                selectors.forget_filter_choices, sender=model, dispatch_uid=f"filter-choices-{model.__name__}"
            )
