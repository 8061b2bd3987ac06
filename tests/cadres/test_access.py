"""Every /cadres/ URL, asked by staff of another department: objects outside the scope
answer 404, role-gated pages 403 with a reason, and nothing of dept_a shows."""

import pytest
from django.urls import get_resolver, reverse

from cadres.models import Cadre, RiskReview
from tests.factories import PostFactory

from .factories import (
    DeferralFactory,
    ItemFactory,
    PlacementFactory,
    PlanFactory,
    RelationFactory,
    RiskFactory,
    TalkFactory,
    cadre_in_post,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(org):
    """One of each object, all in dept_a (outside staff_b's scope)."""
    person = cadre_in_post(org.dept_a, years=6, key=True, name="甲科员")
    post = PostFactory(department=org.dept_a)
    RiskReview.objects.create(year=2026, title="排查", start="2026-01-01", due="2026-12-20", created_by=org.users["hr"])
    relation = RelationFactory(cadre=person, relative=org.users["staff"].cadre)
    DeferralFactory(cadre=person)
    return {
        "cadre": person.pk,
        "holding": person.holdings.get().pk,
        "relation": relation.pk,
        "department": org.dept_a.pk,
        "post": post.pk,
        "risk": RiskFactory(post=post).pk,
        "plan": PlanFactory().pk,
        "item": ItemFactory(cadre=person).pk,
        "placement": PlacementFactory(cadre=person).pk,
        "talk": TalkFactory(talker=org.users["head"].cadre, talkee=person).pk,
    }


# url name -> the object its <pk> names
PK_OF = {
    "cadre_detail": "cadre", "cadre_edit": "cadre", "cadre_move": "cadre", "holding_create": "cadre",
    "relation_create": "cadre", "deferral_create": "cadre", "holding_edit": "holding",
    "relation_delete": "relation", "department_detail": "department", "department_edit": "department",
    "post_edit": "post", "risk_edit": "risk", "review_post": "post", "plan_detail": "plan", "plan_pdf": "plan",
    "plan_action": "plan", "item_edit": "item", "item_execute": "item", "placement_edit": "placement", "talk_detail": "talk",
    "talk_edit": "talk",
}  # fmt: skip


def cadres_urls(objects) -> list[str]:
    urls = []
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", None) != "cadres":
            continue
        for sub in pattern.url_patterns:
            params = sub.pattern.converters
            kwargs = {}
            if "pk" in params:
                kwargs["pk"] = objects[PK_OF[sub.name]]
            if "action" in params:
                kwargs["action"] = "submit"
            urls.append(reverse(f"cadres:{sub.name}", kwargs=kwargs))
    return urls


def test_staff_of_another_department_gets_nothing_of_dept_a(client_as, objects):
    client = client_as("staff_b")
    urls = cadres_urls(objects)
    assert len(urls) == 38
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if response.status_code == 200:
                assert "甲科员" not in response.content.decode(), (method, url)
            else:
                assert response.status_code in (403, 404, 405), (method, url, response.status_code)
    assert Cadre.objects.get(pk=objects["cadre"]).department.name == "行政审批科"
