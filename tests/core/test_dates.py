import datetime as dt

import pytest

from core import dates

D = dt.date


def test_parse_month():
    assert dates.parse_month("2026-02") == (D(2026, 2, 1), D(2026, 2, 28))
    assert dates.parse_month("2028-2") == (D(2028, 2, 1), D(2028, 2, 29))
    for bad in ("2026-13", "2026/03", "", "March"):
        with pytest.raises(ValueError, match="2026-03"):
            dates.parse_month(bad)


def test_month_arithmetic():
    assert dates.next_month(D(2026, 12, 31)) == D(2027, 1, 1)
    assert dates.previous_month(D(2026, 1, 15)) == (D(2025, 12, 1), D(2025, 12, 31))
    assert dates.month_bounds(2026, 4) == (D(2026, 4, 1), D(2026, 4, 30))
    assert dates.months_between(D(2025, 11, 20), D(2026, 2, 3)) == [
        D(2025, 11, 1),
        D(2025, 12, 1),
        D(2026, 1, 1),
        D(2026, 2, 1),
    ]
    assert dates.months_between(D(2026, 3, 2), D(2026, 2, 1)) == []
