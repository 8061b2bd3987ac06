"""A post integrity-risk finding sent to the ledger as a 自查自纠 problem, once."""

import pytest
from django.urls import reverse

from rectification.models import InspectionRound, Problem
from tests.cadres.factories import RiskFactory
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def risk(org):
    return RiskFactory(
        post=PostFactory(department=org.dept_a, title="项目审批岗"), point="违规审批", manifestation="吃拿卡要"
    )


def test_one_click_files_a_self_inspection_problem_once(client_as, risk):
    client = client_as("hr")
    url = reverse("rectification:problem_from_risk", args=[risk.pk])
    assert client.post(url).status_code == 302
    problem = Problem.objects.get()
    assert problem.round.source == InspectionRound.Source.SELF
    assert "行政审批科项目审批岗" in problem.description and "违规审批" in problem.description
    client.post(url)
    assert Problem.objects.count() == 1  # sending it again files nothing new


def test_the_office_may_send_it_too_and_lands_on_the_round(client_as, risk):
    response = client_as("office").post(reverse("rectification:problem_from_risk", args=[risk.pk]))
    assert response.url == Problem.objects.get().round.get_absolute_url()


def test_others_are_refused_and_outside_the_scope_it_is_404(client_as, risk):
    url = reverse("rectification:problem_from_risk", args=[risk.pk])
    assert client_as("head").post(url).status_code == 403
    assert client_as("staff_b").post(url).status_code == 404
    assert client_as("hr").get(url).status_code == 405
    assert not Problem.objects.exists()
