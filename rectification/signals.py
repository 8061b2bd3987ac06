"""Signals the ledger sends so that higher apps (the dashboard cache, reports) can react
without rectification importing them."""

from django.dispatch import Signal

# Sent (after commit) by every service that changes measures, progress, evidence or
# sign-off, and by the import, with kwargs: measure_ids (list[int] or None for "many").
ledger_changed = Signal()
