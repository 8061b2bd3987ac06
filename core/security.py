"""Login throttling behind a reverse proxy (django-axes hooks named in config.settings).

client_ip: the client's address. X-Forwarded-For is believed only when the request comes
from one of settings.TRUSTED_PROXIES; then the right-most address that is not itself a
trusted proxy is the client (everything left of it was written by the client and may be
forged). Without trusted proxies the client is REMOTE_ADDR, whatever the headers say.

LoginThrottleHandler: axes' database handler, which locks a username at one address
(AXES_LOCKOUT_PARAMETERS), plus a lock on an address whose failed logins across all
usernames reach settings.LOGIN_ADDRESS_FAILURE_LIMIT within the cool-off.
"""

from __future__ import annotations

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def _parse(address: str):
    try:
        return ipaddress.ip_address(address.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def trusted_networks():
    return [ipaddress.ip_network(entry, strict=False) for entry in settings.TRUSTED_PROXIES]


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR", "")
    networks = trusted_networks()
    if not networks or not _trusted(_parse(remote), networks):
        return remote or None
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            break  # a forged or broken header: stop at the last address we could trust
        if not _trusted(address, networks):
            return str(address)
    return remote


def address_failures(ip_address: str | None) -> int:
    """Failed logins from this address within the cool-off, whatever the username."""
    if not ip_address:
        return 0
    since = timezone.now() - get_cool_off()
    total = AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return total or 0


class LoginThrottleHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        ip_address = getattr(request, "axes_ip_address", None) or client_ip(request)
        if address_failures(ip_address) < settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return False
        # AxesMiddleware answers with the lockout page for a request flagged so.
        request.axes_locked_out = True
        return True
