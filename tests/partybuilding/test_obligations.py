"""The activity day from the bureau's calendar, the obligations from the settings, and the
state of one obligation in one period."""

import datetime as dt

from partybuilding import obligations as ob
from partybuilding.models import Branch

D = dt.date


def test_activity_day_moves_off_a_saturday_and_keeps_a_make_up_working_day(db):
    march = ob.activity_day(2026, 3)
    assert march.nominal == D(2026, 3, 28) and march.day == D(2026, 3, 30) and march.moved
    assert "星期六" in march.reason or "Saturday" in march.reason
    february = ob.activity_day(2026, 2)
    assert february.day == D(2026, 2, 28) and not february.moved  # 调休: a working Saturday
    assert "调休" in february.reason


def test_the_day_of_the_month_is_a_setting(db, settings):
    settings.PARTY_ACTIVITY_DAY = 15
    assert ob.activity_day(2026, 4).day == D(2026, 4, 15)
    settings.PARTY_ACTIVITY_DAY = 31
    assert ob.activity_day(2026, 4).nominal == D(2026, 4, 30)  # a shorter month: its last day


def test_a_year_lists_twelve_days_all_on_working_days(db):
    from core import calendar

    days = ob.activity_days(2026)
    assert [d.month.month for d in days] == list(range(1, 13))
    assert all(calendar.is_workday(d.day) for d in days)


def test_activity_days_page_lists_the_year_with_reasons(client_as, party):
    from tests.conftest import login

    client = login(client_as("office"), party.users["m1"])
    html = client.get("/partybuilding/activity-days/?year=2026").content.decode()
    assert 'data-day="2026-03-30"' in html and 'data-day="2026-02-28"' in html
    assert "调休" in html
    response = client.get("/partybuilding/activity-days/?year=2026&format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_year_without_calendar_data_says_so(client_as, party):
    html = client_as("office").get("/partybuilding/activity-days/?year=2027").content.decode()
    assert 'id="no-calendar"' in html


def test_obligations_follow_the_settings(settings):
    settings.PARTY_OBLIGATION_MONTHS = {**settings.PARTY_OBLIGATION_MONTHS, "general": 6, "appraisal": 0}
    rules = {r.key: r for r in ob.rules_for(Branch.Kind.BRANCH)}
    assert "appraisal" not in rules
    assert [p[0].month for p in rules["general"].periods(2026)] == [1, 7]
    assert [r.key for r in ob.rules_for(Branch.Kind.CENTRE_GROUP)] == ["centre_study"]


def test_state_of_a_period():
    end = D(2026, 3, 31)
    kwargs = {"period_end": end, "obligations_start": None}
    assert ob.state(held=1, needed=1, today=D(2026, 3, 5), exempt=False, **kwargs) == ob.MET
    assert ob.state(held=0, needed=1, today=D(2026, 3, 5), exempt=False, **kwargs) == ob.NOT_DUE
    assert ob.state(held=0, needed=1, today=D(2026, 4, 1), exempt=False, **kwargs) == ob.MISSING
    assert ob.state(held=1, needed=2, today=D(2026, 4, 1), exempt=False, **kwargs) == ob.MISSING
    assert ob.state(held=0, needed=1, today=D(2026, 4, 1), exempt=True, **kwargs) == ob.EXEMPT
    founded = {"period_end": end, "obligations_start": D(2026, 5, 1)}
    assert ob.state(held=0, needed=1, today=D(2026, 6, 1), exempt=False, **founded) == ob.EXEMPT
