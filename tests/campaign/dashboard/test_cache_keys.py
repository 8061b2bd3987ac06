"""The dashboard's page cache is keyed by the parameters the page reads, not the raw URL:
random query strings neither fill the cache nor bypass it (issue 13, item 8)."""

import uuid

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


def test_random_query_strings_share_one_cache_entry(client_as, org, settings, monkeypatch):
    settings.DASHBOARD_PAGE_CACHE = True
    written = []
    original = cache.set
    monkeypatch.setattr(cache, "set", lambda key, *a, **k: written.append(key) or original(key, *a, **k))
    client = client_as("office")
    client.get("/dashboard/")
    pages = lambda: {k for k in written if k.startswith("dashboard:html:")}  # noqa: E731
    assert len(pages()) == 1
    for _ in range(20):
        response = client.get(f"/dashboard/?{uuid.uuid4().hex}={uuid.uuid4().hex}&utm={uuid.uuid4().hex}")
        assert response.status_code == 200 and response.context is None  # served from the one entry
    assert len(pages()) == 1
    client.get("/dashboard/?scope=all")  # a parameter the page reads: its own entry
    assert len(pages()) == 2
