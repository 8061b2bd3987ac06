"""Stored files in S3-compatible object storage, against a real S3 API server (moto's server
mode, started here): evidence uploaded and downloaded through the permission-checked views,
reports, imports awaiting confirmation and backups — and nothing written to MEDIA_ROOT."""

import datetime as dt
import socket
import uuid
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from moto.server import ThreadedMotoServer

from campaign.models import Report
from config.env import s3_options
from core import dates
from core.backup import stored_files
from rectification.importing.pending import load_pending, store_pending
from rectification.models import Evidence
from tests.conftest import login
from tests.rectification.files import tiny_pdf
from tests.rectification.ledger_support import Ledger, pdf_upload

pytestmark = pytest.mark.django_db
BUCKET = "nlzf-media"


@pytest.fixture(scope="module")
def s3_server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    )
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    server.stop()


@pytest.fixture
def s3(s3_server, settings, tmp_path):
    endpoint, client = s3_server
    settings.MEDIA_ROOT = tmp_path / "media-must-stay-empty"
    url = f"s3://test:test@{BUCKET}/bureau?endpoint_url={endpoint}&region_name=us-east-1"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_options(url)},
    }
    yield client
    assert not Path(settings.MEDIA_ROOT).exists()  # every byte went to the object store


def keys(client) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_evidence_goes_to_the_object_store_and_comes_back_only_through_the_checked_view(s3, org, client):
    measure = Ledger(org).measure()
    staff = login(client, org.users["staff"])
    response = staff.post(
        f"/rectification/measures/{measure.pk}/progress/",
        {
            "text": "已完成制度修订",
            "date": dates.today().isoformat(),
            "submission_token": str(uuid.uuid4()),
            "files": [pdf_upload("整改方案.pdf", "S3 evidence")],
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert f"bureau/{evidence.file.name}" in keys(s3)

    download = staff.get(f"/rectification/evidence/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == tiny_pdf("S3 evidence")
    assert download["Content-Security-Policy"] == "sandbox"
    other = login(client, org.users["staff_b"])
    assert other.get(f"/rectification/evidence/{evidence.pk}/").status_code == 404


def test_reports_pending_imports_and_backups_use_the_object_store(s3, org, client):
    report = Report.objects.create(
        period_start=dt.date(2026, 3, 1), period_end=dt.date(2026, 3, 31), status=Report.Status.DONE
    )
    report.pdf.save("report.pdf", ContentFile(b"%PDF-1.4 monthly"), save=True)
    office = login(client, org.users["office"])
    download = office.get(f"/reports/{report.pk}/pdf/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 monthly"

    token, digest = store_pending(b"xlsx bytes", user_id=7, round_id=1, name="问题清单.xlsx")
    assert any(key.startswith("bureau/imports/") for key in keys(s3))
    assert load_pending(token, user_id=7, digest=digest)[0] == b"xlsx bytes"
    assert load_pending(token, user_id=8, digest=digest) is None  # someone else's upload

    # The backup reads the files through the storage (core/backup.py), so the object store's are in it.
    assert report.pdf.name in stored_files() and any(name.startswith("imports/") for name in stored_files())
