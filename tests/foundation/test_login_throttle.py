"""Login lockout behind a reverse proxy: the client address comes from X-Forwarded-For only
when the request comes from a trusted proxy; a user is locked per address; an address that
fails across many usernames is throttled."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.security import client_ip

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"


def _login(client, username, password, client_address, via_proxy=True):
    headers = {"REMOTE_ADDR": PROXY if via_proxy else client_address}
    if via_proxy:
        headers["HTTP_X_FORWARDED_FOR"] = client_address
    return client.post(reverse("login"), {"username": username, "password": password}, **headers)


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ([], PROXY, "1.2.3.4", PROXY),  # no trusted proxy: the header is ignored
        (["10.0.0.0/8"], PROXY, "1.2.3.4", "1.2.3.4"),
        (["10.0.0.0/8"], PROXY, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # the left part is the client's own, forgeable
        (["10.0.0.0/8"], PROXY, "1.2.3.4, 10.0.0.9", "1.2.3.4"),  # two proxies
        (["10.0.0.0/8"], "8.8.8.8", "1.2.3.4", "8.8.8.8"),  # not from a proxy: header ignored
        (["10.0.0.0/8"], PROXY, "garbage", PROXY),
    ],
)
def test_client_address(settings, trusted, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_an_attacker_behind_the_proxy_cannot_lock_out_the_office(client, org, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "office", "wrong", "203.0.113.66")
    assert _login(client, "office", "wrong", "203.0.113.66").status_code == 429
    # The real office, at its own address behind the same proxy, still logs in.
    response = _login(client, "office", "pw-12345678", "192.168.1.20")
    assert response.status_code == 302 and response.wsgi_request.user.username == "office"


def test_one_address_failing_across_many_usernames_is_throttled(client, org, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 10
    for n in range(10):
        assert _login(client, f"guess{n}", "wrong", "203.0.113.77").status_code == 200
    # Now even a valid account is refused from that address...
    assert _login(client, "staff", "pw-12345678", "203.0.113.77").status_code == 429
    # ...and not from another one.
    assert _login(client, "staff", "pw-12345678", "192.168.1.21").status_code == 302
