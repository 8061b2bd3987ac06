"""The campaign and its leadership group: the page, who may edit it, the forms' rules,
main_leader() and the demo seed."""

import datetime as dt

import pytest
from django.urls import reverse

from cadres.models import Department
from campaign.group.selectors import current_campaign, group_members, main_leader
from campaign.models import Campaign, GroupMember, Phase

pytestmark = pytest.mark.django_db
R = GroupMember.Role


@pytest.fixture
def campaign(org):
    c = Campaign.objects.create(
        name="2026年“能力作风建设年”活动",
        year=2026,
        start=dt.date(2026, 1, 5),
        end=dt.date(2026, 12, 31),
        office_department=org.office_dept,
        office_duties="负责活动的组织协调和日常工作",
    )
    Phase.objects.create(campaign=c, kind=Phase.Kind.MOBILISE, start=dt.date(2026, 1, 5), end=dt.date(2026, 2, 28))
    Phase.objects.create(campaign=c, kind=Phase.Kind.RECTIFY, start=dt.date(2026, 3, 1), end=dt.date(2026, 10, 31))
    Phase.objects.create(campaign=c, kind=Phase.Kind.SUMMARISE, start=dt.date(2026, 11, 1), end=dt.date(2026, 12, 31))
    u = org.users
    GroupMember.objects.create(campaign=c, cadre=u["other_leader"].cadre, role=R.DEPUTY, duty="分管执法监督科")
    GroupMember.objects.create(campaign=c, cadre=u["head"].cadre, role=R.MEMBER, duty="负责行政审批科")
    GroupMember.objects.create(campaign=c, cadre=u["leader"].cadre, role=R.LEADER, duty="对活动负总责")
    GroupMember.objects.create(campaign=c, cadre=u["office"].cadre, role=R.OFFICE_DIRECTOR)
    GroupMember.objects.create(campaign=c, cadre=u["staff"].cadre, role=R.LIAISON)
    return c


def member_post(campaign, rows, extra=0):
    """POST data for the members formset: rows of (id or None, role, cadre id, duty, delete)."""
    data = {
        "members-TOTAL_FORMS": str(len(rows) + extra),
        "members-INITIAL_FORMS": str(sum(1 for r in rows if r[0])),
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
    }
    for i, (pk, role, cadre, duty, delete) in enumerate(rows):
        data.update(
            {
                f"members-{i}-id": pk or "",
                f"members-{i}-campaign": campaign.pk,
                f"members-{i}-role": role or "",
                f"members-{i}-cadre": cadre or "",
                f"members-{i}-duty": duty,
            }
        )
        if delete:
            data[f"members-{i}-DELETE"] = "on"
    return data


def current_rows(campaign):
    return [(m.pk, m.role, m.cadre_id, m.duty, False) for m in group_members(campaign)]


# --- the page -----------------------------------------------------------------------------------


def test_everyone_reads_the_group_in_official_order(client_as, campaign, org):
    response = client_as("staff").get(reverse("campaign:group"))
    assert response.status_code == 200
    html = response.content.decode()
    roles = [m.role for m in response.context["members"]]
    assert roles == sorted(roles) and roles[0] == R.LEADER
    table = html[html.index('id="group-members"') :]
    assert table.index(">组长<") < table.index(">副组长<") < table.index(">成员<") < table.index(">联络员<")
    # who oversees what (一岗双责)
    assert "行政审批科" in html and "执法监督科" in html and "一岗双责" in html
    assert "负责活动的组织协调和日常工作" in html
    assert "edit-members" not in html and "edit-campaign" not in html
    assert client_as("staff").get(reverse("campaign:group_year", args=[2026])).status_code == 200
    assert client_as("staff").get(reverse("campaign:group_year", args=[1999])).status_code == 404


def test_leader_sees_the_departments_they_oversee(client_as, campaign, org):
    response = client_as("leader").get(reverse("campaign:group"))
    row = next(r for r in response.context["oversight"] if r["leader"] == org.users["leader"].cadre)
    assert [d["department"] for d in row["departments"]] == [org.dept_a]
    member = next(m for m in response.context["members"] if m.role == R.LEADER)
    assert member.overseen == ["行政审批科"]


def test_no_campaign_yet(client_as, org):
    html = client_as("office").get(reverse("campaign:group")).content.decode()
    assert "尚未设置活动" in html and reverse("campaign:campaign_create") in html
    html = client_as("staff").get(reverse("campaign:group")).content.decode()
    assert "尚未设置活动" in html and reverse("campaign:campaign_create") not in html


# --- who may edit ------------------------------------------------------------------------------


EDIT_PAGES = ["campaign:group_edit", "campaign:campaign_edit", "campaign:campaign_create", "campaign:oversight_edit"]


def _url(name):
    return reverse(name, args=[2026]) if name in ("campaign:group_edit", "campaign:campaign_edit") else reverse(name)


@pytest.mark.parametrize("username", ["leader", "other_leader", "head", "staff", "hr"])
def test_only_office_and_admin_edit(client_as, campaign, username):
    client = client_as(username)
    for name in EDIT_PAGES:
        assert client.get(_url(name)).status_code == 403, name
        assert client.post(_url(name), {}).status_code == 403, name
    assert "edit-members" not in client.get(reverse("campaign:group")).content.decode()


@pytest.mark.parametrize("username", ["office", "admin"])
def test_office_and_admin_open_the_edit_pages(client_as, campaign, username):
    client = client_as(username)
    for name in EDIT_PAGES:
        assert client.get(_url(name)).status_code == 200, name
    assert "edit-members" in client.get(reverse("campaign:group")).content.decode()


# --- editing members ---------------------------------------------------------------------------------


def test_office_changes_a_duty_and_adds_a_member(client_as, campaign, org):
    rows = current_rows(campaign)
    rows = [(pk, role, cadre, "新的分工" if role == R.DEPUTY else duty, False) for pk, role, cadre, duty, _d in rows]
    rows.append((None, R.MEMBER, org.users["head_b"].cadre.pk, "负责执法监督科", False))
    response = client_as("office").post(reverse("campaign:group_edit", args=[2026]), member_post(campaign, rows))
    assert response.status_code == 302
    assert GroupMember.objects.get(campaign=campaign, role=R.DEPUTY).duty == "新的分工"
    assert GroupMember.objects.filter(campaign=campaign, cadre=org.users["head_b"].cadre, role=R.MEMBER).exists()


def test_empty_extra_rows_are_ignored_and_a_member_can_be_removed(client_as, campaign, org):
    rows = current_rows(campaign)
    rows = [(pk, role, cadre, duty, role == R.LIAISON) for pk, role, cadre, duty, _d in rows]
    response = client_as("office").post(
        reverse("campaign:group_edit", args=[2026]), member_post(campaign, rows, extra=3)
    )
    assert response.status_code == 302
    assert not GroupMember.objects.filter(campaign=campaign, role=R.LIAISON).exists()
    assert campaign.members.count() == 4


def test_the_group_needs_exactly_one_group_leader(client_as, campaign, org):
    client = client_as("office")
    url = reverse("campaign:group_edit", args=[2026])
    rows = current_rows(campaign)
    two = [(pk, R.LEADER if role == R.DEPUTY else role, cadre, duty, False) for pk, role, cadre, duty, _d in rows]
    response = client.post(url, member_post(campaign, two))
    assert response.status_code == 200
    assert "领导小组只能设一名组长" in response.content.decode()
    none = [(pk, R.DEPUTY if role == R.LEADER else role, cadre, duty, False) for pk, role, cadre, duty, _d in rows]
    response = client.post(url, member_post(campaign, none))
    assert response.status_code == 200 and "领导小组须设组长" in response.content.decode()
    # nothing was written
    assert GroupMember.objects.filter(campaign=campaign, role=R.LEADER).count() == 1
    assert main_leader() is None or main_leader() == org.users["leader"].cadre


def test_the_same_person_cannot_be_listed_twice(client_as, campaign, org):
    rows = current_rows(campaign) + [(None, R.LIAISON, org.users["head"].cadre.pk, "", False)]
    response = client_as("office").post(reverse("campaign:group_edit", args=[2026]), member_post(campaign, rows))
    assert response.status_code == 200
    assert campaign.members.count() == 5
    assert "此人已在领导小组中" in response.content.decode()
    # two new rows with one person: refused too
    rows = current_rows(campaign) + [(None, R.LIAISON, org.users["staff_b"].cadre.pk, "", False)] * 2
    response = client_as("office").post(reverse("campaign:group_edit", args=[2026]), member_post(campaign, rows))
    assert response.status_code == 200 and "重复" in response.content.decode()
    assert campaign.members.count() == 5


def test_a_row_with_a_role_but_no_person_is_refused(client_as, campaign, org):
    rows = current_rows(campaign) + [(None, R.MEMBER, None, "负责执法监督科", False)]
    response = client_as("office").post(reverse("campaign:group_edit", args=[2026]), member_post(campaign, rows))
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    assert "负责执法监督科" in response.content.decode()  # what was typed is kept


# --- editing the campaign and its phases --------------------------------------------------------


def campaign_post(campaign, **changes):
    data = {
        "name": campaign.name,
        "year": campaign.year,
        "start": "2026-01-05",
        "end": "2026-12-31",
        "office_department": campaign.office_department_id or "",
        "office_contact": "",
        "office_duties": "",
        "phases-TOTAL_FORMS": "3",
        "phases-INITIAL_FORMS": "3",
        "phases-MIN_NUM_FORMS": "0",
        "phases-MAX_NUM_FORMS": "3",
    }
    for i, phase in enumerate(campaign.phases.order_by("start")):
        data.update(
            {
                f"phases-{i}-id": phase.pk,
                f"phases-{i}-campaign": campaign.pk,
                f"phases-{i}-kind": phase.kind,
                f"phases-{i}-start": phase.start.isoformat(),
                f"phases-{i}-end": phase.end.isoformat(),
                f"phases-{i}-tasks": "",
            }
        )
    data.update(changes)
    return data


def test_office_edits_the_campaign_and_phases(client_as, campaign):
    client = client_as("office")
    url = reverse("campaign:campaign_edit", args=[2026])
    response = client.post(url, campaign_post(campaign, office_contact="0000-1234", **{"phases-1-tasks": "逐项整改"}))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.office_contact == "0000-1234"
    assert campaign.phases.get(kind=Phase.Kind.RECTIFY).tasks == "逐项整改"


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"phases-2-end": "2027-01-31"}, "阶段时间必须在活动起止日期之内"),
        ({"phases-1-start": "2026-02-01"}, "各阶段时间不能重叠"),
        ({"end": "2025-12-31"}, "结束日期不能早于开始日期"),
    ],
)
def test_bad_dates_are_refused_in_chinese(client_as, campaign, changes, message):
    response = client_as("office").post(
        reverse("campaign:campaign_edit", args=[2026]), campaign_post(campaign, **changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert campaign.phases.get(kind=Phase.Kind.RECTIFY).start == dt.date(2026, 3, 1)


def test_office_creates_next_years_campaign_with_the_same_group(client_as, campaign):
    client = client_as("office")
    page = client.get(reverse("campaign:campaign_create"))
    assert page.context["form"].initial["year"] == 2027
    data = {
        "name": "2027年“能力作风建设年”活动",
        "year": "2027",
        "start": "2027-01-04",
        "end": "2027-12-31",
        "office_department": campaign.office_department_id,
        "office_contact": "",
        "office_duties": "",
        "phases-TOTAL_FORMS": "3",
        "phases-INITIAL_FORMS": "0",
        "phases-MIN_NUM_FORMS": "0",
        "phases-MAX_NUM_FORMS": "3",
        "copy_group": "1",
    }
    spans = [
        ("mobilise", "2027-01-04", "2027-02-28"),
        ("rectify", "2027-03-01", "2027-10-31"),
        ("summarise", "2027-11-01", "2027-12-31"),
    ]
    for i, (kind, start, end) in enumerate(spans):
        data.update(
            {f"phases-{i}-kind": kind, f"phases-{i}-start": start, f"phases-{i}-end": end, f"phases-{i}-tasks": ""}
        )
    response = client.post(reverse("campaign:campaign_create"), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    new = Campaign.objects.get(year=2027)
    assert new.phases.count() == 3
    assert set(new.members.values_list("cadre", "role")) == set(campaign.members.values_list("cadre", "role"))
    assert main_leader(dt.date(2027, 6, 1)) == campaign.members.get(role=R.LEADER).cadre


# --- oversight (一岗双责) ----------------------------------------------------------------------------


def test_office_changes_who_oversees_a_department(client_as, campaign, org):
    departments = list(
        Department.objects.exclude(kind=Department.Kind.LEADERSHIP).filter(active=True).order_by("order", "id")
    )
    data = {
        "form-TOTAL_FORMS": str(len(departments)),
        "form-INITIAL_FORMS": str(len(departments)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, dept in enumerate(departments):
        data[f"form-{i}-id"] = dept.pk
        data[f"form-{i}-overseen_by"] = (
            org.users["other_leader"].cadre.pk if dept == org.dept_a else (dept.overseen_by_id or "")
        )
    response = client_as("office").post(reverse("campaign:oversight_edit"), data)
    assert response.status_code == 302
    org.dept_a.refresh_from_db()
    assert org.dept_a.overseen_by == org.users["other_leader"].cadre


# --- main_leader and the demo -------------------------------------------------------------------------


def test_main_leader_is_the_group_leader_of_the_current_campaign(campaign, org):
    assert current_campaign(dt.date(2026, 5, 1)) == campaign
    assert main_leader(dt.date(2026, 5, 1)) == org.users["leader"].cadre
    # outside the campaign's dates: the campaign of that year, or the latest before
    assert main_leader(dt.date(2027, 3, 1)) == org.users["leader"].cadre


def test_main_leader_is_none_without_a_campaign_or_a_group_leader(org):
    assert main_leader() is None
    c = Campaign.objects.create(name="x", year=2026, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert main_leader(dt.date(2026, 6, 1)) is None
    GroupMember.objects.create(campaign=c, cadre=org.users["other_leader"].cadre, role=R.DEPUTY)
    assert main_leader(dt.date(2026, 6, 1)) is None
