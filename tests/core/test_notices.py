"""Delivery: inbox always, email unless turned off; one failing address blocks nobody."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from campaign.models import Digest
from campaign.reminders.digests import deliver_digest, undelivered_digest_ids
from campaign.reminders.sweep import run_sweep
from core import notices
from core.models import Notice, NotificationPreference
from tests.campaign.reminders.support import DAY, Ledger
from tests.conftest import login

BAD = "staff@bureau.local"
FLAKY: dict = {"failures": 0}


class FailingForOneAddress(EmailBackend):
    """An SMTP server that refuses one address (a permanent 550) and takes everything else."""

    def send_messages(self, messages):
        for message in messages:
            if BAD in message.to:
                raise smtplib.SMTPRecipientsRefused({BAD: (550, b"5.1.1 mailbox unavailable")})
        return super().send_messages(messages)


class FlakyServer(EmailBackend):
    """An SMTP server that drops the connection the first FLAKY['failures'] times."""

    def send_messages(self, messages):
        if FLAKY["failures"] > 0:
            FLAKY["failures"] -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def ledger(org, settings):
    settings.MAIN_LEADER_USERNAME = "other_leader"
    ledger = Ledger(org)
    ledger.measure(DAY - dt.timedelta(days=3))  # red: staff, head, leader, other_leader
    return ledger


def emailed():
    return sorted(address for message in mail.outbox for address in message.to)


def test_email_opt_out_keeps_the_inbox(ledger, org):
    notices.set_email_enabled(org.users["staff"], False)
    run_sweep(DAY)
    assert Notice.objects.filter(recipient=org.users["staff"]).count() == 1
    assert BAD not in emailed() and len(emailed()) == 3
    assert Digest.objects.get(recipient=org.users["staff"]).email_status == Digest.Email.SKIPPED


def test_no_email_address_means_inbox_only(ledger, org):
    org.users["head"].email = ""
    org.users["head"].save()
    run_sweep(DAY)
    assert Notice.objects.filter(recipient=org.users["head"]).exists()
    assert "head@bureau.local" not in emailed()


def test_a_refused_address_does_not_block_the_others(ledger, org, settings):
    settings.EMAIL_BACKEND = "tests.core.test_notices.FailingForOneAddress"
    run = run_sweep(DAY)
    assert emailed() == ["head@bureau.local", "leader@bureau.local", "other_leader@bureau.local"]
    assert Notice.objects.count() == 4  # the inbox got everyone's digest, the refused one too
    failed = run.digest_set.get(recipient=org.users["staff"])
    assert failed.email_status == Digest.Email.FAILED and "550" in failed.email_error
    # A refused address is not retried by later sweeps.
    assert undelivered_digest_ids() == []


def test_a_transient_smtp_error_is_retried_until_it_goes_through(ledger, org, settings):
    settings.EMAIL_BACKEND = "tests.core.test_notices.FlakyServer"
    FLAKY["failures"] = 1
    run = run_sweep(DAY, deliver=None)
    digest = run.digest_set.get(recipient=org.users["staff"])
    with pytest.raises(smtplib.SMTPServerDisconnected):
        deliver_digest(digest.pk)  # the Celery task retries with backoff on this
    digest.refresh_from_db()
    assert digest.email_status == Digest.Email.FAILED and digest.email_attempts == 1
    assert digest.inbox_sent_at is not None  # the inbox does not wait for the mail server
    assert deliver_digest(digest.pk) == "sent"
    assert deliver_digest(digest.pk) == "done"
    assert emailed() == [BAD]


def test_email_addresses_in_bulk(org):
    notices.set_email_enabled(org.users["staff"], False)
    ids = [u.pk for u in org.users.values()]
    addresses = notices.email_addresses(ids)
    assert org.users["staff"].pk not in addresses
    assert addresses[org.users["head"].pk] == "head@bureau.local"


def test_permanent_and_transient_errors():
    assert notices.is_permanent(smtplib.SMTPRecipientsRefused({"a@b": (550, b"no")}))
    assert notices.is_permanent(smtplib.SMTPDataError(554, b"rejected"))
    assert not notices.is_permanent(smtplib.SMTPDataError(451, b"try later"))
    assert not notices.is_permanent(smtplib.SMTPServerDisconnected("gone"))
    assert not notices.is_permanent(ConnectionRefusedError())


def test_deliver_puts_a_notice_and_emails(org):
    notice = notices.deliver(org.users["head"], "测试通知", "正文", "<p>正文</p>", "/")
    assert notice.recipient == org.users["head"]
    assert mail.outbox[0].subject == "测试通知" and mail.outbox[0].alternatives[0][1] == "text/html"


def test_a_person_turns_email_off_and_on_again(client_as, org):
    client = client_as("staff")
    inbox = client.get("/notices/").content.decode()
    assert "/notices/settings/" in inbox  # the inbox links to the settings page
    page = client.get("/notices/settings/")
    assert page.status_code == 200 and "staff@bureau.local" in page.content.decode()
    response = client.post("/notices/settings/", {}, follow=True)  # checkbox unticked
    assert "已关闭邮件提醒" in response.content.decode()
    assert NotificationPreference.objects.get(user=org.users["staff"]).email_enabled is False
    assert not notices.email_enabled(org.users["staff"])
    client.post("/notices/settings/", {"email_enabled": "on"})
    assert notices.email_enabled(org.users["staff"])


def test_the_settings_page_needs_a_login(client, db):
    response = client.get("/notices/settings/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_settings_page_fits_a_phone(client, org):
    login(client, org.users["staff"])
    html = client.get("/notices/settings/").content.decode()
    assert 'name="viewport"' in html and 'id="notification-settings"' in html
