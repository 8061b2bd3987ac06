"""Reading one cell: text normalised as a person reads it, names split and compacted,
dates in the ways people type them, the term (时限类别)."""

import datetime as dt
import re
import unicodedata

from openpyxl.utils.datetime import from_excel

from core import dates

from .columns import COLUMNS, TERM_WORDS

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】|〔[^〕]*〕")
_SPACES = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[、,;，；/\n\r\t]+")


def normalise(value) -> str:
    """NFKC (full-width → half-width, full-width spaces), trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def compact(value) -> str:
    """For names: normalised, every space removed (“李 红梅” → “李红梅”)."""
    return _SPACES.sub("", normalise(value))


def header_key(value) -> str | None:
    text = _BRACKETS.sub("", compact(value))
    text = text.strip("*:：#")
    for key, _header, aliases in COLUMNS:
        if text in aliases:
            return key
    return None


def split_names(value, known=None) -> list[str]:
    """Names in a cell separated by 、，,;； or line breaks, each without stray spaces.

    A part with spaces inside is one name (“李 红梅”) unless only its space-separated
    pieces are `known` names (“行政审批科 办公室”).
    """
    names = []
    for part in _SEPARATORS.split(normalise(value)):
        part = _BRACKETS.sub("", part).strip()
        pieces = [compact(part)]
        if known is not None and " " in part and not known(pieces[0]):
            split = [p for p in part.split() if p]
            if all(known(p) for p in split):
                pieces = split
        for piece in pieces:
            if piece and piece not in names:
                names.append(piece)
    return names


def display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_DATE_FULL = re.compile(r"(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*[日号]?")
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DATE_TAIL = re.compile(r"(?:\s*(?:\d{1,2}:\d{2}(?::\d{2})?))$|(?:之前|以前|前|止|为止|完成)$")
_YEAR = r"(?:(\d{4})\s*[年./\-]?\s*)?"
# The forms below may leave out the year: it is then the round's (the first such day on or
# after the feedback date).
_DATE_MONTH_DAY = re.compile(_YEAR + r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_DATE_MONTH = re.compile(_YEAR + r"(\d{1,2})\s*月?份?\s*(底|末|上旬|中旬|下旬)?")
_DATE_YEAR_END = re.compile(r"(?:(\d{4})\s*年\s*|本|今)?(?:年底|年末|年内|底|末)")
_DATE_HALF = re.compile(_YEAR + r"(上|下)半年(?:底|末)?")
_DATE_QUARTER = re.compile(_YEAR + r"第?([一二三四1-4])季度(?:末|底)?")
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_TEN_DAYS = {"上旬": 10, "中旬": 20}


def parse_date(value, after: dt.date | None = None) -> dt.date:
    """A deadline from an Excel date or from the ways people type one. ValueError if none.

    `after` (the round's feedback date) lets a form without a year be read: 3月底前,
    年底前, 第三季度, 上半年, 6月30日前 fall on the first such day on or after it."""
    return read_date(value, after)[0]


def read_date(value, after: dt.date | None = None) -> tuple[dt.date, bool]:
    """(day, spelled out): spelled out is False when the cell named a day only loosely
    (a month's end, a quarter, a half year, a year's end) and the preview should say how it
    was read."""
    if isinstance(value, dt.datetime):
        return value.date(), True
    if isinstance(value, dt.date):
        return value, True
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 < value < 80000:  # an Excel serial date in a General-formatted cell
            return from_excel(value).date(), True
        text = str(int(value)) if float(value).is_integer() else str(value)
    else:
        text = normalise(value)
    text = _SPACES.sub("", text)
    for _pass in range(2):
        text = _DATE_TAIL.sub("", text)
    for pattern in (_DATE_FULL, _DATE_COMPACT):
        match = pattern.fullmatch(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day), True
    for reader in (_month_day, _year_end, _half_year, _quarter, _month):
        day = reader(text, after)
        if day is not None:
            return day, False
    raise ValueError(text)


def _in_year(year: str | None, after: dt.date | None, build) -> dt.date | None:
    """The day `build(year)` in the given year, else the first one on or after `after`."""
    if year:
        return build(int(year))
    if after is None:
        return None
    day = build(after.year)
    return day if day >= after else build(after.year + 1)


def _month_day(text, after):
    match = _DATE_MONTH_DAY.fullmatch(text)
    if not match:
        return None
    month, day = int(match.group(2)), int(match.group(3))
    return _in_year(match.group(1), after, lambda y: dt.date(y, month, day))


def _year_end(text, after):
    match = _DATE_YEAR_END.fullmatch(text)
    if not match or (not match.group(1) and text in ("底", "末")):
        return None
    return _in_year(match.group(1), after, lambda y: dt.date(y, 12, 31))


def _half_year(text, after):
    match = _DATE_HALF.fullmatch(text)
    if not match:
        return None
    month, day = (6, 30) if match.group(2) == "上" else (12, 31)
    return _in_year(match.group(1), after, lambda y: dt.date(y, month, day))


def _quarter(text, after):
    match = _DATE_QUARTER.fullmatch(text)
    if not match:
        return None
    month = _QUARTERS[match.group(2)] * 3
    return _in_year(match.group(1), after, lambda y: dates.month_bounds(y, month)[1])


def _month(text, after):
    match = _DATE_MONTH.fullmatch(text)
    if not match or not (match.group(1) or "月" in text):
        return None  # a bare number is no month
    month = int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(text)
    part = match.group(3) or ""

    def build(year):
        return dt.date(year, month, _TEN_DAYS[part]) if part in _TEN_DAYS else dates.month_bounds(year, month)[1]

    return _in_year(match.group(1), after, build)


def parse_term(value) -> str | None:
    text = compact(value)
    for word, term in TERM_WORDS:
        if word in text:
            return term
    return None
