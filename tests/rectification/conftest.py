"""Fixtures shared by the ledger's tests."""

import datetime as dt

import pytest

from .factories import RoundFactory


@pytest.fixture
def round_(org):
    """A 市委巡察 round with no problems yet (imports and exports start here)."""
    return RoundFactory(title="市委第一巡察组反馈", feedback_date=dt.date(2026, 3, 1))
