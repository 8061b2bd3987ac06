"""A bureau with two branches: `party.a` (secretary `sec_a`, commissioner `com_a`, members
with accounts `m1` (formal), `m2` (formal), `p1` (probationary), a member `away` not
counted, two groups) and `party.b` (secretary `sec_b`, member `m_b`)."""

import datetime as dt

import pytest

from cadres import roles
from partybuilding.models import Membership

from ..factories import DepartmentFactory, person
from .factories import BranchFactory, MembershipFactory, PartyGroupFactory

R = Membership.CommitteeRole


@pytest.fixture
def party(org):
    dept_a, dept_b = org.dept_a, org.dept_b
    users = {
        "sec_a": person("sec_a", dept_a, roles.SECRETARY, roles.STAFF, name="马文博"),
        "com_a": person("com_a", dept_a, roles.STAFF, name="周志刚"),
        "m1": person("m1", dept_a, roles.STAFF, name="孙丽娟"),
        "m2": person("m2", dept_a, roles.STAFF, name="王伟"),
        "p1": person("p1", dept_a, roles.STAFF, name="李四"),
        "away": person("away", dept_a, roles.STAFF, name="赵六"),
        "sec_b": person("sec_b", dept_b, roles.SECRETARY, roles.STAFF, name="张三"),
        "m_b": person("m_b", dept_b, roles.STAFF, name="刘洋"),
    }
    a = BranchFactory(name="机关第二党支部", secretary=users["sec_a"].cadre, commissioner=users["com_a"].cadre)
    a.departments.set([dept_a])
    b = BranchFactory(name="机关第三党支部", secretary=users["sec_b"].cadre)
    b.departments.set([dept_b])
    g1, g2 = PartyGroupFactory(branch=a, name="第一党小组"), PartyGroupFactory(branch=a, name="第二党小组")
    memberships = {
        "sec_a": MembershipFactory(cadre=users["sec_a"].cadre, branch=a, group=g1, committee_role=R.SECRETARY),
        "com_a": MembershipFactory(cadre=users["com_a"].cadre, branch=a, group=g1, committee_role=R.COMMISSIONER),
        "m1": MembershipFactory(cadre=users["m1"].cadre, branch=a, group=g1, committee_role=R.PROPAGANDA),
        "m2": MembershipFactory(cadre=users["m2"].cadre, branch=a, group=g2),
        "p1": MembershipFactory(cadre=users["p1"].cadre, branch=a, group=g2, status=Membership.Status.PROBATIONARY),
        "away": MembershipFactory(
            cadre=users["away"].cadre,
            branch=a,
            group=g2,
            not_counted=Membership.NotCounted.AWAY,
            not_counted_from=dt.date(2026, 1, 1),
        ),
        "sec_b": MembershipFactory(cadre=users["sec_b"].cadre, branch=b, committee_role=R.SECRETARY),
        "m_b": MembershipFactory(cadre=users["m_b"].cadre, branch=b),
    }

    class Party:
        pass

    p = Party()
    p.a, p.b, p.g1, p.g2, p.users, p.memberships = a, b, g1, g2, users, memberships
    p.other_dept = DepartmentFactory(name="规划建设科")
    return p


@pytest.fixture
def today_is(monkeypatch):
    """Fix core.dates.today() to a given day."""
    from core import dates

    def _set(day: dt.date):
        monkeypatch.setattr(dates, "today", lambda: day)

    return _set
