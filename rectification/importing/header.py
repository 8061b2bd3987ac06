"""The header: which sheet column holds which field, read as a person reads it.

- A header is one row, or two: a parent row whose merged cells span several columns
  (整改时限, 责任分工) over a child row naming each (类别 | 完成时间). A child is read in
  its parent's context: 类别 under 整改时限 is the term (时限类别), not the problem's
  category.
- A header names a field exactly (columns.COLUMNS' variants), or by its words (…反馈问题,
  …措施, …领导); a word that may mean two fields (类别, 类型, 时限) is settled by the
  parent, else by what the column holds (立行立改… or dates), and the mapping says so.
- Two columns for one field: the first is read, the other is flagged and left out.

`find_header(grid, spanned)` returns a Header: the header rows, the first data row, and
for every filled column a HeaderColumn (its key or None, and a note when it was a choice).
The preview shows that mapping and the office may correct it (validate(columns=...)).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from .cells import compact, display, header_key, parse_date, parse_term
from .columns import HEADERS

MIN_HEADER_MATCHES = 3  # a header must name at least this many known fields
HEADER_SEARCH_ROWS = 15
SAMPLE_ROWS = 40  # data cells looked at to settle an ambiguous column

# Words that may mean two fields on their own.
AMBIGUOUS = {
    "类别": ("category", "term"),
    "类型": ("category", "term"),
    "分类": ("category", "term"),
    "性质": ("category", "term"),
    "时限": ("deadline", "term"),
    "期限": ("deadline", "term"),
}
# What a field's header may contain, in order (the first rule that matches wins).
WORD_RULES = [
    (("反馈问题", "巡察问题", "巡视问题", "审计问题", "问题描述", "问题表现", "问题内容", "存在问题"), "problem"),
    (("问题类别", "问题类型", "问题分类"), "category"),
    (("时限类别", "时限类型", "整改类别", "整改类型"), "term"),
    (("措施", "整改任务", "整改举措"), "measure"),
    (("目标", "整改要求"), "goal"),
    (("责任领导", "牵头领导", "分管领导", "局领导"), "leader"),
    (("牵头",), "lead"),
    (("配合", "协办", "协助"), "partners"),
    (("责任人", "经办人"), "person"),
    (("完成时限", "完成时间", "整改时限", "截止", "完成期限", "整改期限", "办结时间", "完成日期"), "deadline"),
    (("责任单位", "责任科室", "责任部门"), "lead"),
    (("备注", "说明"), "note"),
    (("序号", "编号"), "number"),
]
# A parent's words and the fields its children may be.
PARENT_GROUPS = [
    (("时限", "时间", "期限"), {"term", "deadline"}),
    (("责任", "分工", "牵头"), {"leader", "lead", "partners", "person"}),
    (("问题",), {"number", "category", "problem"}),
    (("措施", "整改任务", "整改内容"), {"goal", "measure"}),
]


@dataclass
class HeaderColumn:
    index: int  # 1-based column number
    parent: str
    child: str
    key: str | None
    note: str = ""  # why this key (a choice between two fields, a duplicate)
    ambiguous: bool = False

    @property
    def letter(self) -> str:
        return get_column_letter(self.index)

    @property
    def text(self) -> str:
        if self.parent and self.child and self.parent != self.child:
            return f"{self.parent} / {self.child}"
        return self.parent or self.child


@dataclass
class Header:
    first_row: int  # 1-based
    last_row: int
    columns: list[HeaderColumn] = field(default_factory=list)

    @property
    def data_start(self) -> int:
        return self.last_row + 1

    @property
    def keys(self) -> dict[str, int]:
        """{key: column} of the mapped columns."""
        return {c.key: c.index for c in self.columns if c.key}

    @property
    def rows_label(self) -> str:
        if self.first_row == self.last_row:
            return str(self.first_row)
        return f"{self.first_row}–{self.last_row}"


def candidates(text: str) -> tuple[str, ...]:
    """The fields a header text may name: one, two (an ambiguous word) or none."""
    if not text:
        return ()
    key = header_key(text)
    if key:
        return (key,)
    cleaned = compact(text).strip("*:：#")
    if cleaned in AMBIGUOUS:
        return AMBIGUOUS[cleaned]
    for words, key in WORD_RULES:
        if any(w in cleaned for w in words):
            return (key,)
    if cleaned.endswith("问题"):
        return ("problem",)
    return ()


def _group(parent: str) -> set[str]:
    cleaned = compact(parent)
    for words, keys in PARENT_GROUPS:
        if any(w in cleaned for w in words):
            return keys
    return set()


def _settle(options: tuple[str, ...], values: list) -> tuple[str, str]:
    """Pick one of two fields by what the column holds: (key, how it was decided)."""
    texts = [v for v in values if display(v)]
    if not texts:
        return options[0], "empty"
    terms = sum(1 for v in texts if isinstance(v, str) and parse_term(v) and not any(ch.isdigit() for ch in v))
    dated = 0
    for v in texts:
        try:
            parse_date(v)
            dated += 1
        except (ValueError, TypeError, OverflowError):
            pass
    if "term" in options and terms * 2 >= len(texts):
        return "term", "content"
    if "deadline" in options and dated * 2 >= len(texts):
        return "deadline", "content"
    return next((o for o in options if o != "term"), options[0]), "default"


def _resolve(parent: str, child: str, values: list) -> HeaderColumn | tuple:
    """(key, note, ambiguous) for one column from its parent and child header texts."""
    own = child if child and child != parent else parent
    options = candidates(own)
    context = _group(parent) if child and child != parent else set()
    if len(options) > 1 and context & set(options):
        options = tuple(o for o in options if o in context)
    if not options and child and child != parent:
        options = candidates(parent + child)
    if len(options) <= 1:
        return (options[0] if options else None), "", False
    key, how = _settle(options, values)
    labels = "、".join(HEADERS[o] for o in options)
    if how == "content":
        note = _("“%(text)s” may mean %(fields)s: read as %(field)s from what the column holds.")
    else:
        note = _("“%(text)s” may mean %(fields)s: read as %(field)s. Correct it below if that is wrong.")
    return key, note % {"text": own, "fields": labels, "field": HEADERS[key]}, True


def _read(grid, top: int, depth: int, spanned: set) -> list[HeaderColumn]:
    """The header columns if rows top..top+depth-1 (1-based) are the header."""
    parents = grid[top - 1]
    children = grid[top] if depth == 2 and top < len(grid) else []
    width = max(len(parents), len(children))
    data = grid[top - 1 + depth : top - 1 + depth + SAMPLE_ROWS]
    columns = []
    for index in range(1, width + 1):
        parent = _text(parents, index)
        child = _text(children, index) if depth == 2 else ""
        if depth == 2 and child and parent == child and (top, index) not in spanned:
            child = ""  # a cell merged down over both header rows
        if not parent and not child:
            continue
        values = [r[index - 1] for r in data if index - 1 < len(r)]
        key, note, ambiguous = _resolve(parent, child, values)
        columns.append(HeaderColumn(index, parent, child, key, note, ambiguous))
    return columns


def _text(row, index) -> str:
    return " ".join(display(row[index - 1]).split()) if index - 1 < len(row) else ""


def _mark_duplicates(columns: list[HeaderColumn]) -> None:
    seen: dict[str, HeaderColumn] = {}
    for column in columns:
        if not column.key:
            continue
        if column.key in seen:
            first = seen[column.key]
            column.note = _("A second “%(field)s” column (the first is column %(letter)s): not read.") % {
                "field": HEADERS[column.key],
                "letter": first.letter,
            }
            column.key = None
            column.ambiguous = True
        else:
            seen[column.key] = column


def _child_row_is_header(grid, top: int, spanned: set) -> bool:
    """Row top+1 continues the header: a merged parent spans columns above it, and most of
    its own filled cells name fields."""
    if top >= len(grid) or not any((top, c) in spanned for c in range(1, len(grid[top - 1]) + 1)):
        return False
    below = [display(v) for v in grid[top]]
    filled = [t for t in below if t]
    named = [t for t in filled if candidates(t)]
    return bool(named) and len(named) * 2 >= len(filled)


def find_header(grid, spanned: set) -> Header | None:
    """The best header in the first rows (most fields named), or None.

    `spanned`: (row, column) of cells inside a merge that spans several columns."""
    best, best_score = None, 0
    for top in range(1, min(HEADER_SEARCH_ROWS, len(grid)) + 1):
        depths = (1, 2) if _child_row_is_header(grid, top, spanned) else (1,)
        for depth in depths:
            columns = _read(grid, top, depth, spanned)
            _mark_duplicates(columns)
            score = len({c.key for c in columns if c.key})
            if score > best_score:
                best, best_score = Header(top, top + depth - 1, columns), score
    if best is None or best_score < MIN_HEADER_MATCHES:
        return None
    return best


def with_mapping(header: Header, mapping: dict[int, str | None]) -> Header:
    """The header as the office corrected it: {column: key or None}."""
    columns = []
    for c in header.columns:
        if c.index in mapping:
            key = mapping[c.index]
            note = "" if key == c.key else _("Set by hand.")
            columns.append(HeaderColumn(c.index, c.parent, c.child, key, note))
        else:
            columns.append(c)
    return Header(header.first_row, header.last_row, columns)
