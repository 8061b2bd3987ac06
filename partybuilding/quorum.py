"""应到/实到 of a meeting, counted separately for formal and probationary members, and the
quorum rules of 中国共产党支部工作条例（试行）:

- Art. 11: a 支部党员大会 may vote only with more than half of the members with voting
  rights (formal members not on probation or suspended, and due to attend) present;
- Art. 12: a 支部委员会会议 needs more than half of the committee present.

`counts` works on Attendance rows (or anything with status, formal, counted, has_vote and
committee), so the record form can check what is being typed before anything is saved.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Attendance, Meeting

A = Attendance.Status


@dataclass(frozen=True)
class Counts:
    expected_formal: int
    expected_probationary: int
    present_formal: int
    present_probationary: int
    leave: int
    absent: int

    @property
    def expected(self) -> int:
        return self.expected_formal + self.expected_probationary

    @property
    def present(self) -> int:
        return self.present_formal + self.present_probationary

    @property
    def rate(self) -> float | None:
        return self.present / self.expected if self.expected else None


def counts(rows) -> Counts:
    rows = [r for r in rows if r.counted]
    present = [r for r in rows if r.status == A.PRESENT]
    return Counts(
        expected_formal=sum(1 for r in rows if r.formal),
        expected_probationary=sum(1 for r in rows if not r.formal),
        present_formal=sum(1 for r in present if r.formal),
        present_probationary=sum(1 for r in present if not r.formal),
        leave=sum(1 for r in rows if r.status in (A.LEAVE, A.LEAVE_REQUESTED)),
        absent=sum(1 for r in rows if r.status == A.ABSENT),
    )


@dataclass(frozen=True)
class Quorum:
    applies: bool  # the kind of meeting has a quorum rule
    base: int  # members with voting rights (Art. 11) or committee members (Art. 12)
    present: int

    @property
    def met(self) -> bool:
        return not self.applies or self.present * 2 > self.base

    @property
    def needed(self) -> int:
        """The smallest number present that is more than half."""
        return self.base // 2 + 1


def quorum(kind: str, rows) -> Quorum:
    if kind == Meeting.Kind.GENERAL:
        voters = [r for r in rows if r.counted and r.has_vote]
    elif kind == Meeting.Kind.COMMITTEE:
        voters = [r for r in rows if r.committee]
    else:
        return Quorum(applies=False, base=0, present=0)
    return Quorum(applies=True, base=len(voters), present=sum(1 for r in voters if r.status == A.PRESENT))
