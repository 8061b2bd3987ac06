"""Validation: the sheet read row by row into a Preview, every name resolved against the
organisation, every problem named by row and column. Writes nothing."""

import re

from django.db.models import Max
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import InspectionRound, Measure, Problem
from .cells import display, parse_term, read_date, split_names
from .columns import CONTENT_KEYS, HEADERS, KEYS, REQUIRED, TERM_LABELS
from .directory import Directory
from .preview import Preview, ProblemDraft, RowResult
from .sheet import Sheet, find_sheet, is_footer, is_section_row
from .upload import check_upload, open_workbook

MAX_DATA_ROWS = 5000


def validate(data: bytes, round: InspectionRound, mapping: dict | None = None) -> Preview:
    """Read the sheet and check every row. Writes nothing.

    `mapping` ({column number: key or None}) is the office's correction of how the sheet's
    columns are read; without it the header is read as header.py reads it."""
    check_upload(data)
    preview = Preview(round=round, mapping_given=bool(mapping))
    sheet = find_sheet(open_workbook(data), mapping)
    _check_header(preview, sheet)
    if preview.file_errors:
        return preview
    _Reader(preview, sheet, round).read()
    if not preview.rows and not preview.file_errors:
        preview.file_errors.append(
            _("The sheet has a header (row %(row)s) but no rows below it to import.") % {"row": preview.header_rows}
        )
    return preview


def _check_header(preview: Preview, sheet: Sheet | None):
    if sheet is None:
        preview.file_errors.append(
            _(
                "No header row was found. The sheet needs a header row with the columns %(columns)s "
                "(download the template)."
            )
            % {"columns": "、".join(HEADERS[k] for k in KEYS)}
        )
        return
    header = sheet.header
    preview.sheet, preview.columns, preview.header_row = sheet.title, sheet.columns, header.last_row
    preview.header_rows, preview.mapping = header.rows_label, header.columns
    twice = {}
    for column in header.columns:
        if column.key:
            twice.setdefault(column.key, []).append(column.letter)
    for key, letters in twice.items():
        if len(letters) > 1:
            preview.file_errors.append(
                _("Columns %(letters)s are all read as “%(column)s”: choose one.")
                % {"letters": "、".join(letters), "column": HEADERS[key]}
            )
    for key in REQUIRED:
        if key not in preview.columns:
            preview.file_errors.append(
                _("The required column “%(column)s” is missing from the header (row %(row)s).")
                % {"column": HEADERS[key], "row": header.rows_label}
            )


class _Reader:
    """Walks the data rows, keeping what spans rows: the section heading above (the
    category) and the problem that an empty or merged problem cell continues."""

    def __init__(self, preview: Preview, sheet: Sheet, round: InspectionRound):
        self.preview, self.sheet, self.round = preview, sheet, round
        self.directory = Directory()
        problems = Problem.objects.filter(round=round) if round.pk else Problem.objects.none()
        self.existing = dict(problems.values_list("description", "number"))
        self.next_number = problems.aggregate(m=Max("number"))["m"] or 0
        self.section = ""
        self.current: ProblemDraft | None = None
        self.previous_sheet_number = ""

    def read(self):
        for row_number in range(self.sheet.data_start, len(self.sheet.grid) + 1):
            cells = self.sheet.grid[row_number - 1]

            def raw(key, _cells=cells):
                return self.sheet.value(_cells, key)

            if self._skipped(row_number, cells, raw):
                continue
            if len(self.preview.rows) >= MAX_DATA_ROWS:
                self.preview.file_errors.append(
                    _("The sheet has more than %(max)s rows; split it into several files.") % {"max": MAX_DATA_ROWS}
                )
                break
            r = RowResult(row=row_number, values={k: display(raw(k)) for k in KEYS})
            self.preview.rows.append(r)
            self._attach_problem(r, raw)
            _check_measure(r, raw, self.directory, self.round)

    def _skipped(self, row_number: int, cells, raw) -> bool:
        """Empty rows, section headings, footer notes and rows without content are no measures."""
        texts = [display(v) for v in cells]
        if not any(texts):
            return True
        nonempty = [t for t in texts if t]
        heading = is_section_row(cells, row_number in self.sheet.widened, self.sheet.columns)
        if heading is not None:
            self.section = heading
            skipped = heading
        elif is_footer(texts) and not display(raw("measure")):
            skipped = nonempty[0]
        elif not any(display(raw(k)) for k in CONTENT_KEYS):
            # A pre-numbered empty row of a template, or a stray note: nothing to import.
            skipped = "　".join(nonempty)
        else:
            return False
        self.preview.skipped_rows.append((row_number, skipped))
        return True

    def _attach_problem(self, r: RowResult, raw):
        """The row's problem: a new one, or the one above continued."""
        description = display(raw("problem"))
        sheet_number = display(raw("number"))
        current = self.current
        continues = current is not None and (
            not description
            or (r.row, self.sheet.columns["problem"]) in self.sheet.continued
            or (description == current.description and sheet_number in ("", self.previous_sheet_number))
        )
        if not description and current is None:
            r.error("problem", _("Missing problem description"))
        elif continues:
            r.problem_index = len(self.preview.problems) - 1
            current.rows.append(r)
        else:
            self._new_problem(r, description, sheet_number, display(raw("category")) or self.section)
        if sheet_number:
            self.previous_sheet_number = sheet_number
        if self.current is not None and r.problem_index is not None:
            r.measure_number = len(self.current.rows)
            r.problem_number = self.current.number

    def _new_problem(self, r: RowResult, description: str, sheet_number: str, category: str):
        self.next_number += 1
        self.current = ProblemDraft(
            number=self.next_number,
            sheet_number=sheet_number,
            category=category,
            description=description,
            first_row=r.row,
            rows=[r],
        )
        self.preview.problems.append(self.current)
        r.problem_index = len(self.preview.problems) - 1
        r.new_problem = True
        r.values["category"] = category
        if len(category) > 100:
            r.error("category", _("Too long: at most %(max)s characters") % {"max": 100})
        if description in self.existing:
            r.warn(
                "problem",
                _("This round already has the same problem (No. %(number)s): is the file imported twice?")
                % {"number": self.existing[description]},
            )


def _check_measure(r: RowResult, raw, directory: Directory, round: InspectionRound):
    if not display(raw("measure")):
        r.error("measure", _("Missing measure"))
    # Lead department first: it settles which of two namesakes is meant.
    _check_departments(r, raw, directory)
    _check_people(r, raw, directory)
    _check_term(r, raw, round)
    _show_resolved(r)


def _check_departments(r: RowResult, raw, directory: Directory):
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


def _check_people(r: RowResult, raw, directory: Directory):
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


def _check_term(r: RowResult, raw, round: InspectionRound):
    """The term (时限类别) and the deadline; a 长期坚持 written in the deadline column counts."""
    term_text = display(raw("term"))
    term = parse_term(term_text) if term_text else None
    if term_text and term is None:
        r.error("term", _("Unrecognised term “%(value)s”: use 立行立改, 限期整改 or 长期坚持") % {"value": term_text})
    term = _read_deadline(r, raw("deadline"), term, round.feedback_date)
    if term is None and not term_text:
        if r.deadline is not None:
            term = Measure.Term.DEADLINE
        elif "deadline" not in r.errors:
            r.error("term", _("Missing term: write 立行立改, 限期整改 or 长期坚持, or give a deadline"))
    r.term = term
    if term == Measure.Term.DEADLINE and r.deadline is None and "deadline" not in r.errors:
        r.error("deadline", _("限期整改 needs a deadline"))
    if r.deadline and round.feedback_date and r.deadline < round.feedback_date:
        r.error(
            "deadline",
            _("The deadline %(deadline)s is before the round's feedback date (%(date)s): correct it in the sheet")
            % {"deadline": r.deadline.isoformat(), "date": round.feedback_date.isoformat()},
        )


def _read_deadline(r: RowResult, value, term, after):
    """Set r.deadline from the cell (and how a loose form was read); returns the term,
    filled in when the cell names one."""
    text = display(value)
    if not text:
        return term
    named = parse_term(text) if isinstance(value, str) else None
    if named is not None and not re.search(r"\d", text):
        return term or named
    try:
        r.deadline, spelled_out = read_date(value, after)
    except (ValueError, OverflowError):
        r.error(
            "deadline",
            _("Unrecognised date “%(value)s” (write it as 2026-06-30 or 2026年6月30日)") % {"value": text},
        )
        return term
    if not spelled_out:
        r.readings["deadline"] = _("“%(text)s” read as %(date)s") % {
            "text": text,
            "date": date_format(r.deadline),
        }
    return term


def _show_resolved(r: RowResult):
    """The preview shows what will be stored: the names as the organisation spells them."""
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
