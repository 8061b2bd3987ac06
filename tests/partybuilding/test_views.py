"""The pages and who may use them: the role matrix, 404 outside a user's branches, the
one-page record form, the QR page and sign-in, the PDF record and the exports."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from partybuilding.models import Attendance, Meeting

from ..conftest import login
from .factories import meeting_with_list

A = Attendance.Status
K = Meeting.Kind
D = dt.date


@pytest.fixture
def meeting_a(party):
    return meeting_with_list(party.a, planned_at=timezone.make_aware(dt.datetime(2026, 3, 30, 15)))


@pytest.fixture
def meeting_b(party):
    return meeting_with_list(party.b)


def as_(client, party, org, name):
    user = party.users.get(name) or org.users[name]
    return login(client, user)


PAGES = [
    "/partybuilding/meetings/{pk}/",
    "/partybuilding/meetings/{pk}/record.pdf",
]


@pytest.mark.parametrize(
    "who, own, other",
    [
        ("sec_a", 200, 404),  # the secretary: own branch only
        ("com_a", 200, 404),  # the commissioner too
        ("m1", 200, 404),  # a member sees their branch's meetings
        ("staff_b", 404, 404),  # no branch at all
        ("office", 200, 200),  # the office sees every branch
        ("leader", 200, 200),  # leaders too
    ],
)
def test_who_sees_which_meeting(client, org, party, meeting_a, meeting_b, who, own, other):
    client = as_(client, party, org, who)
    assert client.get(f"/partybuilding/meetings/{meeting_a.pk}/").status_code == own
    assert client.get(f"/partybuilding/meetings/{meeting_b.pk}/").status_code == other


@pytest.mark.parametrize(
    "who, status",
    [("sec_a", 200), ("com_a", 200), ("m1", 403), ("office", 403), ("sec_b", 404), ("staff_b", 404)],
)
def test_who_may_record(client, org, party, meeting_a, who, status):
    client = as_(client, party, org, who)
    assert client.get(f"/partybuilding/meetings/{meeting_a.pk}/edit/").status_code == status
    assert client.get(f"/partybuilding/meetings/{meeting_a.pk}/qr/").status_code == status


def test_planning_is_refused_to_those_who_run_no_branch(client, org, party):
    assert as_(client, party, org, "m1").get("/partybuilding/meetings/new/").status_code == 403
    assert as_(client, party, org, "sec_a").get("/partybuilding/meetings/new/").status_code == 200


def test_the_list_shows_only_visible_meetings_and_exports_them(client, org, party, meeting_a, meeting_b):
    client = as_(client, party, org, "sec_a")
    html = client.get("/partybuilding/meetings/").content.decode()
    assert meeting_a.topic in html and meeting_b.topic not in html
    response = client.get("/partybuilding/meetings/?format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "支部" and len(rows) == 3 and rows[2][3] == meeting_a.topic


def test_plan_a_meeting_through_the_form(client, org, party):
    client = as_(client, party, org, "sec_a")
    response = client.post(
        "/partybuilding/meetings/new/",
        {"branch": party.a.pk, "kind": K.COMMITTEE, "topic": "研究发展党员", "planned_at": "2026-04-08T16:00"},
    )
    meeting = Meeting.objects.get(topic="研究发展党员")
    assert response.status_code == 302 and meeting.attendance.count() == 3
    # Another branch cannot be chosen.
    response = client.post(
        "/partybuilding/meetings/new/",
        {"branch": party.b.pk, "kind": K.COMMITTEE, "topic": "x", "planned_at": "2026-04-08T16:00"},
    )
    assert response.status_code == 200 and not Meeting.objects.filter(topic="x").exists()


def _record_post(meeting, **extra):
    data = {
        "kind": meeting.kind,
        "topic": meeting.topic,
        "planned_at": "2026-03-30T15:00",
        "place": "三楼会议室",
        "held_on": "2026-03-30",
        "content": "重温入党誓词，交流体会",
    }
    for row in meeting.attendance.all():
        data[f"att-status_{row.pk}"] = A.PRESENT
        data[f"att-reason_{row.pk}"] = ""
    data.update(extra)
    return data


def test_recording_asks_a_reason_for_leave_and_keeps_what_was_typed(client, org, party, meeting_a, today_is):
    today_is(D(2026, 3, 31))
    client = as_(client, party, org, "sec_a")
    row = meeting_a.attendance.get(cadre=party.users["m2"].cadre)
    data = _record_post(meeting_a, **{f"att-status_{row.pk}": A.LEAVE})
    response = client.post(f"/partybuilding/meetings/{meeting_a.pk}/edit/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "请假或缺席须填写原因" in html and "重温入党誓词，交流体会" in html
    data[f"att-reason_{row.pk}"] = "出差"
    response = client.post(f"/partybuilding/meetings/{meeting_a.pk}/edit/", data)
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == A.LEAVE and row.reason == "出差" and row.makeup_open


def test_a_vote_without_quorum_shows_both_numbers_at_the_field(client, org, party, today_is):
    today_is(D(2026, 3, 31))
    meeting = meeting_with_list(party.a, kind=K.GENERAL)
    client = as_(client, party, org, "sec_a")
    extra = {"vote_subject": "转正", "votes_for": "1", "votes_against": "0", "votes_abstain": "0"}
    for name in ("com_a", "m1", "m2"):
        row = meeting.attendance.get(cadre=party.users[name].cadre)
        extra[f"att-status_{row.pk}"] = A.ABSENT
        extra[f"att-reason_{row.pk}"] = "值班"
    response = client.post(f"/partybuilding/meetings/{meeting.pk}/edit/", _record_post(meeting, **extra))
    assert response.status_code == 400
    assert "应到4人，实到1人" in response.content.decode()


def test_an_attachment_must_be_a_real_pdf_or_image(client, org, party, meeting_a, today_is):
    from django.core.files.uploadedfile import SimpleUploadedFile

    today_is(D(2026, 3, 31))
    client = as_(client, party, org, "sec_a")
    fake = SimpleUploadedFile("签到表.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(
        f"/partybuilding/meetings/{meeting_a.pk}/edit/", {**_record_post(meeting_a), "attachments": fake}
    )
    assert response.status_code == 400 and "签到表.pdf" in response.content.decode()
    real = SimpleUploadedFile("签到表.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post(
        f"/partybuilding/meetings/{meeting_a.pk}/edit/", {**_record_post(meeting_a), "attachments": real}
    )
    assert response.status_code == 302
    attachment = meeting_a.attachments.get()
    download = client.get(f"/partybuilding/attachments/{attachment.pk}/")
    assert download.status_code == 200 and download["Content-Security-Policy"] == "sandbox"
    assert as_(client, party, org, "sec_b").get(f"/partybuilding/attachments/{attachment.pk}/").status_code == 404


def test_the_qr_page_encodes_the_absolute_sign_in_url(client, org, party, meeting_a, settings):
    settings.SITE_URL = "https://nlzf.bureau.local"
    html = as_(client, party, org, "sec_a").get(f"/partybuilding/meetings/{meeting_a.pk}/qr/").content.decode()
    url = f"https://nlzf.bureau.local/partybuilding/meetings/{meeting_a.pk}/sign-in/?code={meeting_a.signin_code}"
    assert "<svg" in html and url in html.replace("&amp;", "&")
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_member_signs_in_in_the_window(client, org, party, meeting_a, monkeypatch):
    now = meeting_a.planned_at + dt.timedelta(minutes=3)
    monkeypatch.setattr(timezone, "now", lambda: now)
    client = as_(client, party, org, "m1")
    url = f"/partybuilding/meetings/{meeting_a.pk}/sign-in/"
    assert "sign-in-button" in client.get(url, {"code": meeting_a.signin_code}).content.decode()
    assert client.post(url, {"code": meeting_a.signin_code}).status_code == 302
    assert meeting_a.attendance.get(cadre=party.users["m1"].cadre).status == A.PRESENT
    assert as_(client, party, org, "m_b").post(url, {"code": meeting_a.signin_code}).status_code == 404


def test_leave_request_and_decision_through_the_pages(client, org, party, meeting_a):
    client = as_(client, party, org, "m2")
    client.post(f"/partybuilding/meetings/{meeting_a.pk}/leave/", {"leave-reason": "出差"})
    row = meeting_a.attendance.get(cadre=party.users["m2"].cadre)
    assert row.status == A.LEAVE_REQUESTED
    assert client.post(f"/partybuilding/attendance/{row.pk}/leave/", {"decision": "approve"}).status_code == 403
    home = as_(client, party, org, "sec_a").get("/partybuilding/").content.decode()
    assert "leave-requests" in home and "出差" in home
    client.post(f"/partybuilding/attendance/{row.pk}/leave/", {"decision": "approve"})
    row.refresh_from_db()
    assert row.status == A.LEAVE


def test_the_member_sees_their_open_make_up_task_and_closes_it(client, org, party, today_is):
    today_is(D(2026, 4, 10))
    meeting = meeting_with_list(party.a, held_on=D(2026, 3, 30), status=A.PRESENT, content="学习内容")
    row = meeting.attendance.get(cadre=party.users["m2"].cadre)
    Attendance.objects.filter(pk=row.pk).update(status=A.ABSENT, reason="值班")
    client = as_(client, party, org, "m2")
    assert f"/partybuilding/attendance/{row.pk}/makeup/" in client.get("/partybuilding/").content.decode()
    assert as_(client, party, org, "m1").get(f"/partybuilding/attendance/{row.pk}/makeup/").status_code == 403
    client = as_(client, party, org, "m2")
    response = client.post(
        f"/partybuilding/attendance/{row.pk}/makeup/", {"on": "2026-04-02", "note": "学习了会议精神"}
    )
    assert response.status_code == 302
    assert f"/partybuilding/attendance/{row.pk}/makeup/" not in client.get("/partybuilding/").content.decode()


def test_record_pdf_is_a_pdf_in_the_cjk_fonts(client, org, party, today_is):
    from pypdf import PdfReader

    meeting = meeting_with_list(party.a, held_on=D(2026, 3, 30), status=A.PRESENT, content="重温入党誓词")
    response = as_(client, party, org, "m1").get(f"/partybuilding/meetings/{meeting.pk}/record.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    assert "机关第二党支部" in text and "应到" in text and "重温入党誓词" in text
    fonts = {str(f.get_object()["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert fonts and all("CJK" in f or "Fandol" in f for f in fonts), fonts


def test_the_branch_archive_is_one_volume_with_contents_and_an_xlsx(client, org, party):
    from pypdf import PdfReader

    for day in (D(2026, 1, 28), D(2026, 2, 28)):
        meeting_with_list(party.a, held_on=day, status=A.PRESENT, content="学习")
    client = as_(client, party, org, "sec_a")
    response = client.get(f"/partybuilding/branches/{party.a.pk}/archive/?year=2026")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 3 and "目录" in reader.pages[0].extract_text()
    book = load_workbook(
        io.BytesIO(client.get(f"/partybuilding/branches/{party.a.pk}/archive/?year=2026&format=xlsx").content)
    )
    assert book.sheetnames == ["会议", "出勤"]
    assert client.get(f"/partybuilding/branches/{party.b.pk}/archive/").status_code == 404
