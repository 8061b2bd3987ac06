"""Helpers for the reminder tests: measures made directly with the models."""

import datetime as dt

from django.utils import timezone

from rectification.models import InspectionRound, Measure, SignoffStep
from tests.rectification.factories import MeasureFactory, ProblemFactory, RoundFactory, SignoffStepFactory

# A Monday that is an ordinary working day in the 2026 calendar.
DAY = dt.date(2026, 3, 30)


class Ledger:
    def __init__(self, org):
        self.org = org
        self.round = RoundFactory(
            source=InspectionRound.Source.MUNICIPAL, title="市委第三巡察组反馈意见", feedback_date=dt.date(2026, 1, 10)
        )
        self.problem = ProblemFactory(round=self.round, number=1, description="审批事项办理时限偏长")
        self.count = 0

    def measure(
        self,
        deadline=None,
        *,
        person="staff",
        department=None,
        leader="leader",
        status=Measure.Status.IN_PROGRESS,
        term=Measure.Term.DEADLINE,
        description=None,
    ) -> Measure:
        self.count += 1
        users = self.org.users
        return MeasureFactory(
            problem=self.problem,
            number=self.count,
            description=description or f"整改措施{self.count}：修订完善审批制度",
            responsible_leader=users[leader].cadre,
            lead_department=department or self.org.dept_a,
            responsible_person=users[person].cadre if person else None,
            term=term,
            deadline=deadline,
            status=status,
        )

    def step(self, measure, to_status, on: dt.date, actor="head"):
        """A sign-off step dated `on` (09:00 local time)."""
        action = {
            Measure.Status.SUBMITTED: SignoffStep.Action.SUBMIT,
            Measure.Status.LEADER_APPROVED: SignoffStep.Action.LEADER_APPROVE,
        }[to_status]
        step = SignoffStepFactory(
            measure=measure,
            action=action,
            from_status=measure.status,
            to_status=to_status,
            actor=self.org.users[actor],
        )
        when = timezone.make_aware(dt.datetime.combine(on, dt.time(9, 0)))
        SignoffStep.objects.filter(pk=step.pk).update(created_at=when)
        Measure.objects.filter(pk=measure.pk).update(status=to_status)
        return step


def kinds_by_user(sweep):
    """{username: {(kind, measure id)}} of what a sweep recorded."""
    from campaign.models import ReminderRecord

    out: dict[str, set] = {}
    for record in ReminderRecord.objects.filter(sweep=sweep).select_related("recipient"):
        out.setdefault(record.recipient.username, set()).add((record.kind, int(record.item_key.split(":")[1])))
    return out
