"""Two web hosts sharing PostgreSQL, Redis and an S3 object store (docs/deployment.md).

    .venv/bin/python bench/two_hosts.py [--database postgres://postgres@127.0.0.1:5432/bench_two_hosts]

Starts an S3 API server (moto's server mode), one Celery worker, and two gunicorn instances
on two ports, all with the same environment; then, over real HTTP:
  1. staff logs progress with a 200 KB PDF through host A; the same evidence is downloaded
     through host B (and compared byte for byte);
  2. the office asks host B for a monthly report; host A shows it built by the worker and
     serves its PDF from the object store;
  3. an import preview made on host A is confirmed on host B (the pending file is shared).
Prints each step's time and stops everything it started.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import http.cookiejar
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import ensure_database, free_port, wait_for  # noqa: E402

PY = str(ROOT / ".venv" / "bin" / "python")
BUCKET = "nlzf-two-hosts"


class Browser:
    """A logged-in HTTP client with its own cookies (urllib, multipart by hand)."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def use(self, base: str) -> Browser:
        other = Browser(base)
        other.jar, other.opener = self.jar, self.opener  # the same session on another host
        return other

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def get(self, path: str) -> tuple[int, bytes, str]:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.status, response.read(), response.geturl()

    def post(self, path: str, fields: dict, files: dict | None = None) -> tuple[int, bytes, str]:
        boundary = uuid.uuid4().hex
        body = b""
        for name, value in {**fields, "csrfmiddlewaretoken": self.csrf()}.items():
            body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, (filename, data, kind) in (files or {}).items():
            body += (
                (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    f"Content-Type: {kind}\r\n\r\n"
                ).encode()
                + data
                + b"\r\n"
            )
        body += f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST")
        request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
        request.add_header("Referer", self.base + path)
        with self.opener.open(request, timeout=60) as response:
            return response.status, response.read(), response.geturl()

    def login(self, username: str) -> Browser:
        self.get("/accounts/login/")
        status, _body, url = self.post("/accounts/login/", {"username": username, "password": "demo2026"})
        assert "/accounts/login/" not in url, f"login as {username} failed"
        return self


def pdf_bytes(size: int = 200_000) -> bytes:
    padding = b"%" + os.urandom(size // 2).hex().encode()[: size - 64] + b"\n"
    return b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n" + padding + b"trailer<</Root 1 0 R>>\n%%EOF\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/bench_two_hosts")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    args = parser.parse_args()
    ensure_database(args.database)
    s3_port, port_a, port_b = free_port(), free_port(), free_port()
    var = Path(tempfile.mkdtemp(prefix="two-hosts-"))
    env = {
        **os.environ,
        "DATABASE_URL": args.database,
        "REDIS_URL": args.redis,
        "STORAGE_URL": f"s3://test:test@{BUCKET}/nlzf?endpoint_url=http://127.0.0.1:{s3_port}&region_name=us-east-1",
        "DEBUG": "false",
        "SECRET_KEY": "two-hosts-" + uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    processes = []

    def start(*command):
        processes.append(
            subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        )

    try:
        start(PY, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(s3_port))
        wait_for(f"http://127.0.0.1:{s3_port}/moto-api/")
        import boto3

        boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{s3_port}",
            aws_access_key_id="test",
            aws_secret_access_key="test",
            region_name="us-east-1",
        ).create_bucket(Bucket=BUCKET)
        t = time.perf_counter()
        for command in (
            ["migrate", "--noinput", "-v0"],
            ["collectstatic", "--noinput", "-v0"],
            ["seed_demo", "--force"],
        ):
            subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        print(f"setup (migrate, collectstatic, seed with evidence in S3): {time.perf_counter() - t:.1f} s")
        start(
            str(ROOT / ".venv/bin/celery"),
            "-A",
            "config",
            "worker",
            "--concurrency",
            "1",
            "--without-mingle",
            "--without-gossip",
            "-l",
            "warning",
        )
        for port in (port_a, port_b):
            start(str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2")
        host_a, host_b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
        wait_for(host_a + "/accounts/login/")
        wait_for(host_b + "/accounts/login/")
        run_scenario(host_a, host_b, env)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)


def run_scenario(host_a: str, host_b: str, env: dict) -> None:
    os.environ.update(env)
    import django

    django.setup()
    from core import dates
    from rectification.models import Evidence, Measure

    staff = Browser(host_a).login("staff")
    measure = Measure.objects.filter(responsible_person__user__username="staff", status="in_progress").first()
    data = pdf_bytes()
    t = time.perf_counter()
    staff.post(
        f"/rectification/measures/{measure.pk}/progress/",
        {
            "text": "两台主机测试：已上传佐证材料",
            "date": dates.today().isoformat(),
            "submission_token": str(uuid.uuid4()),
        },
        {"files": ("两台主机.pdf", data, "application/pdf")},
    )
    upload_s = time.perf_counter() - t
    evidence = Evidence.objects.filter(measure=measure).order_by("-pk").first()
    t = time.perf_counter()
    status, body, _url = staff.use(host_b).get(f"/rectification/evidence/{evidence.pk}/")
    download_s = time.perf_counter() - t
    same = hashlib.sha256(body).hexdigest() == hashlib.sha256(data).hexdigest()
    print(
        f"1. evidence: upload via A {upload_s * 1000:.0f} ms, download via B {download_s * 1000:.0f} ms, "
        f"{len(body):,} bytes, identical: {same}"
    )
    assert status == 200 and same

    office_b = Browser(host_b).login("office")
    month = f"{dates.previous_month(dates.today())[0]:%Y-%m}"
    t = time.perf_counter()
    office_b.post("/reports/new/", {"kind": "monthly", "month": month, "round": ""})
    from campaign.models import Report

    report = Report.objects.order_by("-pk").first()
    office_a = office_b.use(host_a)
    while True:
        report.refresh_from_db()
        if report.is_finished:
            break
        if time.perf_counter() - t > 300:
            raise SystemExit("the report was not built within 5 minutes")
        office_a.get(f"/reports/{report.pk}/row/")
        time.sleep(0.5)
    status, body, _url = office_a.get(f"/reports/{report.pk}/pdf/")
    print(
        f"2. report asked on B, built by the worker, served by A: {report.status} in "
        f"{time.perf_counter() - t:.1f} s, PDF {len(body):,} bytes, {body[:5]!r}"
    )
    assert report.status == "done" and body.startswith(b"%PDF")

    from tests.rectification.xlsx_fixtures import HEADER, xlsx

    fields = ["1", "作风建设", "两台主机测试问题", "按期整改", "建立两台主机测试制度", "李红梅", "行政审批科"]
    sheet = xlsx([HEADER, [*fields, "", "孙丽娟", "限期整改", dt.date(2026, 12, 31), ""]])
    office_a.get("/rectification/import/")
    status, page, _url = office_a.post(
        "/rectification/import/",
        {"round": measure.problem.round_id},
        {"file": ("问题清单.xlsx", sheet, "application/octet-stream")},
    )
    confirm = {k.decode(): v.decode() for k, v in re.findall(rb'name="(token|sha256)" value="([^"]*)"', page)}
    assert set(confirm) == {"token", "sha256"}, "the preview offered no confirmation"
    before = Measure.objects.count()
    status, page, url = office_b.post("/rectification/import/", confirm)
    added = Measure.objects.count() - before
    print(f"3. import previewed on A, confirmed on B: {added} measures added, now at {urllib.parse.urlsplit(url).path}")
    assert added > 0


if __name__ == "__main__":
    main()
