import os
from pathlib import Path

import pytest
from django.core.cache import cache

from cadres import roles
from core import calendar

from .factories import DepartmentFactory, person

pytest_plugins = ["tests.celery_support"]  # the celery_live_worker fixture

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
IN_CI = os.environ.get("CI") == "true"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    calendar.forget_local_copy()
    yield
    cache.clear()
    calendar.forget_local_copy()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Hashing is deliberately slow; tests create many accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def artifacts_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def org(db):
    """A small bureau: two departments overseen by two leaders, one of each role.

    `leader` oversees dept_a (where `head` and `staff` work); `other_leader` oversees dept_b.
    """
    leadership = DepartmentFactory(name="局领导班子", order=0)
    dept_a = DepartmentFactory(name="行政审批科", order=50)
    dept_b = DepartmentFactory(name="执法监督科", order=60)
    office_dept = DepartmentFactory(name="办公室", order=10)
    users = {
        "office": person("office", office_dept, roles.OFFICE),
        "leader": person("leader", leadership, roles.LEADER, leader=True, name="李红梅"),
        "other_leader": person("other_leader", leadership, roles.LEADER, leader=True, name="张志强"),
        "head": person("head", dept_a, roles.HEAD),
        "staff": person("staff", dept_a, roles.STAFF),
        "staff_b": person("staff_b", dept_b, roles.STAFF),
        "head_b": person("head_b", dept_b, roles.HEAD),
        "hr": person("hr", office_dept, roles.HR),
        "admin": person("admin", office_dept, roles.ADMIN),
    }
    dept_a.overseen_by = users["leader"].cadre
    dept_a.save()
    dept_b.overseen_by = users["other_leader"].cadre
    dept_b.save()

    class Org:
        pass

    o = Org()
    o.users = users
    o.dept_a, o.dept_b, o.office_dept, o.leadership = dept_a, dept_b, office_dept, leadership
    return o


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def client_as(client, org):
    def _as(name):
        return login(client, org.users[name])

    return _as


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def _browser():
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail("Chromium is missing in CI: make test installs it (apt-get install chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # test itself are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(_browser, live_server):
    """A fresh browser page (zh-CN) that records console errors in page.console_errors."""
    context = _browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    pg.base_url = live_server.url
    yield pg
    context.close()


def browser_login(pg, username, password="pw-12345678"):
    pg.goto(pg.base_url + "/accounts/login/")
    pg.fill("input[name=username]", username)
    pg.fill("input[name=password]", password)
    pg.locator("form [type=submit]").first.click()
    pg.wait_for_load_state("networkidle")
