"""The dashboard header says when the last sweep ran, and warns when it has not run."""

import datetime as dt

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.template import Context, Template
from django.utils import timezone

from campaign.models import Digest, SweepRun
from campaign.reminders.status import sweep_overdue
from campaign.reminders.sweep import run_sweep

from .support import DAY, Ledger


def render():
    return Template("{% load reminders %}{% sweep_status %}").render(Context({}))


def at(day, hour, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def test_the_schedule_runs_the_sweep_every_day_at_08_30_shanghai_time():
    entry = django_settings.CELERY_BEAT_SCHEDULE["reminder-sweep"]
    assert entry["task"] == "campaign.run_reminder_sweep"
    assert entry["schedule"] == crontab(hour=8, minute=30)
    assert django_settings.CELERY_TIMEZONE == "Asia/Shanghai"
    catch_up = django_settings.CELERY_BEAT_SCHEDULE["reminder-sweep-catch-up"]
    assert catch_up["kwargs"] == {"catch_up": True}


def test_no_sweep_yet(db):
    html = render()
    assert "尚未运行" in html


def test_last_sweep_and_digests(org, settings):
    settings.MAIN_LEADER_USERNAME = "other_leader"
    Ledger(org).measure(DAY - dt.timedelta(days=3))
    run_sweep(DAY)
    run_sweep(DAY)  # a re-run sends nothing new; the header still counts the day's digests
    html = render()
    assert "上次运行于" in html and "2026年3月30日 共发出 4 份提醒" in html


def test_failed_emails_are_counted(org, settings):
    settings.MAIN_LEADER_USERNAME = "other_leader"
    Ledger(org).measure(DAY - dt.timedelta(days=3))
    run = run_sweep(DAY, deliver=None)
    run.digest_set.filter(recipient=org.users["staff"]).update(email_status=Digest.Email.FAILED)
    assert "1 封邮件发送失败" in render()


def test_warning_when_a_working_day_passed_08_30_plus_grace_without_a_sweep(db, settings):
    settings.REMINDER_GRACE_MINUTES = 60
    assert not sweep_overdue(at(DAY, 9, 0))  # still within the grace period
    assert sweep_overdue(at(DAY, 9, 31))
    assert not sweep_overdue(at(dt.date(2026, 10, 1), 15))  # 国庆: no sweep expected
    assert not sweep_overdue(at(dt.date(2026, 3, 28), 15))  # a Saturday
    SweepRun.objects.create(day=DAY, status=SweepRun.Status.DONE, finished_at=at(DAY, 8, 31))
    assert not sweep_overdue(at(DAY, 15))


@pytest.mark.usefixtures("db")
def test_the_warning_shows_in_the_header(monkeypatch):
    monkeypatch.setattr("campaign.reminders.templatetags.sweep_overdue", lambda now=None: True)
    html = render()
    assert 'id="sweep-overdue"' in html and "今日提醒尚未发送" in html and "08:30" in html


def test_a_failed_sweep_is_shown(db):
    SweepRun.objects.create(day=DAY, status=SweepRun.Status.FAILED, error="boom")
    assert 'id="sweep-failed"' in render()


def test_the_dashboard_shows_the_status(client_as, org):
    response = client_as("office").get("/dashboard/")
    assert response.status_code == 200
    assert 'id="sweep-status"' in response.content.decode()


def test_support_sees_sweeps_digests_and_reminders_in_the_admin(client, org, settings, django_user_model):
    from tests.conftest import login

    admin_client = login(client, django_user_model.objects.create_superuser("root", "root@bureau.local", "x"))
    settings.MAIN_LEADER_USERNAME = "other_leader"
    Ledger(org).measure(DAY - dt.timedelta(days=3))
    run_sweep(DAY)
    for url in (
        "/admin/campaign/sweeprun/",
        "/admin/campaign/digest/",
        "/admin/campaign/reminderrecord/",
        "/admin/core/notificationpreference/",
    ):
        assert admin_client.get(url).status_code == 200, url
