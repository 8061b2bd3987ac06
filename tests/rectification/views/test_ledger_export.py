"""The ledger's xlsx export: exactly the filtered, scoped measures, reopened with openpyxl."""

import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from ..factories import EvidenceFactory, ExtensionFactory, MeasureFactory, ProblemFactory, ProgressFactory
from ..test_tables import HEADERS

pytestmark = pytest.mark.django_db
URL = "/rectification/export/"


def make(
    round_,
    org,
    number,
    *,
    dept=None,
    partners=(),
    description="措施",
    status="in_progress",
    term="deadline",
    deadline=dt.date(2026, 6, 30),
    progress=0,
    evidence=0,
    person="staff",
    **extra,
):
    m = MeasureFactory(
        problem=ProblemFactory(round=round_, number=number, description=f"问题{number}"),
        description=description,
        responsible_leader=org.users["leader"].cadre,
        lead_department=dept or org.dept_a,
        responsible_person=org.users[person].cadre if person else None,
        term=term,
        deadline=deadline,
        status=status,
        partner_departments=list(partners),
        **extra,
    )
    staff = org.users["staff"]
    for i in range(progress):
        ProgressFactory(measure=m, date=dt.date(2026, 4, 1) + dt.timedelta(days=i), text=f"进展{i}", author=staff)
    for i in range(evidence):
        EvidenceFactory(measure=m, file=f"evidence/{m.pk}/{i}.pdf", original_name=f"佐证{i}.pdf", uploaded_by=staff)
    return m


def sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment; filename*=UTF-8''" in response["Content-Disposition"]
    wb = load_workbook(BytesIO(response.content))
    return wb.worksheets[0]


def data_rows(ws):
    return [list(r) for r in ws.iter_rows(min_row=3, values_only=True)]


def test_export_layout_and_values(client_as, round_, org):
    m = make(
        round_,
        org,
        1,
        partners=[org.dept_b, org.office_dept],
        description='=HYPERLINK("http://x","点我")',
        progress=3,
        evidence=2,
        goal="目标",
        note="-备注",
    )
    make(round_, org, 2, term="long_term", deadline=None, status="stage_complete", completed_on=dt.date(2026, 5, 1))
    ExtensionFactory(measure=m, old_deadline=dt.date(2026, 5, 31), new_deadline=dt.date(2026, 6, 30))
    ExtensionFactory(
        measure=m, status="leader_review", old_deadline=dt.date(2026, 6, 30), new_deadline=dt.date(2026, 8, 31)
    )
    ExtensionFactory(measure=m, status="refused", old_deadline=dt.date(2026, 6, 30), new_deadline=dt.date(2026, 12, 31))
    ws = sheet(client_as("office").get(URL))

    assert ws.title == "整改台账"
    assert "整改台账" in ws["A1"].value
    assert [c.value for c in ws[2]] == HEADERS
    assert ws.freeze_panes == "A3"
    assert ws.print_title_rows == "$2:$2"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"  # A4
    assert ws.column_dimensions["D"].width > ws.column_dimensions["A"].width
    assert ws["A2"].font.b
    first, second = data_rows(ws)
    values = dict(zip(HEADERS, first, strict=True))
    assert values["序号"] == f"1.{m.number}"
    assert values["问题来源"] == "市委第一巡察组反馈"
    assert values["整改措施"].startswith("'=")  # neutralised: no formula runs
    assert values["备注"] == "'-备注"
    assert ws.cell(row=3, column=6).data_type == "s"
    assert values["配合科室"] == "执法监督科、办公室" or values["配合科室"] == "办公室、执法监督科"
    assert values["责任领导"] == "李红梅" and values["牵头科室"] == "行政审批科" and values["责任人"] == "staff"
    assert values["时限类别"] == "限期整改"
    assert isinstance(values["整改时限"], dt.datetime) and values["整改时限"].date() == dt.date(2026, 6, 30)
    assert ws.cell(row=3, column=12).is_date
    assert values["延期情况"] == "延期1次，共30天\n申请延期至2026-08-31"  # refused requests do not count
    assert values["整改进展"] == "2026-04-03 进展2"  # the latest entry
    assert "佐证0.pdf" in values["佐证材料"] and "佐证1.pdf" in values["佐证材料"] and "2" in values["佐证材料"]
    assert ws.cell(row=3, column=4).alignment.wrap_text
    other = dict(zip(HEADERS, second, strict=True))
    assert other["整改时限"] == "长期坚持" and other["时限类别"] == "长期坚持"
    assert other["完成情况"].startswith("阶段性完成") and "2026-05-01" in other["完成情况"]


def test_export_respects_the_ledger_filters(client_as, round_, org):
    make(round_, org, 1, description="修订制度", status="closed")
    make(round_, org, 2, description="开展检查", status="in_progress")
    make(round_, org, 3, description="修订流程", status="in_progress", dept=org.dept_b)
    client = client_as("office")
    assert [r[5] for r in data_rows(sheet(client.get(URL, {"status": "in_progress"})))] == ["开展检查", "修订流程"]
    assert [r[5] for r in data_rows(sheet(client.get(URL, {"q": "修订"})))] == ["修订制度", "修订流程"]
    assert [r[5] for r in data_rows(sheet(client.get(URL, {"department": org.dept_b.pk})))] == ["修订流程"]
    assert len(data_rows(sheet(client.get(URL)))) == 3


def test_export_is_scoped_to_the_users_departments(client_as, round_, org):
    make(round_, org, 1, description="甲科牵头")
    make(round_, org, 2, description="乙科牵头", dept=org.dept_b, person="staff_b")
    make(round_, org, 3, description="乙科牵头甲科配合", dept=org.dept_b, partners=[org.dept_a], person=None)
    assert [r[5] for r in data_rows(sheet(client_as("staff").get(URL)))] == ["甲科牵头", "乙科牵头甲科配合"]
    assert [r[5] for r in data_rows(sheet(client_as("staff_b").get(URL)))] == ["乙科牵头", "乙科牵头甲科配合"]
    # scope=all widens the view only for bureau leaders.
    assert len(data_rows(sheet(client_as("staff").get(URL, {"scope": "all"})))) == 2
    assert len(data_rows(sheet(client_as("leader").get(URL, {"scope": "all"})))) == 3


def test_empty_export_still_has_the_header(client_as, org):
    ws = sheet(client_as("staff").get(URL))
    assert [c.value for c in ws[2]] == HEADERS and data_rows(ws) == []


def test_anonymous_cannot_export(client, org):
    assert client.get(URL).status_code == 302


def _count_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_rows(client_as, round_, org):
    client = client_as("staff")
    for n in range(1, 11):
        make(round_, org, n, partners=[org.dept_b], progress=2, evidence=1)
    ten = _count_queries(client)
    for n in range(11, 101):
        make(round_, org, n, partners=[org.dept_b], progress=2, evidence=1)
    hundred = _count_queries(client)
    assert hundred == ten
