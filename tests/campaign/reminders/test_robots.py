"""Group-chat robots (企业微信, 钉钉): one message per robot per sweep, in the robots' own
format and with 钉钉's signature, checked by a real local HTTP server; never twice; failures
retried and shown to the office; the 20-a-minute limit kept."""

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from campaign.models import ChatRobot, RobotMessage
from campaign.reminders import robots as reminder_robots
from campaign.reminders.sweep import run_sweep
from core import robots
from tests.conftest import login

from .support import DAY, Ledger

SECRET = "SEC0123456789abcdef"


class RobotServer:
    """A local stand-in for both robot APIs that checks what a real one checks."""

    def __init__(self):
        self.received: list[dict] = []
        self.fail_next = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode())
                url = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(url.query)
                if server.fail_next:  # refused before it is read: 钉钉's "too fast" block
                    server.fail_next -= 1
                    answer = {"errcode": 130101, "errmsg": "send too fast"}
                else:
                    answer = server.check(url.path, query, body, self.headers.get("Content-Type", ""))
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def check(self, path, query, body, content_type) -> dict:
        assert content_type.startswith("application/json")
        assert body["msgtype"] == "markdown"
        if path == "/cgi-bin/webhook/send":
            assert query["key"] == ["wecom-key"] or query["key"][0].startswith("dept")
            content = body["markdown"]["content"]
            assert len(content.encode()) <= 4096
            self.received.append({"robot": "wecom", "key": query["key"][0], "text": content})
        elif path == "/robot/send":
            stamp = int(query["timestamp"][0])
            expected = base64.b64encode(
                hmac.new(SECRET.encode(), f"{stamp}\n{SECRET}".encode(), hashlib.sha256).digest()
            ).decode()
            if query["sign"][0] != expected:
                return {"errcode": 310000, "errmsg": "sign not match"}
            assert body["markdown"]["title"] and body["at"] == {"atMobiles": [], "isAtAll": False}
            self.received.append({"robot": "dingtalk", "text": body["markdown"]["text"]})
        else:
            return {"errcode": 404, "errmsg": "no such robot"}
        return {"errcode": 0, "errmsg": "ok"}

    def stop(self):
        self.httpd.shutdown()


@pytest.fixture
def server(settings):
    server = RobotServer()
    settings.WECOM_WEBHOOK_URL = f"{server.url}/cgi-bin/webhook/send?key=wecom-key"
    settings.DINGTALK_WEBHOOK_URL = f"{server.url}/robot/send?access_token=tok"
    settings.DINGTALK_SECRET = SECRET
    settings.SITE_URL = "https://nlzf.bureau.local"
    yield server
    server.stop()


@pytest.fixture
def ledger(org, settings):
    settings.MAIN_LEADER_USERNAME = "other_leader"
    return Ledger(org)


def test_a_sweep_posts_one_message_per_robot_with_a_valid_signature(ledger, server, org):
    ledger.measure(DAY - dt.timedelta(days=3), description="修订审批制度")
    ledger.measure(DAY + dt.timedelta(days=8), person="staff_b", department=org.dept_b, leader="other_leader")
    run_sweep(DAY)
    assert sorted(r["robot"] for r in server.received) == ["dingtalk", "wecom"]
    for message in server.received:
        text = message["text"]
        assert "2026年3月30日" in text and "红色预警" in text and "修订审批制度" in text
        assert "](https://nlzf.bureau.local/rectification/" in text  # links open the measure
    assert set(RobotMessage.objects.values_list("status", flat=True)) == {"sent"}

    run_sweep(DAY)  # the same day again: nothing new to say, nothing sent twice
    assert len(server.received) == 2


def test_a_department_robot_gets_only_its_own_peoples_reminders(ledger, server, org, settings):
    settings.WECOM_WEBHOOK_URL = settings.DINGTALK_WEBHOOK_URL = ""
    ChatRobot.objects.create(
        department=org.dept_b, kind=ChatRobot.Kind.WECOM, webhook_url=f"{server.url}/cgi-bin/webhook/send?key=dept-b"
    )
    ledger.measure(DAY - dt.timedelta(days=3), description="甲科室的措施")
    ledger.measure(
        DAY - dt.timedelta(days=2),
        person="staff_b",
        department=org.dept_b,
        leader="other_leader",
        description="乙科室的措施",
    )
    run_sweep(DAY)
    assert len(server.received) == 1
    assert server.received[0]["key"] == "dept-b"
    assert "乙科室的措施" in server.received[0]["text"] and "甲科室的措施" not in server.received[0]["text"]


def test_a_failing_robot_is_shown_to_the_office_and_sent_once_by_the_next_sweep(ledger, server, client, org):
    ledger.measure(DAY - dt.timedelta(days=3))
    server.fail_next = 1  # the first call (WeCom or DingTalk) is refused
    run_sweep(DAY)
    failed = RobotMessage.objects.get(status=RobotMessage.Status.FAILED)
    assert "130101" in failed.error and len(server.received) == 1

    page = login(client, org.users["office"]).get("/reminders/robots/").content.decode()
    assert "130101" in page and "失败" in page

    run_sweep(DAY + dt.timedelta(days=1))  # the next working day retries what is owed
    failed.refresh_from_db()
    assert failed.status == RobotMessage.Status.SENT and failed.attempts == 2
    sent_for_day = [r for r in server.received if "2026年3月30日" in r["text"]]
    assert len(sent_for_day) == 2  # each robot got the 30 March message exactly once


def test_a_long_day_is_cut_to_the_robots_size_limit(ledger, server):
    for i in range(120):
        ledger.measure(DAY - dt.timedelta(days=3), description=f"措施{i}：" + "完善制度" * 10)
    run_sweep(DAY)
    wecom = next(r for r in server.received if r["robot"] == "wecom")
    assert len(wecom["text"].encode()) <= 4096
    assert "请到领导驾驶舱查看" in wecom["text"] and wecom["text"].endswith("(https://nlzf.bureau.local/dashboard/)")


def test_the_rate_limit_waits_before_the_21st_message(settings):
    settings.ROBOT_MESSAGES_PER_MINUTE = 20
    now, slept = [1000.0], []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    limiter = robots.RateLimiter(robots.Robot(robots.WECOM, "http://x/?key=k"), clock=lambda: now[0], sleep=sleep)
    for _ in range(20):
        limiter.wait()
        now[0] += 0.5
    assert slept == []
    limiter.wait()  # the 21st within the minute waits until the first one is a minute old
    assert len(slept) == 1 and 50 < slept[0] <= 61


def test_only_the_office_sets_up_robots(client, org):
    response = login(client, org.users["head"]).get("/reminders/robots/")
    assert response.status_code == 403 and "领导小组办公室" in response.content.decode()
    office = login(client, org.users["office"])
    bad = office.post(
        "/reminders/robots/", {"department": org.dept_a.pk, "kind": "wecom", "webhook_url": "https://x.cn/"}
    )
    assert bad.status_code == 400 and "key" in bad.content.decode()
    ok = office.post(
        "/reminders/robots/",
        {
            "department": org.dept_a.pk,
            "kind": "dingtalk",
            "webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=t",
            "secret": SECRET,
            "active": "on",
        },
    )
    assert ok.status_code == 302 and ChatRobot.objects.get().department == org.dept_a
    assert reminder_robots.channels()[-1][1].department == org.dept_a
