import pytest

from core import dates

from .support import AS_OF


@pytest.fixture
def on_report_day(monkeypatch):
    """Freeze the ledger's 'today' (dates.today: overdue, the filter, the form)."""
    monkeypatch.setattr(dates, "today", lambda: AS_OF)
    return AS_OF
