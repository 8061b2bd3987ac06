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
_DATE_MONTH = re.compile(r"(\d{4})\s*[年./\-]\s*(\d{1,2})\s*月?\s*(?:份)?\s*(?:底|末|中旬|下旬)?")
_DATE_YEAR_END = re.compile(r"(\d{4})\s*年\s*(?:底|末|年底|年末)")
_DATE_TAIL = re.compile(r"(?:\s*(?:\d{1,2}:\d{2}(?::\d{2})?))$|(?:之前|以前|前|止|为止)$")


def parse_date(value) -> dt.date:
    """A deadline from an Excel date or from the ways people type one. ValueError if none."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 < value < 80000:  # an Excel serial date in a General-formatted cell
            return from_excel(value).date()
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
            return dt.date(year, month, day)
    match = _DATE_YEAR_END.fullmatch(text)
    if match:
        return dt.date(int(match.group(1)), 12, 31)
    match = _DATE_MONTH.fullmatch(text)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        return dates.month_bounds(year, month)[1]
    raise ValueError(text)


def parse_term(value) -> str | None:
    text = compact(value)
    for word, term in TERM_WORDS:
        if word in text:
            return term
    return None
