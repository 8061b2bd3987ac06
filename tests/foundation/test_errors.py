"""One kind of 403: whichever view refuses, the shared page says why, in Chinese."""

import pytest
from django.core.exceptions import PermissionDenied

from core.views import error_403, error_500

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url, reason",
    [
        ("/campaign/new/", "只有领导小组办公室和系统管理员可以编辑领导小组。"),
        ("/rectification/import/", "只有领导小组办公室可以导入问题清单。"),
    ],
)
def test_the_403_page_names_the_reason(client_as, url, reason):
    response = client_as("staff").get(url)
    assert response.status_code == 403
    html = response.content.decode()
    assert 'id="forbidden-reason"' in html and reason in html
    assert "返回首页" in html  # the shared page, inside the app's own layout


def test_a_403_without_a_reason_shows_the_general_text(rf, org):
    request = rf.get("/")
    request.user = org.users["staff"]
    response = error_403(request, PermissionDenied())
    html = response.content.decode()
    assert response.status_code == 403 and 'id="forbidden-reason"' not in html


def test_the_500_page_reads_well_without_touching_the_database(django_assert_num_queries, settings):
    settings.DEBUG = False
    with django_assert_num_queries(0):
        response = error_500(None)
    html = response.content.decode()
    assert response.status_code == 500
    assert "系统出了点问题" in html and "不会只保存一半" in html and "返回首页" in html
    assert settings.BUREAU_NAME in html and 'lang="zh-CN"' in html
