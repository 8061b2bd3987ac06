"""The 50-user mixed load of bench/load.py, as locust users (run it through bench/load.py,
which prepares the database and the accounts and writes the plan this file reads).

Three kinds of user, each logged in once at start with its own account:
  - Staff (30): open the ledger (their own measures), open one of their measures, write for
    a while, POST a progress entry with a 200 KB PDF and follow the redirect to the measure.
  - Leader (15): the dashboard in their own scope, switch to the whole bureau, the ledger of
    the whole bureau, then the ledger filtered (overdue, or one of their departments).
  - Office (5): the ledger filtered as they need it and its .xlsx export, the monthly
    report's PDF and Excel ledger, the party-building compliance page and its .xlsx.

Think time: 2–5 s between page views (reading a page and clicking on), 10–20 s for a staff
member writing a progress entry, 15–30 s after a download (the file is opened and read).

The measured window: every user logs in at start (PBKDF2 is deliberately slow, and 50
logins at once keep both cores busy for several seconds), waits until all LOAD_USERS are
in, then starts after its first think time; LOAD_WINDOW seconds later the run stops. Every
request's time in the window is recorded (not only locust's rounded percentiles) and
written to LOAD_SAMPLES at the end; the request name says its group, and a "download:" or
"login:" prefix keeps files and logins out of the page views' p99.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
import time
import uuid

import gevent
import gevent.event
from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())
PDF = open(PLAN["pdf"], "rb").read()
SAMPLES: list[tuple[str, float, bool]] = []
_accounts = {kind: itertools.cycle(PLAN["accounts"][kind]) for kind in PLAN["accounts"]}
ALL_LOGGED_IN = gevent.event.Event()
WINDOW_CLOSED = gevent.event.Event()
_logins = {"done": 0}
WINDOW: list[float] = []  # wall-clock start and end, for the CPU figures of bench/load.py


@events.request.add_listener
def _record(name, response_time, exception, **_kwargs):
    # Requests cut off by the end of the run are not counted (they report status 0).
    in_window = ALL_LOGGED_IN.is_set() and not WINDOW_CLOSED.is_set()
    if in_window or name.startswith("login:"):
        SAMPLES.append((name, response_time, exception is None))


def tag(name: str) -> dict:
    """The header by which gunicorn's CPU log (config/gunicorn.conf.py) names the group."""
    return {"X-Load-Group": name}


def _close_window(environment):
    WINDOW.append(time.time())
    WINDOW_CLOSED.set()
    environment.runner.quit()


def _logged_in(environment):
    """Count a login; the last one opens the window and schedules the end of the run."""
    _logins["done"] += 1
    if _logins["done"] == int(os.environ["LOAD_USERS"]):
        WINDOW.append(time.time())
        ALL_LOGGED_IN.set()
        gevent.spawn_later(float(os.environ["LOAD_WINDOW"]), _close_window, environment)


@events.quitting.add_listener
def _write(**_kwargs):
    with open(os.environ["LOAD_SAMPLES"], "w", encoding="utf-8") as out:
        json.dump({"window": WINDOW, "samples": SAMPLES}, out)


class BureauUser(HttpUser):
    abstract = True
    kind = ""
    wait_time = between(2, 5)

    def on_start(self):
        self.account = next(_accounts[self.kind])
        page = self.client.get("/accounts/login/", name="login: form", headers=tag("login: form"))
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        fields = {"username": self.account["username"], "password": PLAN["password"], "csrfmiddlewaretoken": csrf}
        self.post("/accounts/login/", fields, "login: POST")
        _logged_in(self.environment)
        ALL_LOGGED_IN.wait()
        self.think(0, 5)  # users do not all click at the same moment

    def post(self, path: str, fields: dict, name: str, files: dict | None = None) -> str | None:
        """POST a form; a success is a redirect, whose target is returned."""
        with self.client.post(
            path, fields, files=files, name=name, headers=tag(name), allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"{path}: {response.status_code}")
                return None
            return response.headers["Location"]

    def page(self, path: str, name: str, expect: str = ""):
        with self.client.get(path, name=name, headers=tag(name), catch_response=True) as response:
            if response.status_code != 200 or "/accounts/login/" in response.url:
                response.failure(f"{path}: {response.status_code} at {response.url}")
            elif expect and expect not in response.text:
                response.failure(f"{path}: {expect!r} not on the page")
        return response

    def download(self, path: str, name: str, magic: bytes):
        with self.client.get(
            path, name=f"download: {name}", headers=tag(f"download: {name}"), catch_response=True
        ) as response:
            if response.status_code != 200 or not response.content.startswith(magic):
                response.failure(f"{path}: {response.status_code}, {response.content[:20]!r}")
        self.think(15, 30)

    def think(self, low: float, high: float):
        gevent.sleep(random.uniform(low, high))


class Staff(BureauUser):
    kind = "staff"
    weight = 30

    @task
    def log_progress(self):
        measure = random.choice(self.account["measures"])
        self.page("/rectification/?mine=1", "ledger (staff: mine)")
        self.think(2, 5)
        page = self.page(f"/rectification/measures/{measure}/", "measure page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        self.think(10, 20)
        fields = {
            "text": f"压力测试：完成阶段任务，附佐证材料（{uuid.uuid4().hex[:6]}）",
            "date": dt.date.today().isoformat(),
            "percent": str(random.choice([40, 60, 80])),
            "submission_token": str(uuid.uuid4()),
            "csrfmiddlewaretoken": token.group(1) if token else "",
        }
        document = PDF.replace(b"%" + b"0" * 32, b"%" + uuid.uuid4().hex.encode(), 1)  # a new file each time
        files = {"files": ("整改佐证.pdf", document, "application/pdf")}
        target = self.post(f"/rectification/measures/{measure}/progress/", fields, "progress POST (200 KB PDF)", files)
        if target:
            self.page(target.split("#")[0], "measure page (after POST)", expect="整改佐证.pdf")


class Leader(BureauUser):
    kind = "leader"
    weight = 15

    @task
    def look_around(self):
        self.page("/dashboard/", "dashboard (own scope)")
        self.think(2, 5)
        self.page("/dashboard/?scope=all", "dashboard (whole bureau)")
        self.think(2, 5)
        self.page("/rectification/?scope=all", "ledger (leader: whole bureau)")
        self.think(2, 5)
        query = random.choice(PLAN["leader_filters"])
        self.page(f"/rectification/?{query}", "ledger (leader: filtered)")


class Office(BureauUser):
    kind = "office"
    weight = 5

    @task
    def export(self):
        # The three exports in a random order for each user: with the think times after a
        # download the 60 s window holds about two of them, and all three must be measured.
        exports = [self.ledger_export, self.monthly_report, self.compliance]
        random.shuffle(exports)
        for export in exports:
            export()

    def ledger_export(self):
        query = random.choice(PLAN["office_filters"])
        self.page(f"/rectification/?{query}", "ledger (office: filtered)")
        self.think(2, 5)
        self.download(f"/rectification/export/?{query}", "ledger .xlsx (filtered)", b"PK")

    def monthly_report(self):
        self.page("/reports/", "reports list")
        self.think(2, 5)
        report = PLAN["report"]
        self.download(f"/reports/{report}/pdf/", "monthly report .pdf", b"%PDF")
        self.download(f"/reports/{report}/xlsx/", "monthly report .xlsx", b"PK")

    def compliance(self):
        self.page("/partybuilding/compliance/", "compliance page")
        self.think(2, 5)
        self.download("/partybuilding/compliance/?format=xlsx", "compliance .xlsx", b"PK")
