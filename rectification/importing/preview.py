"""The preview of an import: every row with what it will become, and every problem named
by row and column (RowResult, ProblemDraft, Preview, locate)."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from cadres.models import Cadre, Department

from ..models import InspectionRound
from .columns import HEADERS, KEYS


@dataclass
class RowResult:
    row: int  # the row number in the sheet, as Excel shows it
    values: dict  # key -> text as shown in the preview
    problem_index: int | None = None  # index into Preview.problems
    problem_number: int | None = None  # the number the problem gets (or has) in the round
    new_problem: bool = False
    measure_number: int = 0
    errors: dict = field(default_factory=dict)  # key ("" for the row) -> [messages]
    warnings: dict = field(default_factory=dict)
    # resolved values
    leader: Cadre | None = None
    lead: Department | None = None
    partners: list = field(default_factory=list)
    person: Cadre | None = None
    term: str | None = None
    deadline: dt.date | None = None
    extra_note: str = ""
    readings: dict = field(default_factory=dict)  # key -> how a loosely written value was read

    def error(self, key: str, message: str):
        self.errors.setdefault(key, []).append(message)

    def warn(self, key: str, message: str):
        self.warnings.setdefault(key, []).append(message)

    @property
    def ok(self) -> bool:
        return not self.errors

    def cells(self):
        """(key, text, errors, warnings, reading) per column, for the preview table."""
        return [
            (k, self.values.get(k, ""), self.errors.get(k, []), self.warnings.get(k, []), self.readings.get(k, ""))
            for k in KEYS
        ]


@dataclass
class ProblemDraft:
    number: int  # the number it will get in the round
    sheet_number: str
    category: str
    description: str
    first_row: int
    rows: list = field(default_factory=list)


@dataclass
class Preview:
    round: InspectionRound
    sheet: str = ""
    header_row: int | None = None  # the header's last row
    header_rows: str = ""  # "3" or "3–4" (a parent/child header)
    columns: dict = field(default_factory=dict)  # key -> column number (1-based)
    mapping: list = field(default_factory=list)  # header.HeaderColumn for every filled column
    mapping_given: bool = False  # the office corrected the mapping
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    skipped_rows: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and bool(self.rows) and all(r.ok for r in self.rows)

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(len(m) for r in self.rows for m in r.errors.values())

    @property
    def warning_count(self) -> int:
        return sum(len(m) for r in self.rows for m in r.warnings.values())

    @property
    def measure_count(self) -> int:
        return len(self.rows)

    @property
    def problem_count(self) -> int:
        return len(self.problems)

    @property
    def bad_rows(self) -> int:
        return sum(1 for r in self.rows if not r.ok)

    def messages(self, kind: str = "errors") -> list[str]:
        """Every problem as one Chinese sentence naming row and column."""
        out = list(self.file_errors) if kind == "errors" else []
        for r in self.rows:
            for key, messages in getattr(r, kind).items():
                for message in messages:
                    out.append(locate(r.row, key, message))
        return out

    @property
    def messages_warnings(self) -> list[str]:
        return self.messages("warnings")

    def headers(self):
        return [(k, HEADERS[k], k in self.columns) for k in KEYS]

    @property
    def mapping_notes(self) -> list[str]:
        """What the office should check in the mapping: choices between two fields, duplicates."""
        return [
            _("Column %(letter)s “%(text)s”: %(note)s") % {"letter": c.letter, "text": c.text, "note": c.note}
            for c in self.mapping
            if c.note and c.ambiguous
        ]

    @property
    def ignored_columns(self) -> list:
        return [c for c in self.mapping if not c.key]

    def mapping_choices(self):
        """(value, label) for the mapping form: each field, or not read."""
        return [("", _("— not read —"))] + [(k, HEADERS[k]) for k in KEYS]


def locate(row: int, key: str, message: str) -> str:
    if key:
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": row,
            "column": HEADERS[key],
            "message": message,
        }
    return _("Row %(row)s: %(message)s") % {"row": row, "message": message}
