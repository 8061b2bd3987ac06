"""Fixtures of the page tests: a small ledger in every status for the `org` fixture."""

import pytest

from ..ledger_support import Ledger, S, T


@pytest.fixture
def ledger(org):
    ledger = Ledger(org)
    ledger.a_overdue = ledger.measure(description="整改窗口作风问题", deadline=ledger.days(-5))
    ledger.a_soon = ledger.measure(description="修订审批制度", deadline=ledger.days(1), status=S.SUBMITTED)
    ledger.a_long = ledger.measure(description="建立长效机制", term=T.LONG_TERM, status=S.STAGE_COMPLETE)
    ledger.b_partner = ledger.measure(
        dept=org.dept_b,
        leader="other_leader",
        person="staff_b",
        partners=[org.dept_a],
        description="联合执法检查",
        round_=ledger.other_round,
    )
    ledger.b_only = ledger.measure(
        dept=org.dept_b,
        leader="other_leader",
        person="staff_b",
        description="执法案卷评查",
        status=S.CLOSED,
        round_=ledger.other_round,
        problem_text="执法案卷不规范",
    )
    return ledger
