"""Evidence checked as whole containers (issue 13, item 6): macro documents, zip bombs,
active PDFs and polyglots are refused with a message per file; a file whose name cannot
be read is refused with a message, not dropped while the page says the progress was saved."""

import io
import uuid
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import encode_multipart
from django.urls import reverse

from rectification import evidence
from rectification.models import Evidence, Progress
from tests.conftest import login

from .files import tiny_pdf, tiny_png
from .ledger_support import Ledger, docx_bytes, ole_bytes, text_of, xlsx_bytes


def upload(name, data):
    return SimpleUploadedFile(name, data)


def with_member(data: bytes, name: str, content: bytes = b"\x00" * 64, types_extra: str = "") -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "[Content_Types].xml" and types_extra:
                body = body.replace(b"</Types>", types_extra.encode() + b"</Types>")
            archive.writestr(info, body)
        archive.writestr(name, content)
    return out.getvalue()


def pdf_with(extra_object: bytes, catalog_extra: bytes = b"") -> bytes:
    pdf = tiny_pdf()
    pdf = pdf.replace(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>")
    return pdf.replace(b"xref\n", b"9 0 obj\n" + extra_object + b"\nendobj\nxref\n", 1)


def compressed_stream(payload: bytes) -> bytes:
    body = zlib.compress(payload)
    return (
        b"<< /Type /ObjStm /Filter /FlateDecode /Length "
        + str(len(body)).encode()
        + b" >>\nstream\n"
        + body
        + b"\nendstream"
    )


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        source = zipfile.ZipFile(io.BytesIO(xlsx_bytes()))
        for info in source.infolist():
            archive.writestr(info, source.read(info))
        archive.writestr("xl/media/padding.bin", b"\x00" * (300 * 1024 * 1024))
    return out.getvalue()


REFUSED = [
    ("宏文档.docx", lambda: with_member(docx_bytes(), "word/vbaProject.bin"), "宏"),
    (
        "宏表格.xlsx",
        lambda: with_member(
            xlsx_bytes(),
            "xl/extra.xml",
            b"<x/>",
            '<Override PartName="/xl/extra.xml" ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>',
        ),
        "宏",
    ),
    ("控件.docx", lambda: with_member(docx_bytes(), "word/activeX/activeX1.bin"), "ActiveX"),
    ("宏文件.doc", lambda: ole_bytes("WordDocument") + "_VBA_PROJECT".encode("utf-16-le"), "宏"),
    ("打开即运行.pdf", lambda: pdf_with(b"<< /S /JavaScript /JS (app.alert(1)) >>", b"/OpenAction 9 0 R "), "活动内容"),
    ("打开动作.pdf", lambda: pdf_with(b"<< >>", b"/OpenAction << /S /Launch /F (calc.exe) >> "), "活动内容"),
    (
        "附件.pdf",
        lambda: pdf_with(b"<< /Type /Filespec /EF << /F 10 0 R >> >>", b"/Names << /EmbeddedFiles 9 0 R >> "),
        "活动内容",
    ),
    ("转义.pdf", lambda: pdf_with(b"<< /S /J#61vaScript /J#53 (x) >>"), "活动内容"),
    ("压缩流.pdf", lambda: pdf_with(compressed_stream(b"<< /S /JavaScript /JS (app.alert(1)) >>")), "活动内容"),
    ("网页.pdf", lambda: tiny_pdf() + b"<html><script>alert(document.domain)</script></html>", "网页代码"),
    ("网页.png", lambda: tiny_png() + b"<html><script>alert(1)</script>", "网页代码"),
    ("尾随.png", lambda: tiny_png() + b"\x01hidden payload", "网页代码"),
]


@pytest.mark.parametrize(("name", "make", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_active_or_disguised_content_is_refused_with_a_message_naming_the_file(name, make, message):
    with pytest.raises(ValidationError) as caught:
        evidence.check(upload(name, make()))
    text = caught.value.messages[0]
    assert name in text and message in text, text


def test_a_zip_that_expands_far_beyond_its_size_is_refused():
    data = zip_bomb()
    assert len(data) < 2 * 1024 * 1024
    with pytest.raises(ValidationError) as caught:
        evidence.check(upload("台账.xlsx", data))
    assert "解压" in caught.value.messages[0]


@pytest.mark.parametrize(
    "data_and_name",
    [
        (tiny_pdf, "方案.pdf"),
        (lambda: pdf_with(b"[3 0 R /Fit]", b"/OpenAction 9 0 R "), "跳转.pdf"),  # a destination, not an action
        (tiny_png, "照片.png"),
        (docx_bytes, "制度.docx"),
        (xlsx_bytes, "台账.xlsx"),
    ],
)
def test_ordinary_files_still_pass(data_and_name):
    make, name = data_and_name
    assert evidence.check(upload(name, make())).name == name


@pytest.mark.django_db
def test_a_file_whose_name_cannot_be_read_is_refused_not_dropped(client, org):
    ledger = Ledger(org)
    m = ledger.measure()
    login(client, org.users["staff"])
    boundary = "XyZ"
    body = encode_multipart(
        boundary,
        {"text": "上传材料", "date": ledger.today.isoformat(), "submission_token": str(uuid.uuid4())},
    ).decode()
    # A file part whose name is only control characters: Django's parser would drop it.
    part = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="\x01\x02"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + tiny_pdf()
        + b"\r\n"
    )
    data = body.encode().replace(f"--{boundary}--".encode(), part + f"--{boundary}--".encode())
    response = client.post(
        reverse("rectification:progress_add", args=[m.pk]),
        data,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 400
    assert "文件名无法识别" in text_of(response)
    assert not Progress.objects.exists() and not Evidence.objects.exists()
