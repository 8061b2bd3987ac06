import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_is_chinese_and_shows_navigation(client_as):
    response = client_as("staff").get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="zh-CN"' in html
    assert "组织机构" in html or "干部" in html
