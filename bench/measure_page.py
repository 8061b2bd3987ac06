"""What bench/ledger.py needs for the measure page and for logging progress (issue 14, item 2):

- `evidence_pdf(seed)`: a real one-page PDF of about 200 KB that passes the upload checks
  (rectification/evidence.py: sniffed as PDF, no active content, no HTML), different for
  every seed so that no upload is refused as a duplicate;
- `measure_with_history(staff, leader)`: a measure of `staff`'s department with a realistic
  record (progress entries with evidence files, a sign-off request returned by the leader,
  more progress), made once and found again by its note;
- `post_pool(staff, exclude)`: the other open measures of her department, which the timed
  POSTs take in turn (so that no single page grows by hundreds of entries in one run);
- `forget_posts()`: removes what earlier runs posted (rows and files), so runs compare;
- `post_progress(...)`: the browser's round trip: POST the form with the file, follow the
  redirect to the measure page.
"""

from __future__ import annotations

import datetime as dt
import http.client
import re
import time
import uuid

from tests.rectification.files import pdf_with_content  # the tests' PDF writer, one page

HISTORY_NOTE = "bench: measure page with history"
POST_TEXT = "bench-post: "
PDF_BYTES = 200 * 1024


def evidence_pdf(seed: int | str, size: int = PDF_BYTES) -> bytes:
    """A valid one-page PDF of about `size` bytes (lines of text in one content stream)."""
    lines, length, i = [], 0, 0
    while length < size:
        y = 800 - (i % 70) * 11
        line = f"BT /F1 9 Tf 40 {y} Td (Evidence {seed}: rectification record line {i}, checked and filed.) Tj ET\n"
        lines.append(line)
        length += len(line)
        i += 1
    return pdf_with_content("".join(lines).encode("ascii"))


def _upload(name: str, seed):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, evidence_pdf(seed), content_type="application/pdf")


def measure_with_history(staff, leader) -> int:
    """The id of the measure whose page is timed: 7 progress entries, each with a PDF, and a
    sign-off request that the leader returned (steps: started, requested, returned)."""
    from rectification import services, workflow
    from rectification.models import Measure

    found = Measure.objects.filter(note=HISTORY_NOTE).values_list("pk", flat=True).first()
    if found:
        return found
    measure = (
        Measure.objects.filter(lead_department=staff.cadre.department, status=Measure.Status.NOT_STARTED)
        .order_by("pk")
        .first()
    )
    Measure.objects.filter(pk=measure.pk).update(note=HISTORY_NOTE)
    today = dt.date.today()
    for i in range(5):
        text = f"第{i + 1}阶段：梳理问题清单，修订相关制度，组织专题学习，形成阶段性成果。"
        files = [_upload(f"整改材料{i + 1}.pdf", f"history-{i}")]
        services.add_progress(measure.pk, staff, text=text, date=today, percent=15 * (i + 1), files=files, check=False)
    summary = "整改措施已全部落实，相关制度已印发执行，请审核销号。"
    workflow.submit(measure.pk, staff, summary, [_upload("整改报告.pdf", "history-report")], check=False)
    workflow.return_measure(measure.pk, leader, "佐证材料不够完整，请补充制度执行情况。", check=False)
    for i in range(2):
        text = f"补充材料{i + 1}：制度执行情况检查记录。"
        files = [_upload(f"补充材料{i + 1}.pdf", f"history-extra-{i}")]
        services.add_progress(measure.pk, staff, text=text, date=today, percent=90, files=files, check=False)
    return measure.pk


def post_pool(staff, exclude: int, size: int = 20) -> list[int]:
    """Open measures of the staff member's department on which she may log progress."""
    from rectification import permissions
    from rectification.models import Measure

    candidates = (
        Measure.objects.filter(lead_department=staff.cadre.department, status=Measure.Status.IN_PROGRESS)
        .exclude(pk=exclude)
        .order_by("pk")
    )
    return [m.pk for m in candidates[: size * 2] if permissions.can_add_progress(staff, m)][:size]


def forget_posts() -> int:
    """Delete the progress entries (and their files) that earlier runs posted."""
    from rectification.models import Evidence, Progress

    evidence = Evidence.objects.filter(progress__text__startswith=POST_TEXT)
    for item in evidence:
        item.file.storage.delete(item.file.name)
    evidence.delete()
    deleted, _ = Progress.objects.filter(text__startswith=POST_TEXT).delete()
    return deleted


def multipart(fields: dict, file_field: str, filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(html: str) -> str:
    return CSRF_INPUT.search(html)[1]


def post_progress(port: int, cookie: str, csrf: str, measure_id: int, seed, today: str) -> float:
    """POST a progress entry with a fresh 200 KB PDF, then GET the page the redirect names;
    the seconds of both (the user's wait). The PDF is built before the clock starts."""
    body, content_type = multipart(
        {
            "csrfmiddlewaretoken": csrf,
            "text": f"{POST_TEXT}完成制度修订并组织学习，附会议记录。",
            "date": today,
            "percent": "60",
            "submission_token": str(uuid.uuid4()),
        },
        "files",
        f"会议记录{seed}.pdf",
        evidence_pdf(f"post-{seed}"),
    )
    headers = {"Cookie": cookie, "Host": "127.0.0.1", "Content-Type": content_type}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.perf_counter()
    conn.request("POST", f"/rectification/measures/{measure_id}/progress/", body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    location = response.getheader("Location") or ""
    if response.status != 302 or f"/measures/{measure_id}/" not in location:
        raise RuntimeError(f"progress POST: HTTP {response.status} {location}")
    # As a browser would: send back what the POST set (the “Progress saved.” message).
    cookies = [c.split(";", 1)[0] for k, c in response.getheaders() if k.lower() == "set-cookie"]
    get_ok(conn, location.split("#")[0], "; ".join([cookie, *cookies]))
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def get_ok(conn, path: str, cookie: str) -> None:
    """GET `path` on an open connection with these cookies; raise unless 200 with a body."""
    conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
    response = conn.getresponse()
    body = response.read()
    if response.status != 200 or not body:
        raise RuntimeError(f"{path}: HTTP {response.status}")
