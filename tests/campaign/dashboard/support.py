"""Helpers for the dashboard tests: a varied ledger made directly with the models,
with dates relative to today (the dashboard counts against today)."""

import datetime as dt
import json
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from django.http import QueryDict

from core import dates
from rectification.filters import MeasureFilter
from rectification.models import InspectionRound, Measure
from rectification.selectors import visible_measures
from tests.rectification.factories import MeasureFactory, ProblemFactory, ProgressFactory, RoundFactory

S = Measure.Status
SOURCES = [InspectionRound.Source.MUNICIPAL, InspectionRound.Source.PROVINCIAL, InspectionRound.Source.AUDIT]


class Ledger:
    def __init__(self, org):
        self.org = org
        self.rounds = {
            source: RoundFactory(source=source, title=f"{source}反馈", feedback_date=dt.date(2026, 1, 10))
            for source in SOURCES
        }
        self.problems = 0
        self.today = dates.today()

    def measure(
        self,
        *,
        dept=None,
        leader="leader",
        status=S.IN_PROGRESS,
        deadline=None,
        term=Measure.Term.DEADLINE,
        source=InspectionRound.Source.MUNICIPAL,
        completed_on=None,
        partners=(),
        person="staff",
        description=None,
    ) -> Measure:
        self.problems += 1
        problem = ProblemFactory(
            round=self.rounds[source], number=self.problems, description=f"问题{self.problems}：审批时限偏长"
        )
        users = self.org.users
        return MeasureFactory(
            problem=problem,
            description=description or f"整改措施{self.problems}：修订完善制度",
            responsible_leader=users[leader].cadre,
            lead_department=dept or self.org.dept_a,
            responsible_person=users[person].cadre if person else None,
            status=status,
            deadline=deadline,
            term=term,
            completed_on=completed_on,
            partner_departments=list(partners),
        )

    def progress(self, measure, on=None, author="staff"):
        return ProgressFactory(
            measure=measure, date=on or self.today, text="已召开专题会议研究整改", author=self.org.users[author]
        )

    def days(self, n: int) -> dt.date:
        return self.today + dt.timedelta(days=n)

    def scenario(self) -> dict:
        """Measures of every kind the dashboard counts, in both departments."""
        o, t = self.org, self.today
        first_of_month = t.replace(day=1)
        last_month = (first_of_month - dt.timedelta(days=1)).replace(day=10)
        made = {
            # dept_a (overseen by `leader`)
            "overdue_3": self.measure(deadline=self.days(-3)),
            "overdue_20": self.measure(status=S.NOT_STARTED, deadline=self.days(-20), source=SOURCES[1]),
            "overdue_100": self.measure(status=S.SUBMITTED, deadline=self.days(-100)),
            "due_soon": self.measure(deadline=t),
            "closed_now": self.measure(status=S.CLOSED, deadline=self.days(-1), completed_on=t, source=SOURCES[2]),
            "closed_before": self.measure(status=S.CLOSED, deadline=self.days(-30), completed_on=last_month),
            "stage": self.measure(status=S.STAGE_COMPLETE, term=Measure.Term.LONG_TERM),
            "approved": self.measure(status=S.LEADER_APPROVED, deadline=self.days(60), source=SOURCES[1]),
            "submitted_other": self.measure(status=S.SUBMITTED, deadline=self.days(30), leader="other_leader"),
            # dept_b (overseen by `other_leader`)
            "b_partner_a": self.measure(
                dept=o.dept_b,
                leader="other_leader",
                deadline=self.days(-50),
                partners=[o.dept_a, o.office_dept],
                person="staff_b",
            ),
            "b_closed": self.measure(
                dept=o.dept_b, leader="other_leader", status=S.CLOSED, completed_on=t, person="staff_b"
            ),
            "b_led_by_leader": self.measure(dept=o.dept_b, leader="leader", deadline=self.days(90), person="staff_b"),
            "b_submitted": self.measure(
                dept=o.dept_b,
                leader="other_leader",
                status=S.SUBMITTED,
                deadline=self.days(10),
                person="staff_b",
                source=SOURCES[2],
            ),
            "b_overdue_long": self.measure(
                dept=o.dept_b, leader="other_leader", status=S.NOT_STARTED, deadline=self.days(-200), person="staff_b"
            ),
        }
        self.progress(made["overdue_3"])
        self.progress(made["overdue_3"])
        self.progress(made["b_partner_a"], author="staff_b")
        self.progress(made["due_soon"], on=last_month)
        return made


def page_links(html: str) -> list[tuple[str, int, str]]:
    """Every (ledger URL, count, what) the rendered dashboard offers: headline tiles,
    chart points (json_script) and the leaders' table."""
    links = [
        (unescape(url), int(count), f"tile {key}")
        for url, key, count in re.findall(r'href="([^"]+)" data-figure="(\w+)" data-count="(\d+)"', html)
    ]
    match = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html, re.S)
    if match:
        charts = json.loads(match.group(1))
        for series in charts["by_source"]["series"]:
            links += [(p["url"], p["value"], f"source {series['name']}") for p in series["data"]]
        links += [(p["url"], p["total"], "department") for p in charts["departments"]["data"]]
        links += [(p["url"], p["value"], "closed month") for p in charts["closed"]["data"]]
        links += [(p["url"], p["value"], "overdue bucket") for p in charts["overdue"]["data"]]
    table = re.search(r'id="leader-table".*?</table>', html, re.S)
    if table:
        links += [
            (unescape(url), int(n), "leader table")
            for url, n in re.findall(r'<a href="([^"]+)"[^>]*>(\d+)</a>', table.group(0))
        ]
    return links


def ledger_count(user, url: str) -> int:
    """What the ledger counts for this link: MeasureFilter over visible_measures, as the
    ledger view does."""
    query = urlsplit(url).query
    params = QueryDict(query)
    whole = params.get("scope") == "all"
    return MeasureFilter(params, queryset=visible_measures(user, whole_bureau=whole)).qs.count()


def query_of(url: str) -> dict:
    return parse_qs(urlsplit(url).query)
