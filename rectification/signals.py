"""Signals the ledger sends so that higher apps (the dashboard cache, reports) can react
without rectification importing them."""

from django.db import transaction
from django.dispatch import Signal

from .models import Measure

# Sent (after commit) by every service that changes measures, progress, evidence or
# sign-off, and by the import, with kwargs: measure_ids (list[int] or None for "many").
ledger_changed = Signal()


def announce_change(measure_ids) -> None:
    """Send ledger_changed once the current transaction commits (measure_ids None: "many")."""
    ids = list(measure_ids) if measure_ids is not None else None
    transaction.on_commit(lambda: ledger_changed.send(sender=Measure, measure_ids=ids))
