"""Every URL pattern, as anonymous and as every role, with objects of the user's own and of
another department: no 200 where the role may not see or change, no 500 anywhere, a strict
CSP on every page (issue 13, item 10).

The patterns come from the resolver, so a new area (party building, cadres, …) is covered
the day its URLs are included, without new test code. The world is the demo bureau (every
app's demo.py), seeded once for this module. A parameter is filled generically:

- an integer id: the model is the class-based view's `model`, the admin's model, or the
  model named by the parameter (`round_pk` → InspectionRound) or the URL name
  (`measure_detail` → Measure; `open_notice` → Notice), preferring the view's own app;
- `year`: a value of a `year` field of a model in the view's app;
- anything else: PARAMETER_VALUES below, by parameter name.

Which object is "own" and which "foreign" for a user follows the object's departments (its
foreign keys and many-to-many fields to Department, or those of the objects it points to)
against cadres.scoping.visible_department_ids(user, area), and for per-person objects
(a `recipient` or `owner` field) whether it is the user's. A foreign object must answer 403,
404 or 405, never 200 (nor, for a POST, a redirect: that would be a change made).
A pattern that cannot be filled fails, saying how to teach it.
"""

from __future__ import annotations

import importlib
import io
import re
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from cadres.models import Department
from cadres.roles import SEE_ALL
from cadres.scoping import visible_department_ids
from campaign.management.commands.seed_demo import DEMO_MODULES
from config.admin_site import is_administrator

from .test_csp import assert_strict_csp

pytestmark = pytest.mark.django_db

ROLES = [None, "office", "leader", "head", "staff", "secretary", "hr", "admin"]
CSRF = "x" * 32
DENIED = {403, 404, 405}
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _transitions():
    from rectification.workflow import TRANSITIONS

    return list(TRANSITIONS)


# Values of parameters that name no model, by parameter name: teach new ones here.
PARAMETER_VALUES = {
    "fmt": lambda: ["pdf", "xlsx"],
    "action": _transitions,
    "code": lambda: [403, 404, 500],
    "app_label": lambda: sorted({m._meta.app_label for m in _admin_site()._registry}),
    "url": lambda: ["no-such-page/"],  # the admin's catch-all
}


def _admin_site():
    from django.contrib import admin

    return admin.site


# --- the patterns --------------------------------------------------------------------


@dataclass
class Pattern:
    route: str
    name: str  # namespace:name
    callback: object
    params: list  # (name, converter class name)

    @property
    def namespace(self) -> str:
        return self.name.split(":", 1)[0] if ":" in self.name else ""

    @property
    def is_admin(self) -> bool:
        return self.namespace == "admin"

    @property
    def public(self) -> bool:
        return getattr(self.callback, "login_required", True) is False


def _walk(resolver, prefix="", namespace=None, converters=None):
    for entry in resolver.url_patterns:
        pattern_converters = {**(converters or {}), **entry.pattern.converters}
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if entry.namespace and namespace:
                ns = f"{namespace}:{entry.namespace}"
            yield from _walk(entry, prefix + str(entry.pattern), ns, pattern_converters)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = f"{namespace}:{entry.name or route}" if namespace else (entry.name or route)
            params = re.findall(r"<(?:(\w+):)?(\w+)>", route)
            yield Pattern(route, name, entry.callback, [(p, c or "str") for c, p in params])


def all_patterns() -> list[Pattern]:
    seen, result = set(), []
    for p in _walk(get_resolver()):
        if (p.route, p.name) in seen:
            continue
        seen.add((p.route, p.name))
        result.append(p)
    return result


PATTERNS = all_patterns()


# --- the world -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo bureau (every app's demo), plus what the demo has no reason to make."""
    media = tmp_path_factory.mktemp("url-access-media")
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(DEBUG=True, PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media):
                for name in DEMO_MODULES:
                    importlib.import_module(name).seed()
                _extras()
            users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}
            # One session per role for the whole module (a login per request would double the time).
            sessions = {}
            for name, user in users.items():
                client = Client()
                client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
                sessions[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
            yield SimpleNamespace(users=users, sessions=sessions, media=media)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _extras():
    """What the demo does not hold: a notice and a reminder digest for every demo login, a
    built report, a department's chat robot, two related cadres, a meeting's attachment and
    an exemption of each branch."""
    from cadres.models import Cadre, Relation
    from campaign.models import ChatRobot, Report
    from campaign.reminders.models import Digest, SweepRun
    from core.dates import today
    from core.models import Notice
    from partybuilding.models import Attachment, Branch, Exemption, Meeting

    for department in Department.objects.filter(active=True)[:3]:
        ChatRobot.objects.create(department=department, kind="wecom", webhook_url="https://robot.invalid/?key=k")
    first, second = (
        Cadre.objects.order_by("department_id", "pk").first(),
        Cadre.objects.order_by("-department_id").first(),
    )
    Relation.objects.create(cadre=first, relative=second, kind=Relation.Kind.IN_LAW)
    for branch in Branch.objects.all():
        month = today().replace(day=1, month=1)
        Exemption.objects.create(
            branch=branch, obligation="lesson", first_month=month, last_month=month, reason="新成立"
        )
        meeting = Meeting.objects.filter(branch=branch).first()
        if meeting is not None:
            attachment = Attachment(
                meeting=meeting, original_name="签到表.pdf", content_type="application/pdf", size=9, sha256="0" * 64
            )
            attachment.file.save("sign-in.pdf", io.BytesIO(b"%PDF-1.4\n"), save=True)

    sweep = SweepRun.objects.create(day=today())
    for user in get_user_model().objects.filter(username__in=ROLES):
        Notice.objects.create(recipient=user, title=f"提醒 {user.username}", link="/")
        Digest.objects.create(sweep=sweep, recipient=user)
    report = Report.objects.create(period_start=today().replace(day=1), period_end=today(), status="done")
    report.pdf.save("r.pdf", io.BytesIO(b"%PDF-1.4\n"), save=False)
    report.xlsx.save("r.xlsx", io.BytesIO(b"PK"), save=False)
    report.save()


# --- filling the parameters ------------------------------------------------------------


def _app_of(callback):
    module = getattr(getattr(callback, "view_class", None), "__module__", None) or callback.__module__
    return apps.get_containing_app_config(module)


def model_for(pattern: Pattern, param: str):
    model_admin = getattr(pattern.callback, "model_admin", None)
    if model_admin is not None:
        return model_admin.model
    view_model = getattr(getattr(pattern.callback, "view_class", None), "model", None)
    if view_model is not None and param in ("pk", "id"):
        return view_model
    if param.endswith("_pk"):
        tokens = [param[: -len("_pk")]]
    else:
        # The path segment before the parameter (branches/<int:pk>/members/new/ → branch), then
        # the URL name's words (measure_detail).
        before = re.search(r"([a-z_-]+)/<(?:\w+:)?" + param + ">", pattern.route)
        tokens = ([_singular(before.group(1))] if before else []) + pattern.name.split(":")[-1].split("_")
    home = _app_of(pattern.callback)
    candidates = list(home.get_models()) if home else []
    candidates += [m for m in apps.get_models() if m not in candidates]
    for token in tokens:
        for model in candidates:
            name = model._meta.model_name
            if token and not name.startswith("historical") and (name == token or name.endswith(token)):
                return model
    return None


def _singular(word: str) -> str:
    word = word.replace("-", "_")
    if word.endswith("ches") or word.endswith("shes"):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def department_ids(obj, depth: int = 2) -> set[int]:
    """The departments an object belongs to: its own links to Department, or else those of
    the objects it points to (Evidence → Measure → lead and partner departments)."""
    if isinstance(obj, Department):
        return {obj.pk}
    found: set[int] = set()
    relations = [f for f in obj._meta.get_fields() if f.is_relation and f.concrete]
    for field in relations:
        if field.related_model is Department:
            if field.many_to_many:
                found |= set(getattr(obj, field.name).values_list("pk", flat=True))
            elif getattr(obj, field.attname):
                found.add(getattr(obj, field.attname))
    if found or depth <= 1:
        return found
    for field in relations:
        if isinstance(field, models.ForeignKey) and field.related_model not in (get_user_model(), Department):
            target = getattr(obj, field.name)
            if target is not None:
                found |= department_ids(target, depth - 1)
    return found


def owner_field(model):
    for name in ("recipient", "owner"):  # (a Cadre's `user` is its login, not an owner)
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - FieldDoesNotExist
            continue
        if field.is_relation and field.related_model is get_user_model():
            return field.attname
    return None


OBJECTS: dict = {}


def objects_for(model, user, area):
    """(own, foreign) instances of `model` for this user; either may be None."""
    key = (model, getattr(user, "pk", None), area)
    if key not in OBJECTS:
        OBJECTS[key] = _objects_for(model, user, area)
    return OBJECTS[key]


def _objects_for(model, user, area):
    owner = owner_field(model)
    if owner and user is not None:
        own = model.objects.filter(**{owner: user.pk}).first()
        return own, model.objects.exclude(**{owner: user.pk}).first()
    visible = visible_department_ids(user, area) if user is not None else None
    own = foreign = None
    for obj in model.objects.all()[:400]:
        departments = department_ids(obj)
        if visible is None or not departments or departments & visible:
            own = own or obj
        elif foreign is None:
            foreign = obj
        if own and foreign:
            break
    return own, foreign


@dataclass
class Case:
    url: str
    foreign: bool


def cases_for(pattern: Pattern, user) -> list[Case]:
    """The URLs to request for this pattern and user: one with the user's own objects, one
    with another department's where there is one."""
    # The scope of the URL's own area (cadres.roles.SEE_ALL), the campaign's for the others.
    area = pattern.namespace if pattern.namespace in SEE_ALL else "campaign"
    own_values, foreign_values = {}, {}
    for param, _converter in pattern.params:
        if param in PARAMETER_VALUES:
            own_values[param] = foreign_values[param] = PARAMETER_VALUES[param]()[0]
            continue
        if param == "year":
            model = next((m for m in _app_of(pattern.callback).get_models() if _has_field(m, "year")), None)
            value = model.objects.values_list("year", flat=True).first() if model else None
            if value is None:
                pytest.fail(_teach(pattern, param))
            own_values[param] = foreign_values[param] = value
            continue
        model = model_for(pattern, param)
        if model is None:
            pytest.fail(_teach(pattern, param))
        own, foreign = objects_for(model, user, area)
        if own is None and foreign is None:
            if pattern.is_admin:
                own = SimpleNamespace(pk=987654321)  # the admin answers a missing object with a redirect
            else:
                pytest.fail(
                    f"{pattern.name} ({pattern.route}): no {model.__name__} exists in the demo; "
                    f"seed one in its app's demo.py or in _extras() of {__name__}"
                )
        own_values[param] = (own or foreign).pk
        foreign_values[param] = foreign.pk if foreign is not None else None
    cases = [Case(_fill(pattern.route, own_values), foreign=False)]
    # In the admin, administrators see everything and everyone else nothing (checked apart).
    if (
        not pattern.is_admin
        and pattern.params
        and all(v is not None for v in foreign_values.values())
        and foreign_values != own_values
    ):
        cases.append(Case(_fill(pattern.route, foreign_values), foreign=True))
    return cases


def _has_field(model, name):
    return any(f.name == name for f in model._meta.get_fields())


def _teach(pattern, param):
    return (
        f"{pattern.name} ({pattern.route}): cannot fill <{param}>. Name the model in the URL name or the "
        f"parameter (<int:measure_pk>), give the class-based view a `model`, or add "
        f"PARAMETER_VALUES['{param}'] in {__name__}."
    )


def _fill(route: str, values: dict) -> str:
    # A regex route (the admin's catch-all): its named groups, then its anchors, go.
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), route).replace("^", "").replace("$", "")
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)


# --- requesting ------------------------------------------------------------------------


def _client(user, session=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF
    if session:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    elif user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _check(pattern, role, user, case, method, response, problems):
    where = f"{method} {case.url} as {role or 'anonymous'}"
    status = response.status_code
    if status >= 500:
        problems.append(f"{where}: {status}")
        return
    login_redirect = status == 302 and "login" in response.get("Location", "")
    if user is None and not pattern.public:
        if not login_redirect:
            problems.append(f"{where}: {status}, expected a redirect to the login page")
        return
    if pattern.is_admin and not pattern.public and user is not None and not is_administrator(user):
        if status == 200:
            problems.append(f"{where}: {status}, the admin is for administrators only")
        return
    if case.foreign and not (status in DENIED or (method == "GET" and status == 302 and login_redirect)):
        problems.append(f"{where}: {status} for another department's object, expected 403/404")
    if status == 200 and "text/html" in response.get("Content-Type", ""):
        try:
            assert_strict_csp(response)
        except AssertionError as exc:
            problems.append(f"{where}: weak or missing Content-Security-Policy ({exc})")


@pytest.mark.parametrize("pattern", PATTERNS, ids=[p.name for p in PATTERNS])
def test_url_access(pattern, world, settings):
    settings.MEDIA_ROOT = world.media
    problems: list[str] = []
    for role in ROLES:
        user = world.users.get(role) if role else None
        if role and user is None:
            pytest.fail(f"the demo has no login {role!r}")
        client = _client(user, world.sessions.get(role))
        for case in cases_for(pattern, user):
            methods = ["GET"]
            # POST where the view may change something; never as an administrator into the admin
            # (a bare POST to its delete view deletes).
            if not (pattern.is_admin and user is not None and user.is_superuser):
                methods.append("POST")
            for method in methods:
                if user is not None and "_auth_user_id" not in client.session:
                    client = _client(user)  # logged out by the previous request
                if method == "GET":
                    response = client.get(case.url)
                else:
                    response = client.post(case.url, {"csrfmiddlewaretoken": CSRF})
                _check(pattern, role, user, case, method, response, problems)
    assert not problems, "\n".join(problems)


def test_every_area_is_covered():
    names = {p.namespace for p in PATTERNS}
    assert {"rectification", "cadres", "campaign", "partybuilding", "core", "admin"} <= names
