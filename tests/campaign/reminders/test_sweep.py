"""The daily reminder sweep: colours and escalation, one digest per person, never twice."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from campaign.models import Campaign, Digest, GroupMember, ReminderRecord, SweepRun
from campaign.reminders.digests import undelivered_digest_ids
from campaign.reminders.sweep import preview, run_sweep
from core.models import Notice
from core.reminders import Item, register_rule, unregister_rule
from rectification.models import Measure, Progress
from tests.conftest import login

from .support import DAY, Ledger, kinds_by_user

S = Measure.Status


@pytest.fixture
def ledger(org, settings):
    settings.MAIN_LEADER_USERNAME = "other_leader"
    return Ledger(org)


def notices(username):
    return list(Notice.objects.filter(recipient__username=username))


def test_colours_and_who_gets_what(ledger):
    green = ledger.measure(DAY + dt.timedelta(days=15))
    yellow = ledger.measure(DAY + dt.timedelta(days=8))
    red = ledger.measure(DAY - dt.timedelta(days=3))
    later = ledger.measure(DAY + dt.timedelta(days=30))  # outside every window
    done = ledger.measure(DAY - dt.timedelta(days=3), status=S.CLOSED)

    got = kinds_by_user(run_sweep(DAY))

    assert got["staff"] == {
        ("deadline.green", green.pk),
        ("deadline.yellow", yellow.pk),
        ("deadline.red", red.pk),
    }
    # 黄色 also to the department head and the overseeing leader; 红色 also to the main leader.
    assert got["head"] == {("deadline.yellow.escalated", yellow.pk), ("deadline.red.escalated", red.pk)}
    assert got["leader"] == {("deadline.yellow.escalated", yellow.pk), ("deadline.red.escalated", red.pk)}
    assert got["other_leader"] == {("deadline.red.escalated", red.pk)}
    assert set(got) == {"staff", "head", "leader", "other_leader"}
    assert all(later.pk != pk and done.pk != pk for kinds in got.values() for _, pk in kinds)


def test_thresholds_follow_the_settings(ledger, settings):
    settings.WARNING_GREEN_DAYS, settings.WARNING_YELLOW_DAYS = 30, 20
    m = ledger.measure(DAY + dt.timedelta(days=15))
    assert kinds_by_user(run_sweep(DAY))["head"] == {("deadline.yellow.escalated", m.pk)}


def test_due_soon_reminds_the_responsible_person_every_working_day(ledger):
    m = ledger.measure(DAY + dt.timedelta(days=2))  # within DUE_SOON_WORKDAYS (3) working days
    assert ("deadline.due_soon", m.pk) in kinds_by_user(run_sweep(DAY))["staff"]
    second = kinds_by_user(run_sweep(DAY + dt.timedelta(days=1)))
    assert second == {"staff": {("deadline.due_soon", m.pk)}}  # the head and leader are not told again


def test_without_a_responsible_person_the_head_is_reminded(ledger):
    m = ledger.measure(DAY + dt.timedelta(days=15), person=None)
    assert kinds_by_user(run_sweep(DAY)) == {"head": {("deadline.green", m.pk)}}


def test_main_leader_is_the_group_leader_of_the_campaign(ledger, org, settings):
    settings.MAIN_LEADER_USERNAME = ""
    campaign = Campaign.objects.create(
        name="2026年“能力作风建设年”活动", year=2026, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    GroupMember.objects.create(campaign=campaign, cadre=org.users["admin"].cadre, role=GroupMember.Role.LEADER)
    red = ledger.measure(DAY - dt.timedelta(days=1))
    assert kinds_by_user(run_sweep(DAY))["admin"] == {("deadline.red.escalated", red.pk)}


def test_one_digest_per_person_grouped_by_colour_with_links(ledger, client):
    ledger.measure(DAY + dt.timedelta(days=15), description="绿色的措施")
    ledger.measure(DAY + dt.timedelta(days=8), description="黄色的措施")
    ledger.measure(DAY - dt.timedelta(days=3), description="红色的措施")
    ledger.measure(DAY - dt.timedelta(days=10), description="另一项红色的措施")

    run = run_sweep(DAY)

    assert run.status == SweepRun.Status.DONE and run.digests == 4
    [notice] = notices("staff")
    assert "红色 2" in notice.title and "黄色 1" in notice.title and "绿色 1" in notice.title
    # Sections in order red, yellow, green, each item once.
    text = notice.text
    assert text.index("红色预警") < text.index("黄色预警") < text.index("绿色预警")
    assert text.index("另一项红色的措施") < text.index("黄色的措施") < text.index("绿色的措施")
    assert "已逾期 3 天" in text and "还剩 8 天" in text
    # The notice opens a page with every item linked to its measure.
    page = login(client, ledger.org.users["staff"]).get(notice.link)
    assert page.status_code == 200
    body = page.content.decode()
    for m in Measure.objects.all():
        assert f'href="{m.get_absolute_url()}"' in body
    # Someone else's digest is not there for you.
    assert login(client, ledger.org.users["staff_b"]).get(notice.link).status_code == 404


def test_email_is_chinese_with_text_and_html(ledger, settings):
    settings.SITE_URL = "https://nlzf.bureau.local"
    m = ledger.measure(DAY - dt.timedelta(days=3))
    run_sweep(DAY)
    [email] = [e for e in mail.outbox if e.to == ["staff@bureau.local"]]
    assert email.subject.startswith(f"【{settings.BUREAU_NAME}】整改提醒")
    assert "红色" in email.subject
    assert "已逾期 3 天" in email.body
    assert f"https://nlzf.bureau.local{m.get_absolute_url()}" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html" and f'href="https://nlzf.bureau.local{m.get_absolute_url()}"' in html
    assert "/notices/settings/" in email.body  # how to turn the emails off


def test_a_rerun_sends_nothing_new(ledger):
    ledger.measure(DAY + dt.timedelta(days=15))
    ledger.measure(DAY - dt.timedelta(days=3))
    first = run_sweep(DAY)
    sent = len(mail.outbox)
    again = run_sweep(DAY)
    assert first.digests == 4 and again.digests == 0 and again.items == first.items
    assert Notice.objects.count() == 4 and len(mail.outbox) == sent == 4
    assert ReminderRecord.objects.filter(sweep=again).count() == 0


def test_red_is_daily_for_the_responsible_person_weekly_above(ledger):
    red = ledger.measure(DAY - dt.timedelta(days=1))  # overdue since Monday 30 March
    run_sweep(DAY)
    tuesday = kinds_by_user(run_sweep(DAY + dt.timedelta(days=1)))
    assert tuesday == {"staff": {("deadline.red", red.pk)}}
    # Monday 6 April is 清明节: the next week's reminder comes on Tuesday.
    assert run_sweep(DAY + dt.timedelta(days=7)).status == SweepRun.Status.SKIPPED
    next_week = kinds_by_user(run_sweep(DAY + dt.timedelta(days=8)))
    assert set(next_week) == {"staff", "head", "leader", "other_leader"}


def test_green_and_yellow_come_once_per_deadline(ledger):
    m = ledger.measure(DAY + dt.timedelta(days=15))
    run_sweep(DAY)
    assert kinds_by_user(run_sweep(DAY + dt.timedelta(days=1))) == {}
    # A new deadline is a new reminder.
    Measure.objects.filter(pk=m.pk).update(deadline=DAY + dt.timedelta(days=17))
    assert kinds_by_user(run_sweep(DAY + dt.timedelta(days=1))) == {"staff": {("deadline.green", m.pk)}}


def test_signoff_waiting_more_than_two_working_days_reminds_the_reviewer(ledger):
    thursday, friday = dt.date(2026, 3, 26), dt.date(2026, 3, 27)
    tuesday = dt.date(2026, 3, 31)
    old = ledger.measure(DAY + dt.timedelta(days=60))
    ledger.step(old, S.SUBMITTED, thursday)  # Fri, Mon, Tue: 3 working days by Tuesday
    recent = ledger.measure(DAY + dt.timedelta(days=60))
    ledger.step(recent, S.SUBMITTED, friday)  # Mon, Tue: 2 working days
    approved = ledger.measure(DAY + dt.timedelta(days=60), department=ledger.org.dept_b, leader="other_leader")
    ledger.step(approved, S.LEADER_APPROVED, dt.date(2026, 3, 20), actor="other_leader")

    got = kinds_by_user(run_sweep(tuesday))

    assert got["leader"] == {("signoff.leader_review", old.pk)}  # the responsible leader's turn
    assert got["office"] == {("signoff.office_confirm", approved.pk)}  # then the office's
    assert "other_leader" not in got


def test_long_term_measures_whose_report_is_due(ledger, org):
    quiet = ledger.measure(term=Measure.Term.LONG_TERM, status=S.STAGE_COMPLETE)
    Progress.objects.create(measure=quiet, date=DAY - dt.timedelta(days=40), text="按月报送", author=org.users["staff"])
    active = ledger.measure(term=Measure.Term.LONG_TERM)
    Progress.objects.create(measure=active, date=DAY - dt.timedelta(days=5), text="持续整改", author=org.users["staff"])
    got = kinds_by_user(run_sweep(DAY))
    assert got == {"staff": {("long_term.report_due", quiet.pk)}}
    assert "定期报送" in Notice.objects.get(recipient__username="staff").text


def test_other_apps_register_rules_without_editing_the_sweep(ledger, org):
    @register_rule("tests.meetings")
    def meetings(day):
        yield Item(
            recipient_id=org.users["head_b"].pk,
            key="meeting:1",
            kind="meeting.missing",
            colour="todo",
            deadline=day,
            text="支部委员会会议本月尚未召开",
            link="/partybuilding/",
        )

    @register_rule("tests.broken")
    def broken(day):
        raise RuntimeError("boom")

    try:
        run = run_sweep(DAY)
    finally:
        unregister_rule("tests.meetings")
        unregister_rule("tests.broken")
    assert "支部委员会会议本月尚未召开" in notices("head_b")[0].text
    assert "tests.broken" in run.error and run.status == SweepRun.Status.DONE  # the other rules still ran


def test_inactive_accounts_get_nothing(ledger, org):
    org.users["staff"].is_active = False
    org.users["staff"].save()
    ledger.measure(DAY + dt.timedelta(days=15))
    run_sweep(DAY)
    assert not notices("staff")
    assert [e.to for e in mail.outbox] == [["head@bureau.local"]]  # the head is told instead


def test_dry_run_prints_who_would_get_what_and_records_nothing(ledger, capsys):
    ledger.measure(DAY - dt.timedelta(days=3), description="逾期未完成的措施")
    call_command("send_reminders", "--date", DAY.isoformat(), "--dry-run")
    out = capsys.readouterr().out
    assert "staff" in out and "other_leader" in out and "逾期未完成的措施" in out and "[red]" in out
    assert "4 digests would be sent" in out
    assert not SweepRun.objects.exists() and not ReminderRecord.objects.exists() and not Notice.objects.exists()
    by_person, already, _errors = preview(DAY)
    assert len(by_person) == 4 and already == 0


def test_command_sends_once_and_reports(ledger, capsys):
    ledger.measure(DAY - dt.timedelta(days=3))
    call_command("send_reminders", "--date", DAY.isoformat())
    assert "4 digests" in capsys.readouterr().out
    call_command("send_reminders", "--date", DAY.isoformat())
    assert "0 digests" in capsys.readouterr().out
    assert Notice.objects.count() == 4
    assert SweepRun.objects.filter(trigger=SweepRun.Trigger.COMMAND).count() == 2


def test_command_rejects_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "30/03/2026")


def test_delivering_a_digest_twice_sends_once(ledger):
    from campaign.reminders.digests import deliver_digest

    ledger.measure(DAY - dt.timedelta(days=3))
    run = run_sweep(DAY, deliver=None)
    digest = run.digest_set.get(recipient__username="staff")
    assert deliver_digest(digest.pk) == "sent"
    assert deliver_digest(digest.pk) == "done"  # a redelivered task
    assert len(notices("staff")) == 1 and len([e for e in mail.outbox if e.to == ["staff@bureau.local"]]) == 1


def test_undelivered_digests_are_retried_by_the_next_sweep(ledger):
    ledger.measure(DAY - dt.timedelta(days=3))
    run = run_sweep(DAY, deliver=None)  # as if the broker was down after recording
    assert sorted(undelivered_digest_ids()) == sorted(run.digest_set.values_list("pk", flat=True))
    run_sweep(DAY)  # the next sweep records nothing new but delivers what is owed
    assert Notice.objects.count() == 4
    assert Digest.objects.filter(email_status=Digest.Email.SENT).count() == 4
    assert undelivered_digest_ids() == []


def test_a_long_digest_lists_the_first_items_and_links_to_all(ledger, settings, client):
    settings.REMINDER_DIGEST_SECTION_LIMIT = 3
    for i in range(5):
        ledger.measure(DAY - dt.timedelta(days=i + 1), description=f"逾期措施{i}")
    run_sweep(DAY)
    [notice] = notices("staff")
    assert "红色 5 项" in notice.title
    assert notice.text.count("逾期措施") == 3 and "另有 2 项" in notice.text
    [email] = [e for e in mail.outbox if e.to == ["staff@bureau.local"]]
    assert email.body.count("逾期措施") == 3 and "另有 2 项" in email.body
    page = login(client, ledger.org.users["staff"]).get(notice.link).content.decode()
    assert page.count("逾期措施") == 5
