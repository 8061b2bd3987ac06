"""The branch pages (/partybuilding/branches/<id>/...): who sees and who changes which
branch, the forms with their Chinese messages at the field, the page's contents and its
query count."""

import datetime as dt

import pytest

from cadres.models import Cadre
from partybuilding.models import Branch, Exemption, Membership

from ..conftest import login
from ..factories import CadreFactory
from .factories import BranchFactory, MembershipFactory

D = dt.date
R = Membership.CommitteeRole


@pytest.fixture(autouse=True)
def march(today_is):
    today_is(D(2026, 3, 10))


def as_(client, org, party, who):
    return login(client, party.users.get(who) or org.users[who])


def edit_pages(party):
    a, m2 = party.a.pk, party.memberships["m2"].pk
    return [
        f"/partybuilding/branches/{a}/members/new/",
        f"/partybuilding/branches/{a}/members/{m2}/",
        f"/partybuilding/branches/{a}/members/{m2}/end/",
        f"/partybuilding/branches/{a}/committee/",
        f"/partybuilding/branches/{a}/groups/new/",
        f"/partybuilding/branches/{a}/groups/{party.g1.pk}/",
        f"/partybuilding/branches/{a}/groups/{party.g1.pk}/remove/",
        f"/partybuilding/branches/{a}/exemptions/new/",
    ]


@pytest.mark.parametrize(
    "who, page, edit",
    [
        ("sec_a", 200, 200),  # the secretary keeps their own branch
        ("com_a", 200, 200),  # so does the organisation commissioner
        ("office", 200, 200),  # the office keeps every branch
        ("admin", 200, 200),  # and administrators
        ("m1", 200, 403),  # a member sees their branch, changes nothing
        ("leader", 200, 403),  # leaders see every branch, change nothing
        ("sec_b", 404, 404),  # the secretary of another branch: not found
        ("staff_b", 404, 404),  # staff outside the branch: not found
    ],
)
def test_the_role_matrix_of_the_branch_pages(client, org, party, who, page, edit):
    client = as_(client, org, party, who)
    assert client.get(f"/partybuilding/branches/{party.a.pk}/").status_code == page
    for url in edit_pages(party):
        assert client.get(url).status_code == edit, url


def test_a_refusal_names_the_reason(client, org, party):
    response = as_(client, org, party, "m1").get(f"/partybuilding/branches/{party.a.pk}/committee/")
    assert response.status_code == 403
    assert "只有本支部书记、组织委员和领导小组办公室可以修改" in response.content.decode()


def test_posts_to_another_branch_change_nothing(client, org, party):
    e = Exemption.objects.create(
        branch=party.a, obligation="committee", first_month=D(2026, 1, 1), last_month=D(2026, 1, 1), reason="合并"
    )
    url = f"/partybuilding/branches/{party.a.pk}/exemptions/{e.pk}/remove/"
    assert as_(client, org, party, "sec_b").post(url).status_code == 404
    assert as_(client, org, party, "m1").post(url).status_code == 403
    posted = {"name": "第三党小组"}
    assert (
        as_(client, org, party, "sec_b").post(f"/partybuilding/branches/{party.a.pk}/groups/new/", posted).status_code
        == 404
    )
    assert Exemption.objects.filter(pk=e.pk).exists() and party.a.groups.count() == 2
    # An object of branch A reached through branch B's address is not found either.
    other = f"/partybuilding/branches/{party.b.pk}/members/{party.memberships['m2'].pk}/"
    assert as_(client, org, party, "sec_b").get(other).status_code == 404


def test_the_page_shows_committee_groups_members_and_exemptions(client, org, party):
    Exemption.objects.create(
        branch=party.a, obligation="general", first_month=D(2026, 1, 1), last_month=D(2026, 3, 1), reason="支部新建"
    )
    html = as_(client, org, party, "sec_a").get(f"/partybuilding/branches/{party.a.pk}/").content.decode()
    for text in (
        "书记",
        "马文博",
        "组织委员",
        "周志刚",
        "第一党小组",
        "第二党小组",
        "预备党员",
        "支部新建",
        "变更记录",
    ):
        assert text in html, text
    assert "外出学习、工作六个月以上" in html  # why 赵六 is not counted, for those who keep the branch
    member = as_(client, org, party, "m1").get(f"/partybuilding/branches/{party.a.pk}/").content.decode()
    assert "赵六" in member and "不计入" in member
    assert "外出学习、工作六个月以上" not in member and "变更记录" not in member and "添加党员" not in member


def test_the_branch_page_s_queries_do_not_grow_with_its_members(client, org, party, django_assert_max_num_queries):
    client = as_(client, org, party, "sec_a")
    url = f"/partybuilding/branches/{party.a.pk}/"
    client.get(url)
    for i in range(30):
        MembershipFactory(branch=party.a, group=party.g1 if i % 2 else party.g2, cadre=CadreFactory(name=f"党员{i}"))
    with django_assert_max_num_queries(24):
        assert client.get(url).status_code == 200


def test_the_secretary_adds_a_member_and_it_is_in_the_history(client, org, party):
    Cadre.objects.filter(name="刘洋").update(political_status="member")  # of another branch
    cadre = CadreFactory(name="钱七", political_status="member", department=org.dept_a)
    client = as_(client, org, party, "sec_a")
    form = client.get(f"/partybuilding/branches/{party.a.pk}/members/new/").content.decode()
    assert "钱七" in form and "刘洋" in form and "孙丽娟" not in form  # not a member yet / already one
    data = {"cadre": cadre.pk, "group": party.g2.pk, "status": "formal", "joined_party_on": "2012-07-01"}
    response = client.post(f"/partybuilding/branches/{party.a.pk}/members/new/", data, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0].endswith(f"/partybuilding/branches/{party.a.pk}/#members")
    assert "已添加党员" in html and "钱七" in html and "马文博 · <strong>钱七</strong> 新增" in html


def test_a_member_of_another_branch_is_refused_at_the_field(client, org, party):
    Cadre.objects.filter(name="刘洋").update(political_status="member")
    client = as_(client, org, party, "sec_a")
    data = {"cadre": party.users["m_b"].cadre.pk, "status": "formal"}
    response = client.post(f"/partybuilding/branches/{party.a.pk}/members/new/", data)
    assert response.status_code == 400
    assert "刘洋 是机关第三党支部的党员：请先由该支部办理组织关系转出" in response.content.decode()


def test_a_missing_start_is_said_at_the_field_and_what_was_typed_stays(client, org, party):
    client = as_(client, org, party, "com_a")
    url = f"/partybuilding/branches/{party.a.pk}/members/{party.memberships['m2'].pk}/"
    data = {"group": party.g2.pk, "status": "formal", "not_counted": "sick", "not_counted_note": "住院治疗"}
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "请填写不计入应到会的起始日期" in html and 'value="住院治疗"' in html
    data["not_counted_from"] = "2026-03-01"
    assert client.post(url, data).status_code == 302
    assert Membership.objects.get(pk=party.memberships["m2"].pk).not_counted == "sick"


def test_moving_a_member_between_groups_from_the_form(client, org, party):
    client = as_(client, org, party, "sec_a")
    m = party.memberships["p1"]
    data = {"group": party.g1.pk, "status": "probationary"}
    assert client.post(f"/partybuilding/branches/{party.a.pk}/members/{m.pk}/", data).status_code == 302
    m.refresh_from_db()
    assert m.group == party.g1 and m.history.first().history_change_reason == "由第二党小组调整到第一党小组"


def test_ending_a_membership_from_the_form(client, org, party):
    client = as_(client, org, party, "sec_a")
    url = f"/partybuilding/branches/{party.a.pk}/members/{party.memberships['m2'].pk}/end/"
    response = client.post(url, {"ended_on": "2026-03-09", "reason": ""})
    assert response.status_code == 400 and "这个字段是必填项" in response.content.decode()
    client.post(url, {"ended_on": "2026-03-09", "reason": "组织关系转出"})
    html = client.get(f"/partybuilding/branches/{party.a.pk}/").content.decode()
    assert "已离开党员 1 名" in html and "组织关系转出" in html
    secretary = f"/partybuilding/branches/{party.a.pk}/members/{party.memberships['sec_a'].pk}/end/"
    response = client.post(secretary, {"ended_on": "2026-03-09", "reason": "退休"})
    assert response.status_code == 400 and "请先将该职务调整给其他同志" in response.content.decode()


def test_setting_the_committee_posts_from_the_form(client, org, party):
    ms = party.memberships
    client = as_(client, org, party, "sec_a")
    url = f"/partybuilding/branches/{party.a.pk}/committee/"
    form = client.get(url).content.decode()
    assert "纪检委员" in form and "宣传委员" in form
    data = {R.SECRETARY: ms["sec_a"].pk, R.COMMISSIONER: ms["m2"].pk, R.DISCIPLINE: ms["sec_a"].pk}
    response = client.post(url, data)
    assert response.status_code == 400 and "马文博 已担任书记；每人只能担任一个职务" in response.content.decode()
    data = {R.SECRETARY: ms["sec_a"].pk, R.COMMISSIONER: ms["m2"].pk, R.MEMBER: [ms["com_a"].pk, ms["m1"].pk]}
    assert client.post(url, data).status_code == 302
    party.a.refresh_from_db()
    assert party.a.commissioner == ms["m2"].cadre
    # 周志刚 is a plain committee member now: the branch's forms are closed to him.
    assert as_(client, org, party, "com_a").get(url).status_code == 403


def test_a_group_is_added_and_removed_from_the_forms(client, org, party):
    client = as_(client, org, party, "sec_a")
    base = f"/partybuilding/branches/{party.a.pk}/groups/"
    response = client.post(base + "new/", {"name": "第一党小组", "order": 3})
    assert response.status_code == 400 and "本支部已有同名党小组" in response.content.decode()
    assert client.post(base + "new/", {"name": "第三党小组", "order": 3}).status_code == 302
    group = party.a.groups.get(name="第三党小组")
    assert client.post(base + f"{party.g2.pk}/remove/", {"move_to": group.pk}).status_code == 302
    assert set(group.memberships.values_list("cadre__name", flat=True)) == {"王伟", "李四", "赵六"}
    assert client.get(base + f"{party.g2.pk}/").status_code == 404  # gone from the forms


def test_an_exemption_from_the_form_with_month_inputs(client, org, party):
    client = as_(client, org, party, "com_a")
    url = f"/partybuilding/branches/{party.a.pk}/exemptions/new/"
    data = {"obligation": "lesson", "first_month": "2026-02", "last_month": "2026-03", "reason": "支部改选"}
    response = client.post(url, data)
    assert response.status_code == 400 and "起始月份应为1月、4月、7月、10月" in response.content.decode()
    data["first_month"] = "2026-01"
    assert client.post(url, data).status_code == 302
    e = Exemption.objects.get(branch=party.a)
    assert (e.first_month, e.last_month, e.reason) == (D(2026, 1, 1), D(2026, 3, 1), "支部改选")
    assert client.post(f"/partybuilding/branches/{party.a.pk}/exemptions/{e.pk}/remove/").status_code == 302
    assert not Exemption.objects.exists()


def test_the_office_keeps_the_centre_group(client, org, party):
    centre = BranchFactory(name="局党组理论学习中心组", kind=Branch.Kind.CENTRE_GROUP)
    leader = MembershipFactory(branch=centre, cadre=org.users["leader"].cadre)
    client = as_(client, org, party, "office")
    form = client.get(f"/partybuilding/branches/{centre.pk}/committee/").content.decode()
    assert "学习秘书" in form and "纪检委员" not in form
    assert (
        client.post(f"/partybuilding/branches/{centre.pk}/committee/", {R.GROUP_LEADER: leader.pk}).status_code == 302
    )
    centre.refresh_from_db()
    assert centre.secretary == org.users["leader"].cadre
    assert as_(client, org, party, "sec_a").get(f"/partybuilding/branches/{centre.pk}/").status_code == 404


def test_the_branch_list(client, org, party):
    html = as_(client, org, party, "office").get("/partybuilding/branches/").content.decode()
    assert "机关第二党支部" in html and "机关第三党支部" in html
    response = as_(client, org, party, "m1").get("/partybuilding/branches/")
    assert response.status_code == 302 and response["Location"] == f"/partybuilding/branches/{party.a.pk}/"
    assert (
        "名册中您不属于任何党支部" in as_(client, org, party, "staff").get("/partybuilding/branches/").content.decode()
    )
