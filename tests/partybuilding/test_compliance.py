"""The compliance matrix, its upward tables, the six-month flag, and query counts that do
not grow with the number of branches, members and meetings."""

import datetime as dt
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from partybuilding import compliance
from partybuilding import obligations as ob
from partybuilding.models import Attendance, Branch, Exemption, Meeting
from partybuilding.selectors import inactive_members

from ..conftest import login
from .factories import BranchFactory, MembershipFactory, PartyGroupFactory, meeting_with_list

A = Attendance.Status
K = Meeting.Kind
D = dt.date


def _cell(matrix, branch, key, month):
    row = next(r for r in matrix.rows_of(branch) if r.rule.key == key)
    return next(c for c in row.cells if c.start.month <= month <= c.end.month)


def test_each_obligation_met_missing_not_due_or_exempt(party):
    meeting_with_list(party.a, kind=K.COMMITTEE, held_on=D(2026, 1, 10))
    meeting_with_list(party.a, kind=K.GROUP, group=party.g1, held_on=D(2026, 1, 18))
    meeting_with_list(party.a, kind=K.LESSON, held_on=D(2026, 2, 25), lecturer=party.a.secretary)
    Exemption.objects.create(
        branch=party.a,
        obligation="activity_day",
        first_month=D(2026, 1, 1),
        last_month=D(2026, 2, 1),
        reason="支部调整",
    )
    matrix = compliance.year_matrix([party.a], 2026, D(2026, 3, 15))
    assert _cell(matrix, party.a, "committee", 1).state == ob.MET
    assert _cell(matrix, party.a, "committee", 2).state == ob.MISSING
    assert _cell(matrix, party.a, "committee", 3).state == ob.NOT_DUE
    group = _cell(matrix, party.a, "group", 1)
    assert group.state == ob.MISSING and group.label == "1/2"  # one of the two groups met
    assert _cell(matrix, party.a, "lesson", 2).state == ob.MET  # in the quarter, before it ends
    assert _cell(matrix, party.a, "lesson", 4).state == ob.NOT_DUE
    assert _cell(matrix, party.a, "secretary_lesson", 2).state == ob.MET
    exempt = _cell(matrix, party.a, "activity_day", 2)
    assert exempt.state == ob.EXEMPT and exempt.reason == "支部调整"
    general = _cell(matrix, party.a, "general", 1)
    assert general.state == ob.NOT_DUE, (general.rule, general.held)
    assert "kind=committee" in _cell(matrix, party.a, "committee", 1).link


def test_a_branch_founded_mid_year_owes_nothing_before(party):
    party.a.founded_on = D(2026, 5, 10)
    party.a.save()
    matrix = compliance.year_matrix([party.a], 2026, D(2026, 8, 1))
    assert _cell(matrix, party.a, "committee", 4).state == ob.EXEMPT
    assert _cell(matrix, party.a, "committee", 6).state == ob.MISSING


def test_the_page_links_each_cell_and_exports_the_upward_tables(client, org, party):
    meeting_with_list(party.a, kind=K.COMMITTEE, held_on=D(2026, 1, 10))
    meeting_with_list(party.a, kind=K.ACTIVITY_DAY, held_on=D(2026, 1, 28), status=A.PRESENT)
    client = login(client, org.users["office"])
    html = client.get("/partybuilding/compliance/?year=2026").content.decode()
    assert "机关第二党支部" in html and "机关第三党支部" in html
    assert "/partybuilding/meetings/?branch=" in html
    book = load_workbook(io.BytesIO(client.get("/partybuilding/compliance/?year=2026&format=xlsx").content))
    assert book.sheetnames == ["年度统计表", "季度汇总"]
    annual = list(book["年度统计表"].iter_rows(values_only=True))
    line = next(r for r in annual if r[1] == "机关第二党支部")
    assert line[0] == 1 and line[2] == "✓" and line[3] in ("", None)
    quarterly = list(book["季度汇总"].iter_rows(values_only=True))
    assert quarterly[1] == ("党支部", "季度", "应完成", "已完成", "是否完成", "会议数", "免除")


def test_a_secretary_sees_only_their_branch_in_the_matrix(client, org, party):
    html = login(client, party.users["sec_a"]).get("/partybuilding/compliance/").content.decode()
    assert "机关第二党支部" in html and "机关第三党支部" not in html


def test_member_attendance_rates(client, org, party):
    meeting = meeting_with_list(party.a, held_on=D(2026, 1, 28), status=A.PRESENT)
    Attendance.objects.filter(meeting=meeting, cadre=party.users["m2"].cadre).update(status=A.LEAVE)
    html = (
        login(client, org.users["office"])
        .get(f"/partybuilding/compliance/?year=2026&branch={party.a.pk}")
        .content.decode()
    )
    assert 'id="members"' in html and "0.0%" in html and "100.0%" in html


def test_six_months_without_organisational_life_is_flagged(party):
    for month in range(1, 9):
        meeting = meeting_with_list(party.a, held_on=D(2026, month, 28), status=A.PRESENT)
        Attendance.objects.filter(meeting=meeting, cadre=party.users["m2"].cadre).update(status=A.ABSENT)
    # m1 was absent too, but made it up in July.
    Attendance.objects.filter(meeting__held_on=D(2026, 7, 28), cadre=party.users["m1"].cadre).update(
        status=A.ABSENT, makeup_on=D(2026, 7, 30)
    )
    flagged = {m.cadre.name for m in inactive_members([party.a.pk], D(2026, 9, 1))}
    assert flagged == {"王伟"}  # not the member who is not counted (away), not m1


def _build(branches: int, members: int, months: int = 12):
    """`branches` branches × `members` members, a committee meeting and an activity day a month."""
    for b in range(branches):
        branch = BranchFactory(name=f"压测支部{b}-{members}")
        PartyGroupFactory(branch=branch)
        for _m in range(members):
            MembershipFactory(branch=branch)
        for month in range(1, months + 1):
            meeting_with_list(branch, kind=K.ACTIVITY_DAY, held_on=D(2026, month, 28), status=A.PRESENT)


def test_the_compliance_page_makes_the_same_number_of_queries_for_more_data(client, org, party):
    client = login(client, org.users["office"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/partybuilding/compliance/?year=2026").status_code == 200
        return len(ctx.captured_queries)

    _build(1, 2, 2)
    small = count()
    _build(4, 6, 6)
    assert count() == small
    assert Branch.objects.count() >= 7


def test_the_annual_table_has_the_bureau_s_two_level_header(client, org, party):
    """党支部 | 支委会: 1月…12月, 按时开展月份数, 完成率 | 党员集体活动: the same — the parent
    cells merged across their columns, the leading columns merged down both header rows."""
    meeting_with_list(party.a, kind=K.COMMITTEE, held_on=D(2026, 1, 10))
    meeting_with_list(party.a, kind=K.ACTIVITY_DAY, held_on=D(2026, 3, 30))
    response = login(client, org.users["office"]).get("/partybuilding/compliance/?year=2026&format=xlsx")
    ws = load_workbook(io.BytesIO(response.content))["年度统计表"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A2:A3", "B2:B3", "C2:P2", "Q2:AD2"} <= merged
    assert ws["A1"].value == "2026年党支部组织生活开展情况统计表" and "A1:AD1" in merged
    assert [ws["A2"].value, ws["B2"].value, ws["C2"].value, ws["Q2"].value] == [
        "序号",
        "党支部",
        "支委会",
        "党员集体活动",
    ]
    months = [c.value for c in ws[3][2:16]]
    assert months == [f"{m}月" for m in range(1, 13)] + ["按时开展月份数", "完成率"]
    assert [c.value for c in ws[3][16:30]] == months
    assert ws.freeze_panes == "C4"
    rows = {r[1]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    second = rows["机关第二党支部"]
    assert second[2] == "✓" and second[16 + 2] == "✓"  # 支委会 in January, the activity day in March
    assert "机关第三党支部" in rows and len(ws[3]) == 30
