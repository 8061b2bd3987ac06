"""Import of the feedback list (问题清单) from an .xlsx sheet.

Three steps, used by the import page and by `manage.py import_feedback`:

  check_upload(data)              refuse what is not a plain, sane .xlsx (ImportRefused)
  preview = validate(data, round) read the sheet as untidy real sheets are, resolve every
                                  name, and report every problem by row and column
  import_feedback_xlsx(data, round, actor)
                                  validate again and, only if the whole file is valid,
                                  write it in one transaction (ImportInvalid otherwise)

Accepted untidiness: title rows above the header, header names with spaces, line breaks
or (full-width) brackets, two-row headers, merged cells, dates as Excel dates or text
(2026年6月30日, 2026.6.30, 2026/6/30, 2026-06-30, 2026年6月底), 长期坚持 without a date,
several measures under one problem (an empty or merged problem cell continues the problem
above), section rows such as "一、政治建设方面" (used as the category), departments
separated by 、，,;； or line breaks, names with stray spaces.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
import re
import secrets
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from cadres.models import Cadre, Department

from .models import InspectionRound, Measure, Problem
from .signals import ledger_changed

# The sheet's columns: key, the Chinese header of the template, accepted variants.
COLUMNS = [
    ("number", "序号", ["序号", "编号", "问题序号", "问题编号", "序"]),
    ("category", "问题类别", ["问题类别", "类别", "问题类型", "问题分类", "类型", "问题方面"]),
    (
        "problem",
        "问题描述",
        [
            "问题描述",
            "问题",
            "具体问题",
            "问题表现",
            "具体表现",
            "存在问题",
            "问题清单",
            "反馈问题",
            "问题内容",
            "主要问题",
        ],
    ),
    ("goal", "整改目标", ["整改目标", "目标", "整改要求"]),
    ("measure", "整改措施", ["整改措施", "措施", "整改任务", "具体措施", "整改举措", "任务清单"]),
    ("leader", "责任领导", ["责任领导", "分管领导", "牵头领导", "领导", "责任局领导", "牵头局领导"]),
    ("lead", "牵头科室", ["牵头科室", "牵头单位", "牵头部门", "责任科室", "责任单位", "责任部门", "牵头科室单位"]),
    ("partners", "配合科室", ["配合科室", "配合单位", "配合部门", "协办科室", "协办单位", "配合科室单位"]),
    ("person", "责任人", ["责任人", "具体责任人", "经办人", "责任人员"]),
    ("term", "时限类别", ["时限类别", "时限类型", "整改时限类别", "整改类型", "整改类别", "时限性质"]),
    (
        "deadline",
        "完成时限",
        ["完成时限", "整改时限", "完成时间", "截止时间", "截止日期", "完成期限", "整改期限", "时限"],
    ),
    ("note", "备注", ["备注", "说明"]),
]
HEADERS = {key: header for key, header, _aliases in COLUMNS}
KEYS = [key for key, _h, _a in COLUMNS]
REQUIRED = ["problem", "measure", "leader", "lead"]
# A row with none of these filled is not a measure (a pre-numbered empty row, a stray note).
CONTENT_KEYS = ["problem", "goal", "measure", "leader", "lead", "partners", "person", "deadline"]
# A header row must name at least this many known columns.
MIN_HEADER_MATCHES = 3
HEADER_SEARCH_ROWS = 15
MAX_DATA_ROWS = 5000
CHANGE_REASON = "导入"

TERM_WORDS = [
    ("立行立改", Measure.Term.IMMEDIATE),
    ("限期整改", Measure.Term.DEADLINE),
    ("长期坚持", Measure.Term.LONG_TERM),
    ("长期", Measure.Term.LONG_TERM),
    ("持续", Measure.Term.LONG_TERM),
    ("立即", Measure.Term.IMMEDIATE),
    ("限期", Measure.Term.DEADLINE),
]
TERM_LABELS = {
    Measure.Term.IMMEDIATE: "立行立改",
    Measure.Term.DEADLINE: "限期整改",
    Measure.Term.LONG_TERM: "长期坚持",
}

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
MAX_ZIP_RATIO = 100  # uncompressed : compressed, over the whole archive
MAX_ZIP_MEMBERS = 2000


class ImportRefused(Exception):
    """The file itself is refused (not xlsx, too big, encrypted, a zip bomb, unreadable)."""


class ImportInvalid(Exception):
    """The file was read but is not valid: nothing was written. Carries the preview."""

    def __init__(self, preview):
        super().__init__(_("The file has errors; nothing was imported."))
        self.preview = preview


# ---------------------------------------------------------------------------- the file


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def max_uncompressed_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", 10 * settings.IMPORT_MAX_BYTES)


def check_upload(data: bytes) -> None:
    """Refuse, with a clear message, anything that is not a plain .xlsx of sane size."""
    limit = settings.IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ImportRefused(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": f"{len(data) / 1048576:.1f}", "limit": f"{limit / 1048576:g}"}
        )
    if not data:
        raise ImportRefused(_("The file is empty."))
    if data.startswith(OLE2_MAGIC):
        if ENCRYPTION_STREAM in data:
            raise ImportRefused(
                _(
                    "The workbook is password-protected (encrypted). Remove the password in Excel "
                    "(File › Info › Protect Workbook), save it as .xlsx and upload it again."
                )
            )
        raise ImportRefused(
            _(
                "This is an old Excel 97–2003 (.xls) file or another Office format. Open it in Excel, "
                "save it as “Excel Workbook (.xlsx)” and upload it again."
            )
        )
    if not data.startswith(b"PK"):
        raise ImportRefused(_("This is not an Excel workbook (.xlsx). Save the sheet as .xlsx and upload it again."))
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportRefused(_("This is not an Excel workbook (.xlsx), or the file is damaged.")) from None
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise ImportRefused(_("This is not an Excel workbook (.xlsx). Save the sheet as .xlsx and upload it again."))
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if (
        len(members) > MAX_ZIP_MEMBERS
        or total > max_uncompressed_bytes()
        or (total > 1048576 and total / packed > MAX_ZIP_RATIO)
    ):
        raise ImportRefused(
            _(
                "The file would unpack to %(size)s MB (compressed %(ratio)s times): it looks like a zip bomb "
                "and was refused."
            )
            % {"size": f"{total / 1048576:.0f}", "ratio": f"{total / packed:.0f}"}
        )


def _load_workbook(data: bytes):
    from openpyxl import load_workbook

    try:
        # read_only=False: merged cells are only known in normal mode.
        return load_workbook(BytesIO(data), read_only=False, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise ImportRefused(
            _("The workbook could not be read (%(error)s). Open it in Excel, save it as .xlsx and try again.")
            % {"error": exc.__class__.__name__}
        ) from None


# ------------------------------------------------------- uploads awaiting confirmation

PENDING_DIR = "imports"
PENDING_MAX_AGE = 24 * 3600
_TOKEN = re.compile(r"[0-9a-f]{32}")


def _pending_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / PENDING_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_pending(data: bytes, *, user_id: int | None, round_id: int, name: str = "") -> tuple[str, str]:
    """Keep an uploaded file on the server (MEDIA_ROOT/imports/) until it is confirmed.

    Returns (token, sha256): the confirm step names the token and must present the same
    hash, so the file confirmed is the file previewed. Files older than a day are removed.
    """
    folder = _pending_dir()
    cutoff = time.time() - PENDING_MAX_AGE
    for old in folder.glob("*"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass
    token = secrets.token_hex(16)
    digest = sha256(data)
    (folder / f"{token}.xlsx").write_bytes(data)
    meta = {"sha256": digest, "user_id": user_id, "round_id": round_id, "name": name[:200], "at": time.time()}
    (folder / f"{token}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return token, digest


def load_pending(token: str, *, user_id: int | None, digest: str):
    """(data, meta) of a stored upload of this user whose content still has `digest`, else None."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    folder = _pending_dir()
    try:
        meta = json.loads((folder / f"{token}.json").read_text(encoding="utf-8"))
        data = (folder / f"{token}.xlsx").read_bytes()
    except (OSError, ValueError):
        return None
    if meta.get("user_id") != user_id or meta.get("sha256") != digest or sha256(data) != digest:
        return None
    if meta.get("at", 0) < time.time() - PENDING_MAX_AGE:
        return None
    return data, meta


def discard_pending(token: str) -> None:
    if not _TOKEN.fullmatch(token or ""):
        return
    for suffix in (".xlsx", ".json"):
        (_pending_dir() / f"{token}{suffix}").unlink(missing_ok=True)


# ------------------------------------------------------------------------ text helpers


_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】|〔[^〕]*〕")
_SPACES = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[、,;，；/\n\r\t]+")
_SECTION_PREFIX = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+[、.．]|[(（][一二三四五六七八九十]+[)）]|\d+[、.．])\s*"
)


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
            from openpyxl.utils.datetime import from_excel

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
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    raise ValueError(text)


def parse_term(value) -> str | None:
    text = compact(value)
    for word, term in TERM_WORDS:
        if word in text:
            return term
    return None


# ---------------------------------------------------------------------- the preview


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

    def error(self, key: str, message: str):
        self.errors.setdefault(key, []).append(message)

    def warn(self, key: str, message: str):
        self.warnings.setdefault(key, []).append(message)

    @property
    def ok(self) -> bool:
        return not self.errors

    def cells(self):
        """(key, text, errors, warnings) per column, for the preview table."""
        return [(k, self.values.get(k, ""), self.errors.get(k, []), self.warnings.get(k, [])) for k in KEYS]


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
    header_row: int | None = None
    columns: dict = field(default_factory=dict)  # key -> column number (1-based)
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


def locate(row: int, key: str, message: str) -> str:
    if key:
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": row,
            "column": HEADERS[key],
            "message": message,
        }
    return _("Row %(row)s: %(message)s") % {"row": row, "message": message}


class _Directory:
    """Every department and active cadre, by normalised name: no query per row."""

    def __init__(self):
        self.departments: dict[str, Department] = {}
        for d in Department.objects.all():
            self.departments[compact(d.name)] = d
        self.cadres: dict[str, list[Cadre]] = {}
        for c in Cadre.objects.filter(active=True).select_related("department"):
            self.cadres.setdefault(compact(c.name), []).append(c)

    def knows_department(self, name: str) -> bool:
        key = compact(name)
        return key in self.departments or (key.startswith("局") and key[1:] in self.departments)

    def knows_person(self, name: str) -> bool:
        return compact(name) in self.cadres

    def department(self, name: str):
        """(department, error message)"""
        key = compact(name)
        found = self.departments.get(key)
        if found is None and key.startswith("局"):
            found = self.departments.get(key[1:])
        if found is None:
            return None, _("Unknown department “%(name)s”") % {"name": name}
        if not found.active:
            return None, _("Department “%(name)s” is no longer active") % {"name": name}
        return found, None

    def leader(self, name: str):
        people = self.cadres.get(compact(name), [])
        leaders = [c for c in people if c.is_leader]
        if not people:
            return None, _("Unknown person “%(name)s”") % {"name": name}
        if not leaders:
            return None, _("“%(name)s” is not a bureau leader") % {"name": name}
        if len(leaders) > 1:
            return None, _("“%(name)s” is ambiguous: %(count)s people have this name") % {
                "name": name,
                "count": len(leaders),
            }
        return leaders[0], None

    def person(self, name: str, department: Department | None):
        people = self.cadres.get(compact(name), [])
        if not people:
            return None, _("Unknown person “%(name)s”") % {"name": name}
        if len(people) > 1 and department is not None:
            in_department = [c for c in people if c.department_id == department.id]
            if len(in_department) == 1:
                return in_department[0], None
        if len(people) > 1:
            return None, _("“%(name)s” is ambiguous: %(count)s people have this name (%(departments)s)") % {
                "name": name,
                "count": len(people),
                "departments": "、".join(c.department.name for c in people),
            }
        return people[0], None


def _grid(ws):
    """The sheet as a list of rows (row 1 first), merged ranges filled with their value.

    Returns (grid, continued, widened): cells that continue a vertical merge, and the
    rows that hold a merge spanning several columns.
    """
    grid = [list(row) for row in ws.iter_rows(values_only=True)]
    # Trailing empty rows (sheets formatted far below the data) are dropped.
    while grid and all(v is None or str(v).strip() == "" for v in grid[-1]):
        grid.pop()
    continued: set[tuple[int, int]] = set()
    widened: set[int] = set()
    for rng in ws.merged_cells.ranges:
        top, left = rng.min_row, rng.min_col
        if top > len(grid):
            continue
        value = grid[top - 1][left - 1] if left - 1 < len(grid[top - 1]) else None
        if rng.max_col > rng.min_col:
            widened.update(range(top, min(rng.max_row, len(grid)) + 1))
        for r in range(top, min(rng.max_row, len(grid)) + 1):
            row = grid[r - 1]
            if len(row) < rng.max_col:
                row.extend([None] * (rng.max_col - len(row)))
            for c in range(left, rng.max_col + 1):
                row[c - 1] = value
                if r > top:
                    continued.add((r, c))
    return grid, continued, widened


def _find_header(grid):
    """(row number, {key: column}) of the best header row in the first rows, or None."""

    def matches(row):
        found = {}
        for index, value in enumerate(row, start=1):
            key = header_key(value) if value is not None else None
            if key and key not in found:
                found[key] = index
        return found

    best, best_row = {}, None
    for number, row in enumerate(grid[:HEADER_SEARCH_ROWS], start=1):
        found = matches(row)
        if len(found) > len(best):
            best, best_row = found, number
    if best_row is None or len(best) < MIN_HEADER_MATCHES:
        return None, {}
    data_start = best_row + 1
    # A two-row header: group names above, the columns below (or the other way round).
    # It counts only if most of that row's filled cells are column names.
    for neighbour in (best_row - 1, best_row + 1):
        if 1 <= neighbour <= len(grid):
            row = grid[neighbour - 1]
            found = matches(row)
            filled = sum(1 for v in row if display(v))
            extra = {k: c for k, c in found.items() if k not in best and c not in best.values()}
            if extra and len(found) * 2 >= filled:
                best.update(extra)
                if neighbour > best_row:
                    data_start = neighbour + 1
    return data_start, best


_FOOTER = re.compile(r"^(注|说明|备注|填表|填报|制表|审核|联系人|联系电话|附件|单位负责人|负责人)")


def _is_section_row(cells, widened_row, columns):
    """“一、政治建设方面” on a row of its own: a heading that gives the category below."""
    texts = {display(v) for v in cells if display(v)}
    if len(texts) != 1:
        return None
    text = texts.pop()
    filled = [i for i, v in enumerate(cells, start=1) if display(v)]
    if widened_row or (len(filled) == 1 and _SECTION_PREFIX.match(text) and filled[0] != columns.get("measure")):
        return _SECTION_PREFIX.sub("", text).strip() or text
    return None


def validate(data: bytes, round: InspectionRound) -> Preview:
    """Read the sheet and check every row. Writes nothing."""
    check_upload(data)
    wb = _load_workbook(data)
    preview = Preview(round=round)
    grid = None
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        candidate, continued, widened = _grid(ws)
        data_start, columns = _find_header(candidate)
        if columns:
            grid, preview.sheet, preview.columns = candidate, ws.title, columns
            preview.header_row = data_start - 1
            break
    if grid is None:
        preview.file_errors.append(
            _(
                "No header row was found. The sheet needs a header row with the columns %(columns)s "
                "(download the template)."
            )
            % {"columns": "、".join(HEADERS[k] for k in KEYS)}
        )
        return preview
    for key in REQUIRED:
        if key not in preview.columns:
            preview.file_errors.append(
                _("The required column “%(column)s” is missing from the header (row %(row)s).")
                % {"column": HEADERS[key], "row": preview.header_row}
            )
    if preview.file_errors:
        return preview

    directory = _Directory()
    existing = dict(Problem.objects.filter(round=round).values_list("description", "number")) if round.pk else {}
    next_number = (Problem.objects.filter(round=round).aggregate(m=Max("number"))["m"] or 0) if round.pk else 0
    cols = preview.columns
    section = ""
    current: ProblemDraft | None = None
    previous_sheet_number = ""

    for row_number in range(data_start, len(grid) + 1):
        cells = grid[row_number - 1]

        def raw(key, _cells=cells):
            index = cols.get(key)
            return _cells[index - 1] if index and index - 1 < len(_cells) else None

        texts = [display(v) for v in cells]
        if not any(texts):
            continue
        heading = _is_section_row(cells, row_number in widened, cols)
        if heading is not None:
            section = heading
            preview.skipped_rows.append((row_number, heading))
            continue
        nonempty = [t for t in texts if t]
        if len(nonempty) == 1 and _FOOTER.match(nonempty[0]) and not display(raw("measure")):
            preview.skipped_rows.append((row_number, nonempty[0]))
            continue
        if not any(display(raw(k)) for k in CONTENT_KEYS):
            # A pre-numbered empty row of a template, or a stray note: nothing to import.
            preview.skipped_rows.append((row_number, "　".join(nonempty)))
            continue
        if len(preview.rows) >= MAX_DATA_ROWS:
            preview.file_errors.append(
                _("The sheet has more than %(max)s rows; split it into several files.") % {"max": MAX_DATA_ROWS}
            )
            break

        r = RowResult(row=row_number, values={k: display(raw(k)) for k in KEYS})
        preview.rows.append(r)

        # The problem: a new one, or the one above continued.
        description = display(raw("problem"))
        sheet_number = display(raw("number"))
        problem_col = cols["problem"]
        continues = current is not None and (
            not description
            or (row_number, problem_col) in continued
            or (description == current.description and (not sheet_number or sheet_number == previous_sheet_number))
        )
        if not description and current is None:
            r.error("problem", _("Missing problem description"))
        elif continues:
            r.problem_index = len(preview.problems) - 1
            current.rows.append(r)
        else:
            next_number += 1
            category = display(raw("category")) or section
            current = ProblemDraft(
                number=next_number,
                sheet_number=sheet_number,
                category=category,
                description=description,
                first_row=row_number,
                rows=[r],
            )
            preview.problems.append(current)
            r.problem_index = len(preview.problems) - 1
            r.new_problem = True
            r.values["category"] = category
            if len(category) > 100:
                r.error("category", _("Too long: at most %(max)s characters") % {"max": 100})
            if description in existing:
                r.warn(
                    "problem",
                    _("This round already has the same problem (No. %(number)s): is the file imported twice?")
                    % {"number": existing[description]},
                )
        if sheet_number:
            previous_sheet_number = sheet_number
        if current is not None and r.problem_index is not None:
            r.measure_number = len(current.rows)
            r.problem_number = current.number

        _check_measure(r, raw, directory, round)
    if not preview.rows and not preview.file_errors:
        preview.file_errors.append(
            _("The sheet has a header (row %(row)s) but no rows below it to import.") % {"row": preview.header_row}
        )
    return preview


def _check_measure(r: RowResult, raw, directory: _Directory, round: InspectionRound):
    if not display(raw("measure")):
        r.error("measure", _("Missing measure"))

    # Lead department first: it settles which of two namesakes is meant.
    lead_names = split_names(raw("lead"), directory.knows_department)
    if not lead_names:
        r.error("lead", _("Missing lead department"))
    elif len(lead_names) > 1:
        r.error(
            "lead",
            _("Only one lead department per measure; put the others under “%(column)s”")
            % {"column": HEADERS["partners"]},
        )
    else:
        r.lead, message = directory.department(lead_names[0])
        if message:
            r.error("lead", message)

    for name in split_names(raw("partners"), directory.knows_department):
        department, message = directory.department(name)
        if message:
            r.error("partners", message)
        elif department != r.lead and department not in r.partners:
            r.partners.append(department)

    leader_names = split_names(raw("leader"), directory.knows_person)
    if not leader_names:
        r.error("leader", _("Missing responsible leader"))
    elif len(leader_names) > 1:
        r.error("leader", _("Only one responsible leader per measure"))
    else:
        r.leader, message = directory.leader(leader_names[0])
        if message:
            r.error("leader", message)

    people = split_names(raw("person"), directory.knows_person)
    if people:
        r.person, message = directory.person(people[0], r.lead)
        if message:
            r.error("person", message)
        if len(people) > 1:
            others = "、".join(people[1:])
            r.extra_note = _("Also responsible: %(names)s") % {"names": others}
            r.warn(
                "person",
                _("One responsible person per measure: %(first)s; %(others)s go to the note")
                % {"first": people[0], "others": others},
            )

    # Term and deadline.
    term_text = display(raw("term"))
    deadline_raw = raw("deadline")
    deadline_text = display(deadline_raw)
    term = parse_term(term_text) if term_text else None
    if term_text and term is None:
        r.error("term", _("Unrecognised term “%(value)s”: use 立行立改, 限期整改 or 长期坚持") % {"value": term_text})
    if deadline_text:
        deadline_term = parse_term(deadline_text) if isinstance(deadline_raw, str) else None
        if deadline_term is not None and not re.search(r"\d", deadline_text):
            term = term or deadline_term
        else:
            try:
                r.deadline = parse_date(deadline_raw)
            except ValueError:
                r.error(
                    "deadline",
                    _("Unrecognised date “%(value)s” (write it as 2026-06-30 or 2026年6月30日)")
                    % {"value": deadline_text},
                )
    if term is None and not term_text:
        if r.deadline is not None:
            term = Measure.Term.DEADLINE
        elif "deadline" not in r.errors:
            r.error("term", _("Missing term: write 立行立改, 限期整改 or 长期坚持, or give a deadline"))
    r.term = term
    if term == Measure.Term.DEADLINE and r.deadline is None and "deadline" not in r.errors:
        r.error("deadline", _("限期整改 needs a deadline"))
    if r.deadline and round.feedback_date and r.deadline < round.feedback_date:
        r.warn(
            "deadline",
            _("The deadline is before the feedback date (%(date)s)") % {"date": round.feedback_date.isoformat()},
        )
    # The preview shows what will be stored: the names as the organisation spells them.
    if r.lead is not None:
        r.values["lead"] = r.lead.name
    if "partners" not in r.errors:
        r.values["partners"] = "、".join(d.name for d in r.partners)
    if r.leader is not None:
        r.values["leader"] = r.leader.name
    if r.person is not None and "person" not in r.warnings:
        r.values["person"] = r.person.name
    if r.term:
        r.values["term"] = TERM_LABELS[r.term]
    if r.deadline:
        r.values["deadline"] = r.deadline.isoformat()


# ---------------------------------------------------------------------------- writing


@dataclass
class ImportResult:
    round: InspectionRound
    problems: int
    measures: int
    measure_ids: list


def import_feedback_xlsx(data: bytes, round: InspectionRound, actor=None) -> ImportResult:
    """Validate and, if the whole file is valid, write it: all or nothing.

    History records carry `actor` as the user and "导入" as the reason; ledger_changed is
    sent once the transaction has committed.
    """
    from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

    with transaction.atomic():
        # Lock the round so two imports into it cannot number their problems alike.
        round = InspectionRound.objects.select_for_update().get(pk=round.pk)
        preview = validate(data, round)
        if not preview.ok:
            raise ImportInvalid(preview)
        actor = actor if getattr(actor, "pk", None) else None

        problems = [
            Problem(round=round, number=p.number, category=p.category, description=p.description)
            for p in preview.problems
        ]
        problems = bulk_create_with_history(
            problems, Problem, batch_size=500, default_user=actor, default_change_reason=CHANGE_REASON
        )
        if any(p.pk is None for p in problems):  # databases that return no ids from bulk inserts
            by_number = dict(Problem.objects.filter(round=round).values_list("number", "id"))
            for p in problems:
                p.pk = p.id = by_number[p.number]

        measures = []
        for draft, problem in zip(preview.problems, problems, strict=True):
            for r in draft.rows:
                note = "\n".join(t for t in (r.values.get("note", ""), r.extra_note) if t)
                measures.append(
                    Measure(
                        problem=problem,
                        number=r.measure_number,
                        goal=r.values.get("goal", ""),
                        description=r.values["measure"],
                        responsible_leader=r.leader,
                        lead_department=r.lead,
                        responsible_person=r.person,
                        term=r.term,
                        deadline=r.deadline,
                        status=Measure.Status.NOT_STARTED,
                        note=note,
                    )
                )
        measures = Measure.objects.bulk_create(measures, batch_size=500)
        through = Measure.partner_departments.through
        links = [
            through(measure_id=m.pk, department_id=d.pk)
            for m, r in zip(measures, (r for p in preview.problems for r in p.rows), strict=True)
            for d in r.partners
        ]
        links = through.objects.bulk_create(links, batch_size=1000)
        history = get_history_manager_for_model(Measure).bulk_history_create(
            measures, batch_size=500, default_user=actor, default_change_reason=CHANGE_REASON
        )
        _partner_history(history or [], links)
        ids = [m.pk for m in measures]
        transaction.on_commit(lambda: ledger_changed.send(sender=Measure, measure_ids=ids))
    return ImportResult(round=round, problems=len(problems), measures=len(measures), measure_ids=ids)


def _partner_history(history, links):
    """The partner departments in each new history record, as simple-history keeps them."""
    if not links:
        return
    m2m_model = apps.get_model("rectification", "HistoricalMeasure_partner_departments")
    if any(h.pk is None for h in history):
        history = list(Measure.history.filter(id__in=[h.id for h in history], history_type="+"))
    by_measure = {h.id: h for h in history}
    m2m_model.objects.bulk_create(
        [
            m2m_model(
                history=by_measure[link.measure_id],
                id=link.pk,
                measure_id=link.measure_id,
                department_id=link.department_id,
            )
            for link in links
        ],
        batch_size=1000,
    )


# --------------------------------------------------------------------------- template


def template_bytes() -> bytes:
    """The blank 问题清单 with the columns, a drop-down for 时限类别, and instructions."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    widths = {
        "number": 6,
        "category": 12,
        "problem": 40,
        "goal": 24,
        "measure": 40,
        "leader": 10,
        "lead": 14,
        "partners": 16,
        "person": 10,
        "term": 11,
        "deadline": 13,
        "note": 16,
    }
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wb = Workbook()
    ws = wb.active
    ws.title = "问题清单"
    ws.append(["问题清单（导入模板）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(KEYS))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([HEADERS[k] for k in KEYS])
    for index, key in enumerate(KEYS, start=1):
        cell = ws.cell(row=2, column=index)
        cell.font = Font(bold=True, color="C00000" if key in REQUIRED else "000000")
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        ws.column_dimensions[get_column_letter(index)].width = widths[key]
    ws.freeze_panes = "A3"
    term_col = get_column_letter(KEYS.index("term") + 1)
    date_col = get_column_letter(KEYS.index("deadline") + 1)
    terms = DataValidation(type="list", formula1='"立行立改,限期整改,长期坚持"', allow_blank=True)
    terms.error = "请选择：立行立改、限期整改或长期坚持"
    ws.add_data_validation(terms)
    terms.add(f"{term_col}3:{term_col}2000")
    for row in range(3, 203):
        ws[f"{date_col}{row}"].number_format = "yyyy-mm-dd"
        for index in range(1, len(KEYS) + 1):
            ws.cell(row=row, column=index).alignment = Alignment(vertical="top", wrap_text=True)

    help_ws = wb.create_sheet("填写说明")
    help_ws.column_dimensions["A"].width = 16
    help_ws.column_dimensions["B"].width = 90
    lines = [
        ("填写说明", ""),
        ("必填列", "问题描述、整改措施、责任领导、牵头科室（表头红字）。"),
        ("一个问题多条措施", "每条措施占一行；同一问题的后续行“问题描述”留空或与上一行合并单元格。"),
        ("科室", "填写系统中的科室全称；多个配合科室用“、”“，”“,”或“；”分隔。"),
        ("责任领导", "填写局领导姓名，一人。"),
        ("责任人", "填写一人姓名；重名时以牵头科室的人员为准。"),
        ("时限类别", "立行立改、限期整改或长期坚持；限期整改须填写完成时限，长期坚持可不填。"),
        ("完成时限", "日期，如 2026-06-30、2026/6/30、2026.6.30、2026年6月30日。"),
        ("其他", "表头上方可以有标题行；表头名称可带空格或括号说明。上传后先预览，确认无误才会导入。"),
        ("", ""),
        (
            "示例",
            "问题描述：审批事项办理时限偏长；整改措施：压缩办理时限，公布办事指南；责任领导：（局领导）；"
            "牵头科室：行政审批科；配合科室：办公室、执法监督科；时限类别：限期整改；完成时限：2026-06-30",
        ),
        ("", ""),
        (
            "可填写的科室",
            "、".join(Department.objects.filter(active=True).order_by("order", "id").values_list("name", flat=True)),
        ),
        ("局领导", "、".join(Cadre.objects.filter(active=True, is_leader=True).values_list("name", flat=True))),
    ]
    for label, text in lines:
        help_ws.append([label, text])
    help_ws["A1"].font = Font(bold=True, size=14)
    for row in help_ws.iter_rows(min_row=2):
        row[0].font = Font(bold=True)
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
