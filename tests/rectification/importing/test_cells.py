"""Reading one cell: the ways people type a date."""

import datetime as dt

import pytest

from rectification import importing

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "value, expected",
    [
        (dt.date(2026, 6, 30), dt.date(2026, 6, 30)),
        (dt.datetime(2026, 6, 30, 0, 0), dt.date(2026, 6, 30)),
        ("2026年6月30日", dt.date(2026, 6, 30)),
        ("2026.6.30", dt.date(2026, 6, 30)),
        ("2026/6/30", dt.date(2026, 6, 30)),
        ("2026-06-30", dt.date(2026, 6, 30)),
        ("２０２６年６月３０日", dt.date(2026, 6, 30)),
        (" 2026 年 6 月 30 日前", dt.date(2026, 6, 30)),
        ("2026-06-30 00:00:00", dt.date(2026, 6, 30)),
        ("20260630", dt.date(2026, 6, 30)),
        ("2026年6月底", dt.date(2026, 6, 30)),
        ("2026年2月", dt.date(2026, 2, 28)),
        ("2026年底", dt.date(2026, 12, 31)),
        (46203, dt.date(2026, 6, 30)),  # an Excel serial number in a General cell
    ],
)
def test_every_date_form(value, expected):
    assert importing.parse_date(value) == expected


@pytest.mark.parametrize("value", ["明年", "2026-02-30", "6月30日", "2026-13-01", "尽快"])
def test_unparseable_dates(value):
    with pytest.raises(ValueError):
        importing.parse_date(value)
