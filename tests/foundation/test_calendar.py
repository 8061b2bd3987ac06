import datetime as dt

import pytest

from core import calendar, dates
from core.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

D = dt.date


def test_spring_festival_2026_and_its_makeup_saturdays():
    # 春节 2026: 2月15日–23日 off; Saturday 2月14日 and Saturday 2月28日 are 调休 workdays.
    assert not any(calendar.is_workday(D(2026, 2, day)) for day in range(15, 24))
    assert calendar.is_workday(D(2026, 2, 14))
    assert calendar.is_workday(D(2026, 2, 28))
    # Friday 13 Feb + 1 working day is the make-up Saturday, then the first day back.
    assert calendar.add_workdays(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert calendar.add_workdays(D(2026, 2, 14), 1) == D(2026, 2, 24)


def test_national_day_2026():
    assert not calendar.is_workday(D(2026, 10, 1))
    assert not calendar.is_workday(D(2026, 10, 7))
    assert calendar.is_workday(D(2026, 9, 20))  # Sunday make-up day
    assert calendar.is_workday(D(2026, 10, 10))  # Saturday make-up day
    assert calendar.add_workdays(D(2026, 9, 30), 1) == D(2026, 10, 8)
    # 9月30日 (Wed) → 10月12日 (Mon): 8th, 9th, 10th (Sat, make-up), 12th.
    assert calendar.workdays_between(D(2026, 9, 30), D(2026, 10, 12)) == 4
    assert calendar.workdays_between(D(2026, 10, 12), D(2026, 9, 30)) == -4


def test_negative_and_zero_workdays():
    assert calendar.add_workdays(D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert calendar.add_workdays(D(2026, 10, 3), 0) == D(2026, 10, 3)
    assert calendar.next_workday(D(2026, 10, 3)) == D(2026, 10, 8)


def test_2027_has_no_data_and_falls_back_to_monday_to_friday():
    assert calendar.has_data(2026)
    assert not calendar.has_data(2027)
    assert not calendar.is_workday(D(2027, 1, 2))  # a Saturday
    assert calendar.is_workday(D(2027, 1, 1))  # a Friday: no holiday data yet, so a workday


def test_an_admin_entering_2027_changes_the_calendar_at_once():
    CalendarYear.objects.create(year=2027, source="国办发明电〔2026〕")
    CalendarDay.objects.create(date=D(2027, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦")
    assert calendar.has_data(2027)
    assert not calendar.is_workday(D(2027, 1, 1))


def test_home_page_warns_when_the_year_has_no_calendar(client_as, settings, monkeypatch):
    monkeypatch.setattr(dates, "today", lambda: D(2027, 3, 1))
    html = client_as("staff").get("/?stay=1").content.decode()
    assert "2027年的节假日安排尚未录入" in html
