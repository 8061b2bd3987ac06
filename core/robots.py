"""Group-chat robots: 企业微信 (WeCom) and 钉钉 (DingTalk) webhooks, markdown messages.

    企业微信  POST {webhook}             {"msgtype": "markdown", "markdown": {"content": text}}
    钉钉      POST {webhook}&timestamp=MS&sign=S
              {"msgtype": "markdown", "markdown": {"title": t, "text": text},
               "at": {"atMobiles": [], "isAtAll": false}}
              S = urlencode(base64(HMAC-SHA256(key=secret, msg=f"{MS}\\n{secret}")))

Both answer {"errcode": 0, …} on success. Each robot takes at most 20 messages a minute
(钉钉 blocks a robot for 10 minutes past that): `RateLimiter` waits before the 21st.
A markdown message is at most 4,096 bytes: `fit` cuts the lines to that size.
Nothing here knows about reminders; campaign/reminders/robots.py decides what to say.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

WECOM, DINGTALK = "wecom", "dingtalk"
MAX_BYTES = 4096
WINDOW_SECONDS = 60


class RobotError(Exception):
    """The robot refused or could not be reached; the message says why, for the office."""


@dataclass(frozen=True)
class Robot:
    kind: str  # WECOM or DINGTALK
    url: str
    secret: str = ""

    @property
    def key(self) -> str:
        """Identifies the robot (for rate limiting) without putting its token in a cache key."""
        return hashlib.sha256(self.url.encode()).hexdigest()[:24]


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def request_for(robot: Robot, title: str, text: str, now: Callable[[], float] = time.time) -> tuple[str, bytes]:
    """The URL and JSON body of one markdown message."""
    if robot.kind == WECOM:
        return robot.url, json.dumps({"msgtype": "markdown", "markdown": {"content": text}}).encode()
    if robot.kind == DINGTALK:
        url = robot.url
        if robot.secret:
            stamp = int(now() * 1000)
            url += f"{'&' if '?' in url else '?'}timestamp={stamp}&sign={dingtalk_sign(robot.secret, stamp)}"
        body = {
            "msgtype": "markdown",
            "markdown": {"title": title, "text": text},
            "at": {"atMobiles": [], "isAtAll": False},
        }
        return url, json.dumps(body, ensure_ascii=False).encode()
    raise ValueError(robot.kind)


def post(robot: Robot, title: str, text: str) -> None:
    """Send one message, waiting for the robot's rate limit first; RobotError on refusal."""
    RateLimiter(robot).wait()
    url, body = request_for(robot, title, text)
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=settings.ROBOT_TIMEOUT_SECONDS) as response:
            answer = json.loads(response.read().decode() or "{}")
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        raise RobotError(f"{type(exc).__name__}: {exc}") from exc
    if answer.get("errcode") != 0:
        raise RobotError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")


def fit(lines: list[str], more: Callable[[int], str], limit: int = MAX_BYTES) -> str:
    """Join lines into one message of at most `limit` bytes, saying how many were left out."""
    kept, size = [], 0
    for index, line in enumerate(lines):
        tail = more(len(lines) - index - 1) if index < len(lines) - 1 else ""
        needed = len((line + "\n").encode()) + len(tail.encode()) + 1
        if size + needed > limit:
            kept.append(more(len(lines) - index))
            break
        kept.append(line)
        size += len((line + "\n").encode())
    return "\n".join(kept)


class RateLimiter:
    """At most settings.ROBOT_MESSAGES_PER_MINUTE messages per robot in any 60 seconds,
    counted in the shared cache so that every worker process keeps to one budget."""

    def __init__(
        self, robot: Robot, clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep
    ):
        self.key = f"robots:sent:{robot.key}"
        self.clock, self.sleep = clock, sleep

    def wait(self) -> None:
        limit = settings.ROBOT_MESSAGES_PER_MINUTE
        while True:
            now = self.clock()
            recent = [t for t in cache.get(self.key, []) if now - t < WINDOW_SECONDS]
            if len(recent) < limit:
                cache.set(self.key, [*recent, now], WINDOW_SECONDS * 2)
                return
            self.sleep(WINDOW_SECONDS - (now - min(recent)) + 0.05)
