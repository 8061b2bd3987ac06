"""Evidence files (issue 3, item 3): checked from the content, size-limited, stored under
MEDIA_ROOT with their SHA-256, served only to who may see the measure."""

import hashlib
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rectification import evidence, services
from rectification.models import Evidence, Progress
from tests.conftest import login

from .files import tiny_pdf, tiny_png
from .ledger_support import Ledger, docx_bytes, ole_bytes, pdf_upload, text_of, xlsx_bytes


def upload(name, data):
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    "name,data,kind",
    [
        ("方案.pdf", tiny_pdf(), "pdf"),
        ("照片.PNG", tiny_png(), "png"),
        ("照片.jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64, "jpg"),
        ("制度.docx", docx_bytes(), "docx"),
        ("台账.xlsx", xlsx_bytes(), "xlsx"),
        ("旧文件.doc", ole_bytes("WordDocument"), "doc"),
        ("旧表格.xls", ole_bytes("Workbook"), "xls"),
    ],
)
def test_accepted_kinds_are_recognised_from_their_content(name, data, kind):
    checked = evidence.check(upload(name, data))
    assert checked.kind == kind
    assert checked.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("病毒.pdf", b"MZ\x90\x00" + b"\x00" * 200, "不是真正的 PDF 文件"),
        ("照片.jpg", tiny_png(), "不是真正的 JPG 文件"),
        ("制度.docx", xlsx_bytes(), "不是真正的 DOCX 文件"),
        ("表格.xlsx", b"PK\x03\x04not really a zip", "不是真正的 XLSX 文件"),
        ("旧文件.doc", ole_bytes("Workbook"), "不是真正的 DOC 文件"),
        ("脚本.html", b"<script>alert(1)</script>", "不支持此类文件"),
        ("无扩展名", tiny_pdf(), "不支持此类文件"),
        ("空文件.pdf", b"", "是空文件"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused_by_name(name, data, message):
    with pytest.raises(ValidationError) as caught:
        evidence.check(upload(name, data))
    assert message in caught.value.messages[0]
    assert name in caught.value.messages[0]


def test_the_size_limit_is_a_setting(settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as caught:
        evidence.check(upload("大文件.pdf", tiny_pdf() + b"%" * 2000))
    assert "不能超过 1.0 KB" in caught.value.messages[0].replace("\xa0", " ")


def test_the_allowed_types_are_a_setting(settings):
    settings.EVIDENCE_ALLOWED_TYPES = ["pdf"]
    with pytest.raises(ValidationError):
        evidence.check(upload("照片.png", tiny_png()))


def test_a_bad_file_in_the_form_is_named_and_nothing_is_written(client, org):
    ledger = Ledger(org)
    m = ledger.measure()
    login(client, org.users["staff"])
    r = client.post(
        reverse("rectification:progress_add", args=[m.pk]),
        {
            "text": "上传材料",
            "date": ledger.today.isoformat(),
            "submission_token": str(uuid.uuid4()),
            "files": [pdf_upload("好文件.pdf"), upload("假图片.png", b"GIF89a" + b"\x00" * 40)],
        },
    )
    assert r.status_code == 400
    text = text_of(r)
    assert "“假图片.png”不是真正的 PNG 文件" in text
    assert "上传材料" in r.content.decode()  # what was typed is kept
    assert not Progress.objects.exists() and not Evidence.objects.exists()
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.pdf"))


def test_several_files_at_once_are_stored_under_media_with_their_hash(client, org):
    ledger = Ledger(org)
    m = ledger.measure()
    login(client, org.users["staff"])
    r = client.post(
        reverse("rectification:progress_add", args=[m.pk]),
        {
            "text": "上传材料",
            "date": ledger.today.isoformat(),
            "submission_token": str(uuid.uuid4()),
            "files": [pdf_upload("会议纪要.pdf"), upload("现场照片.png", tiny_png())],
        },
    )
    assert r.status_code == 302
    files = list(Evidence.objects.filter(measure=m).order_by("original_name"))
    assert [f.original_name for f in files] == ["会议纪要.pdf", "现场照片.png"]
    media = Path(settings.MEDIA_ROOT).resolve()
    for f in files:
        path = Path(f.file.path).resolve()
        assert media in path.parents
        assert Path(settings.STATIC_ROOT).resolve() not in path.parents
        assert hashlib.sha256(path.read_bytes()).hexdigest() == f.sha256
        assert f.original_name not in path.name  # the stored name is not the user's


def test_the_download_is_an_attachment_with_the_chinese_name_and_safe_headers(client, org):
    m = Ledger(org).measure()
    entry, _ = services.add_progress(m.pk, org.users["staff"], text="材料", files=[pdf_upload("整改方案（定稿）.pdf")])
    item = entry.evidence.get()
    login(client, org.users["staff"])
    r = client.get(reverse("rectification:evidence_download", args=[item.pk]))
    assert r.status_code == 200
    assert r["Content-Disposition"].startswith("attachment")
    assert "filename*=utf-8''" + quote("整改方案（定稿）.pdf") in r["Content-Disposition"]
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Security-Policy"] == "sandbox"
    assert r["Content-Type"] == "application/pdf"
    assert b"".join(r.streaming_content) == tiny_pdf()


@pytest.mark.parametrize(
    "role,status",
    [
        ("staff", 200),
        ("head", 200),
        ("leader", 200),
        ("office", 200),
        ("staff_b", 404),
        ("head_b", 404),
        ("other_leader", 404),
        ("hr", 404),
    ],
)
def test_only_who_may_see_the_measure_may_download(client, org, role, status):
    m = Ledger(org).measure()
    entry, _ = services.add_progress(m.pk, org.users["staff"], text="材料", files=[pdf_upload()])
    login(client, org.users[role])
    r = client.get(reverse("rectification:evidence_download", args=[entry.evidence.get().pk]))
    assert r.status_code == status


def test_a_missing_evidence_file_is_not_found(client, org):
    login(client, org.users["office"])
    assert client.get(reverse("rectification:evidence_download", args=[999])).status_code == 404
