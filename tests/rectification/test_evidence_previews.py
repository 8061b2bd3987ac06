"""Evidence in the page (issue 12 item 5): images and a PDF's first page previewed through the
permission-checked view, sandboxed; a file already on the measure is not stored twice."""

import shutil

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from rectification import extensions, services, workflow
from rectification.models import Evidence
from tests.conftest import login

from .files import tiny_png
from .ledger_support import Ledger, S, pdf_upload, png_upload, text_of


def preview_url(item):
    return reverse("rectification:evidence_preview", args=[item.pk])


def test_an_image_previews_inline_with_the_download_headers(client, org):
    m = Ledger(org).measure()
    entry, _ = services.add_progress(m.pk, org.users["staff"], text="照片", files=[png_upload()])
    item = entry.evidence.get()
    login(client, org.users["leader"])
    page = client.get(m.get_absolute_url()).content.decode()
    assert f'src="{preview_url(item)}"' in page
    r = client.get(preview_url(item))
    assert r.status_code == 200
    assert r["Content-Type"] == "image/png" and r["Content-Disposition"] == "inline"
    assert r["Content-Security-Policy"] == "sandbox" and r["X-Content-Type-Options"] == "nosniff"
    assert b"".join(r.streaming_content) == tiny_png()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_a_pdf_previews_as_a_picture_of_its_first_page(client, org):
    m = Ledger(org).measure()
    entry, _ = services.add_progress(m.pk, org.users["staff"], text="方案", files=[pdf_upload()])
    login(client, org.users["staff"])
    r = client.get(preview_url(entry.evidence.get()))
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert b"".join(r.streaming_content).startswith(b"\x89PNG")


def test_a_preview_outside_ones_scope_is_not_found(client, org):
    m = Ledger(org).measure()
    entry, _ = services.add_progress(m.pk, org.users["staff"], text="照片", files=[png_upload()])
    login(client, org.users["staff_b"])
    assert client.get(preview_url(entry.evidence.get())).status_code == 404


def test_a_word_file_has_no_preview(client, org):
    m = Ledger(org).measure()
    item = Evidence.objects.create(
        measure=m,
        file="evidence/x.docx",
        original_name="方案.docx",
        size=10,
        sha256="1" * 64,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        uploaded_by=org.users["staff"],
    )
    login(client, org.users["office"])
    assert client.get(preview_url(item)).status_code == 404


def test_the_same_file_again_is_refused_naming_the_first(client, org):
    m = Ledger(org).measure()
    services.add_progress(m.pk, org.users["staff"], text="第一次", files=[pdf_upload("整改方案.pdf")])
    login(client, org.users["staff"])
    r = client.post(
        reverse("rectification:progress_add", args=[m.pk]),
        {
            "text": "第二次",
            "date": Ledger(org).today.isoformat(),
            "submission_token": "6a1f1a3c-7b41-4a8f-9d89-0c4d5b2e7f10",
            "files": pdf_upload("整改方案（副本）.pdf"),
        },
    )
    assert r.status_code == 400
    page = text_of(r)
    assert "“整改方案（副本）.pdf”与" in page and "“整改方案.pdf”完全相同" in page
    assert "第二次" in page  # what was typed is kept
    assert Evidence.objects.filter(measure=m).count() == 1


def test_the_same_file_twice_in_one_upload_is_refused(org):
    m = Ledger(org).measure()
    with pytest.raises(ValidationError) as refused:
        services.add_progress(m.pk, org.users["staff"], text="x", files=[pdf_upload("a.pdf"), pdf_upload("b.pdf")])
    assert "是同一个文件" in str(refused.value.message_dict["files"])
    assert not Evidence.objects.exists()


def test_a_sign_off_request_and_an_extension_refuse_duplicates_too(org):
    ledger = Ledger(org)
    m = ledger.measure(status=S.IN_PROGRESS)
    services.add_progress(m.pk, org.users["staff"], text="x", files=[pdf_upload()])
    with pytest.raises(ValidationError):
        workflow.submit(m.pk, org.users["head"], "完成", [pdf_upload("完成报告.pdf")])
    with pytest.raises(ValidationError):
        extensions.request(m.pk, org.users["staff"], ledger.days(200), "需配合", [pdf_upload("延期说明.pdf")])
    assert Evidence.objects.filter(measure=m).count() == 1
