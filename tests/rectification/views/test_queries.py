"""The ledger page and the measure page make the same number of SQL queries at 20 and at
200 measures (issue 3, item 11)."""

import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rectification import services
from rectification.models import Measure, Problem, Progress
from tests.conftest import login

from ..ledger_support import Ledger, S, T, pdf_upload

STATUSES = [S.NOT_STARTED, S.IN_PROGRESS, S.SUBMITTED, S.LEADER_APPROVED, S.CLOSED]


def grow(ledger, org, total):
    """Bring the ledger up to `total` measures (bulk: the rows matter here, not their history)."""
    rng = random.Random(total)
    depts = [org.dept_a, org.dept_b]
    have = Measure.objects.count()
    start = Problem.objects.filter(round=ledger.round).count() + 1000
    problems = Problem.objects.bulk_create(
        [Problem(round=ledger.round, number=start + i, description=f"问题{i}") for i in range(total - have)]
    )
    measures = []
    for k, problem in enumerate(problems):
        i = have + k
        dept = depts[i % 2]
        term = [T.DEADLINE, T.IMMEDIATE, T.LONG_TERM][i % 3]
        measures.append(
            Measure(
                problem=problem,
                description=f"措施{i}",
                lead_department=dept,
                status=STATUSES[i % len(STATUSES)],
                term=term,
                responsible_leader=org.users["leader" if dept == org.dept_a else "other_leader"].cadre,
                responsible_person=org.users["staff" if dept == org.dept_a else "staff_b"].cadre,
                deadline=None if term == T.LONG_TERM else ledger.days(rng.randint(-30, 90)),
            )
        )
    measures = Measure.objects.bulk_create(measures)
    through = Measure.partner_departments.through
    through.objects.bulk_create(
        [
            through(measure_id=m.pk, department_id=depts[(k + 1) % 2].pk)
            for k, m in enumerate(measures)
            if k % 4 == 0 and m.lead_department_id != depts[(k + 1) % 2].pk
        ]
    )
    Progress.objects.bulk_create(
        [
            Progress(measure=m, date=ledger.days(-rng.randint(0, 100)), text="进展", author=org.users["staff"])
            for m in measures
            for _ in range(2)
        ]
    )


def count(client, url):
    client.get(url)  # warm the per-process caches (the working-day calendar)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["office", "staff", "leader"])
@pytest.mark.parametrize(
    "query",
    [
        "",
        "?status=in_progress&status=submitted&sort=deadline",
        "?flag=overdue&q=措施",
        "?department={dept}&sort=-status",
    ],
)
def test_the_ledger_page_queries_do_not_grow_with_the_ledger(client, org, role, query):
    ledger = Ledger(org)
    login(client, org.users[role])
    url = reverse("rectification:ledger") + query.format(dept=org.dept_a.pk)
    grow(ledger, org, 20)
    small = count(client, url)
    grow(ledger, org, 200)
    large = count(client, url)
    assert small == large


@pytest.mark.parametrize("role", ["office", "staff", "leader"])
def test_the_measure_page_queries_do_not_grow_with_the_ledger(client, org, role):
    ledger = Ledger(org)
    m = ledger.measure(status=S.IN_PROGRESS, deadline=dt.date(2026, 6, 30))
    services.add_progress(m.pk, org.users["staff"], text="第一条", files=[pdf_upload()])
    services.change_deadline(m.pk, org.users["office"], dt.date(2026, 9, 30), "延期")
    login(client, org.users[role])
    url = m.get_absolute_url()
    grow(ledger, org, 20)
    small = count(client, url)
    grow(ledger, org, 200)
    # The measure itself also grows: more progress, files, history and sign-off steps.
    for i in range(10):
        services.add_progress(
            m.pk, org.users["staff"], text=f"进展{i}", files=[pdf_upload(f"材料{i}.pdf", text=f"Evidence {i}")]
        )
        services.update_measure(
            m.pk,
            org.users["office"],
            {"note": f"备注{i}"},
            Measure.objects.get(pk=m.pk).version,
            partner_departments=[org.dept_b] if i % 2 else [],
        )
    large = count(client, url)
    assert small == large


def test_the_rounds_pages_do_not_grow_either(client, org):
    ledger = Ledger(org)
    login(client, org.users["staff"])
    grow(ledger, org, 20)
    small = (
        count(client, reverse("rectification:round_list")),
        count(client, reverse("rectification:round_detail", args=[ledger.round.pk])),
    )
    grow(ledger, org, 200)
    large = (
        count(client, reverse("rectification:round_list")),
        count(client, reverse("rectification:round_detail", args=[ledger.round.pk])),
    )
    assert small == large
