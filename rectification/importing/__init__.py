"""Import of the feedback list (问题清单) from an .xlsx sheet.

Three steps, used by the import page and by `manage.py import_feedback`:

  check_upload(data)              refuse what is not a plain, sane .xlsx (ImportRefused)
  preview = validate(data, round) read the sheet as untidy real sheets are, resolve every
                                  name, and report every problem by row and column
  import_feedback_xlsx(data, round, actor)
                                  validate again and, only if the whole file is valid,
                                  write it in one transaction (ImportInvalid otherwise)

Accepted untidiness: title rows above the header, header names with spaces, line breaks
or (full-width) brackets, two-row parent/child headers (整改时限 over 类别 | 完成时间), the
many names of a column (巡察反馈问题, 存在问题…), merged cells, dates as Excel dates or text
(2026年6月30日, 2026.6.30, 2026/6/30, 2026年3月底, 3月底前, 年底前, 2026年上半年, 第三季度:
a form without a year falls on or after the round's feedback date, and the preview says
how it was read), 长期坚持 without a date,
several measures under one problem (an empty or merged problem cell continues the problem
above), section rows such as "一、政治建设方面" (used as the category), departments
separated by 、，,;； or line breaks, names with stray spaces.

The modules, in the order a file goes through them:

  upload.py      upload safety: size, old or encrypted Office files, zip bombs
  pending.py     the previewed file kept until it is confirmed (token and hash)
  columns.py     the columns and their accepted header names, the term words
  cells.py       one cell: text, names, dates, terms
  header.py      the header: one row or parent/child, each column's field, ambiguous words
  sheet.py       the sheet: merged cells, the header, section and footer rows
  directory.py   names resolved against the organisation
  preview.py     what the preview shows (rows, problems, messages by row and column)
  validation.py  validate(): the sheet read into a Preview, writing nothing
  writing.py     import_feedback_xlsx(): all or nothing, with history
  template.py    the blank template to download

This package's names below are what the views, the command and the tests use.
"""

from .cells import parse_date, read_date
from .columns import KEYS
from .pending import discard_pending, load_pending, store_pending
from .preview import Preview, locate
from .template import template_bytes
from .upload import ImportRefused, check_upload
from .validation import validate
from .writing import ImportInvalid, ImportResult, import_feedback_xlsx

__all__ = [
    "ImportInvalid",
    "ImportRefused",
    "ImportResult",
    "KEYS",
    "Preview",
    "check_upload",
    "discard_pending",
    "import_feedback_xlsx",
    "load_pending",
    "locate",
    "parse_date",
    "read_date",
    "store_pending",
    "template_bytes",
    "validate",
]
