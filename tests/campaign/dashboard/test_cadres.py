"""The dashboard's cadre-work card: the figures of cadres.figures, each clicking through
where the user may go."""

import pytest
from django.urls import reverse

from tests.cadres.factories import cadre_in_post

pytestmark = pytest.mark.django_db


def card(client):
    response = client.get(reverse("campaign:dashboard"))
    return response.content.decode().split('id="tile-cadres"', 1)[1].split("</section>", 1)[0]


def test_the_card_shows_who_must_rotate_and_links_to_the_planner(client_as, org, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    cadre_in_post(org.dept_b, years=11, key=True, name="潘明轩")
    html = card(client_as("leader"))
    assert 'data-figure="must"' in html and reverse("cadres:planner") + "#list-must" in html
    assert reverse("cadres:talk_coverage") in html and reverse("cadres:risk_review") in html


def test_the_office_sees_the_figures_without_links_to_the_planner(client_as, org, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    html = card(client_as("office"))
    assert 'data-figure="must"' in html and reverse("cadres:planner") not in html
