"""NUL characters in query strings never reach the database (PostgreSQL refuses them),
and the language cookie is as safe as the session cookie in production."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/cadres/?q=%00",
        "/cadres/?q=a%00b&format=xlsx",
        "/rectification/?q=%00",
        "/rectification/?q=%00&format=xlsx",
        "/rectification/export/?q=%00",
        "/cadres/departments/?q=%00",
        "/notices/?unread=%00",
        "/?scope=%00",
        "/reports/?page=%00",
        "/rectification/rounds/?q=%00&%00=1",
    ],
)
def test_a_nul_in_the_query_string_never_reaches_the_database(client_as, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("office")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code in (200, 302)
    assert not any("\x00" in str(q["sql"]) for q in queries.captured_queries)
    assert "\x00" not in response.wsgi_request.GET.urlencode().replace("%00", "\x00")


def test_the_language_cookie_is_secure_in_production(client, settings):
    settings.LANGUAGE_COOKIE_SECURE = True  # what DEBUG=false sets (config.settings)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_production_settings_make_the_language_cookie_secure():
    import subprocess
    import sys

    code = "from django.conf import settings as s; print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_HTTPONLY)"
    env = {"DEBUG": "false", "SECRET_KEY": "x" * 60, "DJANGO_SETTINGS_MODULE": "config.settings", "PATH": ""}
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code], env=env, capture_output=True, text=True
    )
    assert out.stdout.split() == ["True", "True"], out.stderr
