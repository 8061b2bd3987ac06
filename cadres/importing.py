"""Imports of the roster (花名册) and of the post integrity-risk ledger from .xlsx: all or
nothing. The file is checked (core.uploads), every row is read and resolved, and every
problem is reported by row and column; only a file without any is written, in one
transaction, with the importing person in the history.

The header row is found among the first rows by its 姓名 (roster) or 风险点 (risks)
column; headers are matched with spaces and brackets removed, in Chinese or as exported.
Dates may be Excel dates or typed as 1985.03, 1985-03-12, 1985年3月, 19850312 (a month
alone is its first day: rosters give 出生年月).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from core import dates
from core.uploads import check_upload, open_workbook

from . import services
from .models import Cadre, Department, Post, PostHolding, PostRisk

HEADER_SCAN_ROWS = 10

ROSTER_HEADERS = {
    "name": ["姓名", "Name"],
    "department": ["科室", "部门", "处室", "单位", "Department"],
    "post": ["岗位", "Post"],
    "rank": ["职务职级", "职务", "职级", "现任职务", "Position and rank"],
    "middle": ["中层干部", "是否中层干部", "是否中层", "Middle-level cadre"],
    "gender": ["性别", "Gender"],
    "birth": ["出生年月", "出生日期", "出生年月日", "Birth date"],
    "ethnicity": ["民族", "Ethnicity"],
    "political": ["政治面貌", "Political status"],
    "party": ["入党时间", "Joined the Party on"],
    "education": ["学历", "最高学历", "Education"],
    "since": ["任现职时间", "任现岗位时间", "In current post since"],
    "joined": ["进局时间", "进入本单位时间", "Joined the bureau on"],
}
RISK_HEADERS = {
    "number": ["序号", "No."],
    "department": ["科室", "部门", "处室", "Department"],
    "post": ["岗位", "岗位名称", "Post"],
    "category": ["风险类别", "Risk category"],
    "point": ["风险点", "廉政风险点", "Risk point"],
    "manifestation": ["主要表现形式", "表现形式", "Main manifestations"],
    "level": ["风险等级", "Risk level"],
    "controls": ["防控措施", "Prevention and control measures"],
    "head": ["部门负责人", "科室负责人", "Head of the department (risk ledger)"],
    "leader": ["责任领导", "Responsible leader"],
}
GENDERS = {"男": Cadre.Gender.MALE, "女": Cadre.Gender.FEMALE, "M": Cadre.Gender.MALE, "F": Cadre.Gender.FEMALE}
POLITICAL = {
    "中共党员": Cadre.Political.MEMBER,
    "党员": Cadre.Political.MEMBER,
    "中共预备党员": Cadre.Political.PROBATIONARY,
    "预备党员": Cadre.Political.PROBATIONARY,
    "共青团员": Cadre.Political.LEAGUE,
    "团员": Cadre.Political.LEAGUE,
    "民主党派": Cadre.Political.OTHER_PARTY,
    "群众": Cadre.Political.MASSES,
}
LEVELS = {"高": PostRisk.Level.HIGH, "中": PostRisk.Level.MEDIUM, "低": PostRisk.Level.LOW}
YES = {"是", "中层", "Y", "YES", "√", "1"}

_BRACKETS = re.compile(r"[（(][^)）]*[)）]")
_DATE = re.compile(r"(\d{4})[年./\-]?(\d{1,2})(?:[月./\-]?(\d{1,2})[日号]?)?月?")


class ImportInvalid(Exception):
    """The file has problems; nothing was written. `errors` name each row and column."""

    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


@dataclass
class Result:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _key(value) -> str:
    return _BRACKETS.sub("", re.sub(r"\s+", "", text(value))).strip("*:：")


def roster_date(value) -> dt.date | None:
    """A roster date or None for an empty cell; ValueError when it is not a date."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DATE.fullmatch(re.sub(r"\s+", "", text(value)))
    if not match:
        raise ValueError(value)
    year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
    return dt.date(year, month, day)


@dataclass
class Sheet:
    columns: dict[str, int]  # key -> column index
    rows: list[tuple[int, tuple]]  # (Excel row number, values)

    def get(self, values: tuple, key: str):
        index = self.columns.get(key)
        return values[index] if index is not None and index < len(values) else None


def read_sheet(data: bytes, headers: dict[str, list[str]], anchor: str) -> Sheet:
    """The first sheet's header row (the one with the `anchor` column) and its data rows."""
    check_upload(data)
    ws = open_workbook(data).worksheets[0]
    aliases = {_key(a): key for key, names in headers.items() for a in names}
    all_rows = list(ws.iter_rows(values_only=True))
    for number, values in enumerate(all_rows[:HEADER_SCAN_ROWS], start=1):
        columns = {}
        for index, cell in enumerate(values):
            key = aliases.get(_key(cell))
            if key and key not in columns:
                columns[key] = index
        if anchor in columns:
            rows = [(n, tuple(v)) for n, v in enumerate(all_rows[number:], start=number + 1) if any(text(c) for c in v)]
            return Sheet(columns, rows)
    raise ImportInvalid(
        [_("No header row with the column “%(column)s” in the first rows.") % {"column": headers[anchor][0]}]
    )


def _error(row: int, column: str, message: str) -> str:
    return _("Row %(row)s, %(column)s: %(message)s") % {"row": row, "column": column, "message": message}


# --- the roster --------------------------------------------------------------------------


def _roster_row(sheet: Sheet, number: int, values: tuple, departments: dict, errors: list) -> dict | None:
    get = lambda key: sheet.get(values, key)  # noqa: E731
    row = {"row": number, "name": re.sub(r"\s+", "", text(get("name")))}
    before = len(errors)
    if not row["name"]:
        errors.append(_error(number, "姓名", _("the name is missing")))
    department = departments.get(text(get("department")))
    if department is None:
        errors.append(_error(number, "科室", _("no department “%(name)s”") % {"name": text(get("department"))}))
    row["department"] = department
    row["post"] = None
    if department is not None and text(get("post")):
        row["post"] = next((p for p in department.posts.all() if p.title == text(get("post"))), None)
        if row["post"] is None:
            errors.append(
                _error(
                    number,
                    "岗位",
                    _("%(department)s has no post “%(post)s”")
                    % {"department": department.name, "post": text(get("post"))},
                )
            )
    for key, header in (("birth", "出生年月"), ("party", "入党时间"), ("since", "任现职时间"), ("joined", "进局时间")):
        try:
            row[key] = roster_date(get(key))
        except ValueError:
            errors.append(_error(number, header, _("“%(value)s” is not a date") % {"value": text(get(key))}))
    gender = text(get("gender"))
    row["gender"] = GENDERS.get(gender) if gender else None
    if gender and row["gender"] is None:
        errors.append(_error(number, "性别", _("write 男 or 女")))
    political = text(get("political"))
    row["political"] = POLITICAL.get(political) if political else None
    if political and row["political"] is None:
        errors.append(_error(number, "政治面貌", _("“%(value)s” is not a political status") % {"value": political}))
    row["rank"] = text(get("rank"))
    row["middle"] = text(get("middle")).upper() in YES if "middle" in sheet.columns else None
    row["ethnicity"] = text(get("ethnicity"))
    row["education"] = text(get("education"))
    return row if len(errors) == before else None


def _match(row: dict, people: dict[str, list[Cadre]], errors: list) -> Cadre | None:
    same = people.get(row["name"], [])
    if row.get("birth"):
        same = [c for c in same if c.birth_date in (None, row["birth"])]
    if len(same) > 1:
        errors.append(
            _error(
                row["row"], "姓名", _("several people are called %(name)s: give the birth date") % {"name": row["name"]}
            )
        )
        return None
    return same[0] if same else None


def validate_roster(data: bytes) -> list[tuple[dict, Cadre | None]]:
    sheet = read_sheet(data, ROSTER_HEADERS, "name")
    departments = {d.name: d for d in Department.objects.prefetch_related("posts")}
    people: dict[str, list[Cadre]] = {}
    for cadre in Cadre.objects.filter(active=True):
        people.setdefault(cadre.name, []).append(cadre)
    errors, rows, seen = [], [], set()
    for number, values in sheet.rows:
        row = _roster_row(sheet, number, values, departments, errors)
        if row is None:
            continue
        if (row["name"], row.get("birth")) in seen:
            errors.append(_error(number, "姓名", _("%(name)s appears twice in the file") % {"name": row["name"]}))
            continue
        seen.add((row["name"], row.get("birth")))
        rows.append((row, _match(row, people, errors)))
    if errors:
        raise ImportInvalid(errors)
    if not rows:
        raise ImportInvalid([_("The sheet has no rows below its header.")])
    return rows


PERSONAL = (
    ("gender", "gender"),
    ("birth", "birth_date"),
    ("political", "political_status"),
    ("party", "joined_party_on"),
    ("joined", "joined_bureau_on"),
    ("ethnicity", "ethnicity"),
    ("education", "education"),
    ("rank", "rank"),
    ("middle", "is_middle_level"),
)


@transaction.atomic
def import_roster(data: bytes, actor) -> Result:
    """Create the people not yet recorded, update the others (a new department or post is
    recorded as a move in the work history, from 任现职时间 or today)."""
    result = Result()
    for row, cadre in validate_roster(data):
        if cadre is None:
            cadre = Cadre(
                name=row["name"],
                department=row["department"],
                post=row["post"],
                gender=row["gender"] or Cadre.Gender.MALE,
            )
            _apply(cadre, row)
            services.create_cadre(cadre, actor, since=row.get("since"), check=False)
            result.created += 1
            continue
        changed = _apply(cadre, row)
        if changed:
            services.save_as(cadre, actor)
        moved = (cadre.department_id, cadre.post_id) != (row["department"].pk, row["post"].pk if row["post"] else None)
        if moved:
            start = row.get("since") or dates.today()
            services.record_move(
                cadre,
                actor,
                department=row["department"],
                post=row["post"],
                start=start,
                how=PostHolding.How.APPOINTED,
                check=False,
            )
        if changed or moved:
            result.updated += 1
        else:
            result.unchanged += 1
    return result


def _apply(cadre: Cadre, row: dict) -> bool:
    changed = False
    for key, attr in PERSONAL:
        value = row.get(key)
        if value in (None, "") or getattr(cadre, attr) == value:
            continue
        setattr(cadre, attr, value)
        changed = True
    return changed


# --- the risk ledger --------------------------------------------------------------------------


def _risk_row(sheet, number, values, departments, names, errors) -> dict | None:
    get = lambda key: sheet.get(values, key)  # noqa: E731
    before = len(errors)
    row = {"row": number}
    for key in ("category", "point", "manifestation", "controls"):
        row[key] = text(get(key))
    row["post_title"] = text(get("post"))
    for key, header in (("point", "风险点"), ("category", "风险类别"), ("post_title", "岗位")):
        if not row[key]:
            errors.append(_error(number, header, _("this cell is empty")))
    row["department"] = departments.get(text(get("department")))
    if row["department"] is None:
        errors.append(_error(number, "科室", _("no department “%(name)s”") % {"name": text(get("department"))}))
    level = text(get("level")).rstrip("风险").rstrip("等级")
    row["level"] = LEVELS.get(level[:1]) if level else PostRisk.Level.MEDIUM
    if row["level"] is None:
        errors.append(_error(number, "风险等级", _("write 高, 中 or 低")))
    for key, header in (("head", "部门负责人"), ("leader", "责任领导")):
        name = re.sub(r"\s+", "", text(get(key)))
        row[key] = names.get(name) if name else None
        if name and row[key] is None:
            errors.append(_error(number, header, _("nobody called %(name)s") % {"name": name}))
    return row if len(errors) == before else None


@transaction.atomic
def import_risks(data: bytes, actor) -> Result:
    """Add each row to its post's ledger, or update the row with the same risk point; a post
    not yet recorded in its department is created (and named in the result)."""
    sheet = read_sheet(data, RISK_HEADERS, "point")
    departments = {d.name: d for d in Department.objects.all()}
    names = {c.name: c for c in Cadre.objects.filter(active=True)}
    errors, rows = [], []
    for number, values in sheet.rows:
        row = _risk_row(sheet, number, values, departments, names, errors)
        if row is not None:
            rows.append(row)
    if errors:
        raise ImportInvalid(errors)
    result = Result()
    for row in rows:
        post, created = Post.objects.get_or_create(department=row["department"], title=row["post_title"])
        if created:
            result.notes.append(_("new post: %(post)s") % {"post": post})
        risk = PostRisk.objects.filter(post=post, point=row["point"]).first()
        fields = {k: row[k] for k in ("category", "manifestation", "controls", "level")}
        fields.update(department_head=row["head"], responsible_leader=row["leader"])
        if risk is None:
            services.save_risk(PostRisk(post=post, point=row["point"], **fields), actor, check=False)
            result.created += 1
        elif any(getattr(risk, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(risk, k, v)
            services.save_risk(risk, actor, check=False)
            result.updated += 1
        else:
            result.unchanged += 1
    return result
