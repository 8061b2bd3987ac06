"""Talks: seen by the two people, the personnel section and the main leader, never in
another department's lists; coverage of the required pairs as done / missing."""

import datetime as dt

import pytest
from django.urls import reverse

from cadres import coverage
from cadres.models import Cadre
from tests.factories import CadreFactory

from .factories import TalkFactory

pytestmark = pytest.mark.django_db
L = Cadre.PostLevel


@pytest.fixture
def bureau(org):
    """`head` leads dept_a (staff and a second person), `head_b` leads dept_b; `leader`
    oversees dept_a; `main` is the principal bureau leader."""
    for name in ("head", "head_b"):
        cadre = org.users[name].cadre
        cadre.post_level = L.PRINCIPAL
        cadre.save()
    from tests.factories import person

    main = person("main", org.leadership, "局领导", leader=True, name="王建国")
    main.cadre.post_level = L.PRINCIPAL
    main.cadre.save()
    org.users["main"] = main
    second = CadreFactory(name="二号", department=org.dept_a, political_status=Cadre.Political.MEMBER)
    return second


@pytest.fixture
def talk(org, bureau):
    return TalkFactory(talker=org.users["head"].cadre, talkee=org.users["staff"].cadre, content="谈心内容甲")


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("head", True),
        ("staff", True),
        ("hr", True),
        ("main", True),
        ("leader", False),
        ("office", False),
        ("head_b", False),
        ("staff_b", False),
        ("admin", False),
    ],
)
def test_who_sees_a_talk(client_as, org, talk, role, sees):
    client = client_as(role)
    detail = client.get(reverse("cadres:talk_detail", args=[talk.pk]))
    assert detail.status_code == (200 if sees else 404)
    assert ("谈心内容甲" in detail.content.decode()) is sees
    listed = client.get(reverse("cadres:talk_list")).content.decode()
    assert (reverse("cadres:talk_detail", args=[talk.pk]) in listed) is sees


def test_staff_record_talks_only_as_the_talker(client_as, org, bureau):
    client = client_as("staff")
    data = {
        "date": "2026-03-01",
        "place": "会议室",
        "talker": org.users["head"].cadre.pk,
        "talkee": bureau.pk,
        "kind": "heart",
        "trigger": "routine",
        "content": "内容",
    }
    response = client.post(reverse("cadres:talk_create"), data)
    assert response.status_code == 200 and "talker" in response.context["form"].errors
    data["talker"] = org.users["staff"].cadre.pk
    assert client.post(reverse("cadres:talk_create"), data).status_code == 302


def test_required_pairs_follow_the_rules(org, bureau, settings):
    pairs = {(p.talker.name, p.talkee.name): p.rule for p in coverage.required_pairs()}
    assert pairs[("李红梅", "head")] == "leader_heads"
    assert pairs[("张志强", "head_b")] == "leader_heads"
    assert pairs[("head", "staff")] == "head_staff" and pairs[("head", "二号")] == "head_staff"
    assert ("李红梅", "head_b") not in pairs  # not overseen by her
    settings.TALK_PAIR_RULES = ["leader_heads"]
    assert {p.rule for p in coverage.required_pairs()} == {"leader_heads"}


def test_branch_members_are_read_through_the_setting(org, bureau, settings):
    from partybuilding.models import Branch

    secretary = org.users["staff_b"].cadre
    branch = Branch.objects.create(name="第二支部", secretary=secretary)
    branch.departments.set([org.dept_a])
    pairs = {(p.talker.name, p.talkee.name): p.rule for p in coverage.required_pairs()}
    assert pairs[("staff_b", "二号")] == "branch_members"  # a Party member of a covered department
    assert ("staff_b", "staff") not in pairs  # not a Party member
    settings.TALK_BRANCH_MODEL = ""
    assert "branch_members" not in {p.rule for p in coverage.required_pairs()}
    settings.TALK_BRANCH_MODEL = "nowhere.Branch"
    assert "branch_members" not in {p.rule for p in coverage.required_pairs()}


def test_coverage_page_shows_done_and_missing_and_links_to_the_talk(client_as, org, talk):
    client = client_as("hr")
    response = client.get(reverse("cadres:talk_coverage"), {"year": 2026})
    summary = response.context["summary"]
    assert summary.done == 1 and summary.required > 1
    assert reverse("cadres:talk_detail", args=[talk.pk]) in response.content.decode()
    # A leader sees the pair as done, but the talk itself opens only for its people.
    leader = client_as("leader").get(reverse("cadres:talk_coverage"), {"year": 2026})
    assert leader.context["summary"].done == 1
    assert reverse("cadres:talk_detail", args=[talk.pk]) not in leader.content.decode()
    missing = (
        client_as("leader").get(reverse("cadres:talk_coverage"), {"year": 2026, "state": "missing"}).context["pairs"]
    )
    assert all(not p.done for p in missing) and len(missing) == summary.missing
    other_year = client_as("leader").get(reverse("cadres:talk_coverage"), {"year": 2025}).context["summary"]
    assert other_year.done == 0


def test_staff_see_only_their_own_pairs_in_coverage(client_as, org, talk):
    pairs = client_as("staff").get(reverse("cadres:talk_coverage"), {"year": 2026}).context["pairs"]
    me = org.users["staff"].cadre.pk
    assert pairs and all(me in p.key for p in pairs)


def test_a_talk_either_way_round_covers_the_pair(org, bureau):
    TalkFactory(talker=org.users["staff"].cadre, talkee=org.users["head"].cadre, date=dt.date(2026, 5, 1))
    pair = next(
        p for p in coverage.coverage(2026) if p.key == {org.users["staff"].cadre.pk, org.users["head"].cadre.pk}
    )
    assert pair.done


def test_coverage_shows_a_page_of_pairs_with_flat_queries(client_as, org, bureau, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cadres.views import talks as views

    client = client_as("hr")
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse("cadres:talk_coverage"), {"year": 2026})
    required = response.context["summary"].required
    for i in range(12):
        CadreFactory(name=f"新人{i}", department=org.dept_a, political_status=Cadre.Political.MEMBER)
    views.COVERAGE_PAGE_SIZE, size = 5, views.COVERAGE_PAGE_SIZE
    try:
        with CaptureQueriesContext(connection) as more:
            response = client.get(reverse("cadres:talk_coverage"), {"year": 2026})
        page = response.context["page"]
        assert len(page.object_list) == 5 and page.paginator.count == required + 12
        assert response.context["summary"].required == required + 12  # the summary counts every pair
        assert "page=2" in response.content.decode()
    finally:
        views.COVERAGE_PAGE_SIZE = size
    assert len(more) == len(few)
