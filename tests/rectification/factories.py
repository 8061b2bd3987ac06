"""Factories for the ledger: rounds, problems, measures, progress, evidence, sign-off steps.

Departments and people come from tests/factories.py (the organisation). A measure needs a
responsible leader and a lead department: pass them (the `org` fixture's people), or the
factories make a leader cadre and a department of their own.
"""

import datetime as dt

import factory

from rectification.models import Evidence, Extension, InspectionRound, Measure, Problem, Progress, SignoffStep

from ..factories import CadreFactory, DepartmentFactory, UserFactory


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InspectionRound

    source = InspectionRound.Source.MUNICIPAL
    title = factory.Sequence(lambda n: f"市委第{n + 1}巡察组反馈问题整改")
    feedback_date = dt.date(2026, 1, 10)


class ProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Problem

    round = factory.SubFactory(RoundFactory)
    number = factory.Sequence(lambda n: n + 1)
    category = "作风建设"
    description = factory.LazyAttribute(lambda p: f"问题{p.number}：窗口服务效率不高")


class MeasureFactory(factory.django.DjangoModelFactory):
    """A measure 限期整改 by default, in progress; `partner_departments=[...]` sets the partners."""

    class Meta:
        model = Measure
        skip_postgeneration_save = True

    problem = factory.SubFactory(ProblemFactory)
    number = 1
    description = factory.Sequence(lambda n: f"措施{n + 1}：修订窗口服务制度")
    responsible_leader = factory.SubFactory(CadreFactory, is_leader=True)
    lead_department = factory.SubFactory(DepartmentFactory)
    status = Measure.Status.IN_PROGRESS
    term = Measure.Term.DEADLINE
    deadline = dt.date(2026, 6, 30)

    @factory.post_generation
    def partner_departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.partner_departments.set(extracted)


class ProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Progress

    measure = factory.SubFactory(MeasureFactory)
    date = dt.date(2026, 4, 1)
    text = factory.Sequence(lambda n: f"进展{n}")
    author = factory.SubFactory(UserFactory)


class EvidenceFactory(factory.django.DjangoModelFactory):
    """An Evidence row whose file is only a name (for lists and exports, not downloads)."""

    class Meta:
        model = Evidence

    measure = factory.SubFactory(MeasureFactory)
    file = factory.LazyAttributeSequence(lambda e, n: f"evidence/{e.measure.pk}/{n}.pdf")
    original_name = factory.Sequence(lambda n: f"佐证{n}.pdf")
    size = 10
    sha256 = "0" * 64
    content_type = "application/pdf"
    uploaded_by = factory.SubFactory(UserFactory)


class SignoffStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignoffStep

    measure = factory.SubFactory(MeasureFactory)
    action = SignoffStep.Action.SUBMIT
    from_status = Measure.Status.IN_PROGRESS
    to_status = Measure.Status.SUBMITTED
    actor = factory.SubFactory(UserFactory)


class ExtensionFactory(factory.django.DjangoModelFactory):
    """An approved extension by 30 days of the measure's deadline (pass status= for a pending one)."""

    class Meta:
        model = Extension

    measure = factory.SubFactory(MeasureFactory)
    status = Extension.Status.APPROVED
    old_deadline = factory.LazyAttribute(lambda e: e.measure.deadline)
    new_deadline = factory.LazyAttribute(lambda e: e.old_deadline + dt.timedelta(days=30))
    reason = "需上级部门配合"
    requested_by = factory.SubFactory(UserFactory)
