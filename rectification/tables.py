"""The ledger's columns (整改台账): one definition for the ledger's xlsx export and the
monthly report's Excel, in the order a bureau sends upward:

序号, 问题来源, 问题类别, 问题描述, 整改目标, 整改措施, 责任领导, 牵头科室, 配合科室, 责任人,
时限类别, 整改时限, 延期情况, 整改进展, 完成情况, 佐证材料, 备注

(延期情况: how often and by how many days the deadline was extended, and a pending request.)

Use `ledger_rows(qs)` on the queryset first: it prefetches what the columns read, so the
number of queries does not grow with the number of rows. The columns still work on an
unprefetched queryset (one query per row and relation then).
"""

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.xlsx import Column

from . import deadlines, wording
from .models import Evidence, Extension, Measure, Progress


def ledger_rows(qs: QuerySet, as_of: dt.date | None = None) -> QuerySet:
    """The measures with everything the ledger columns read, in few queries; `as_of` (a
    past report's day) leaves out progress, evidence and extensions recorded after it."""
    progress = Progress.objects.order_by("-date", "-id").only("id", "measure_id", "date", "text")
    evidence = Evidence.objects.order_by("uploaded_at", "id").only("id", "measure_id", "original_name")
    extensions = Extension.objects.exclude(status__in=[Extension.Status.REFUSED, Extension.Status.WITHDRAWN])
    if as_of is not None:
        cut = timezone.make_aware(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time.min))
        progress = progress.filter(date__lte=as_of)
        evidence = evidence.filter(uploaded_at__lt=cut)
        extensions = extensions.filter(status=Extension.Status.APPROVED, decided_on__lte=as_of)
    return qs.select_related(
        "problem__round", "responsible_leader", "lead_department", "responsible_person"
    ).prefetch_related(
        Prefetch(
            "extensions",
            queryset=extensions.order_by("requested_at", "id").only(
                "id", "measure_id", "status", "old_deadline", "new_deadline", "days"
            ),
            to_attr="live_extensions",
        ),
        "partner_departments",
        Prefetch("progress", queryset=progress),
        Prefetch("evidence", queryset=evidence),
    )


def measure_number(m: Measure) -> str:
    """序号: problem number and measure number, e.g. 3.2."""
    return f"{m.problem.number}.{m.number}"


def source(m: Measure) -> str:
    return m.problem.round.title or m.problem.round.get_source_display()


def partner_names(m: Measure) -> str:
    return wording.join(d.name for d in m.partner_departments.all())


def deadline_value(m: Measure):
    """整改时限: the date itself (a date cell in Excel), or the term for 长期坚持 without one."""
    if m.deadline:
        return m.deadline
    return m.get_term_display() if m.term == Measure.Term.LONG_TERM else ""


def extension_text(m: Measure) -> str:
    """延期情况: “延期2次，共45天” and a pending request, from ledger_rows' prefetch."""
    items = getattr(m, "live_extensions", None)
    if items is None:
        items = list(m.extensions.exclude(status__in=[Extension.Status.REFUSED, Extension.Status.WITHDRAWN]))
    approved = [e for e in items if e.status == Extension.Status.APPROVED]
    parts = []
    if approved:
        parts.append(
            ngettext("extended once, %(days)s days in all", "extended %(n)s times, %(days)s days in all", len(approved))
            % {"n": len(approved), "days": sum(e.days for e in approved)}
        )
    waiting = [e for e in items if e.status in Extension.PENDING_STATUSES]
    if waiting:
        parts.append(_("extension to %(date)s requested") % {"date": waiting[0].new_deadline.isoformat()})
    return "\n".join(parts)


def latest_progress(m: Measure) -> str:
    entries = list(m.progress.all())
    if not entries:
        return ""
    latest = entries[0]
    return f"{latest.date:%Y-%m-%d} {latest.text}"


def completion(m: Measure) -> str:
    """完成情况: the status, the completion date once finished, days overdue if late."""
    text = m.get_status_display()
    if m.completed_on and m.status in Measure.DONE_STATUSES:
        text = f"{text}{wording.parenthesised(f'{m.completed_on:%Y-%m-%d}')}"
    late = deadlines.days_overdue(m, getattr(m, "as_of", None))  # a report's day, else today
    if late:
        text = f"{text}，" + _("overdue %(days)s days") % {"days": late}
    return text


def evidence_names(m: Measure) -> str:
    files = list(m.evidence.all())
    if not files:
        return ""
    names = "\n".join(e.original_name for e in files)
    return _("%(count)s files:") % {"count": len(files)} + "\n" + names


def ledger_columns() -> list[Column]:
    """The 17 columns of the 整改台账, headers translated for the current language."""
    return [
        Column(_("No."), measure_number, 6),
        Column(_("Problem source"), source, 14, wrap=True),
        Column(_("Problem category"), lambda m: m.problem.category, 12, wrap=True),
        Column(_("Problem description"), lambda m: m.problem.description, 36, wrap=True),
        Column(_("Rectification goal"), lambda m: m.goal, 24, wrap=True),
        Column(_("Rectification measure"), lambda m: m.description, 36, wrap=True),
        Column(_("Responsible leader"), lambda m: m.responsible_leader.name, 10),
        Column(_("Lead department"), lambda m: m.lead_department.name, 14, wrap=True),
        Column(_("Partner departments"), partner_names, 14, wrap=True),
        Column(_("Responsible person"), lambda m: m.responsible_person.name if m.responsible_person else "", 10),
        Column(_("Term type"), lambda m: m.get_term_display(), 10),
        Column(_("Rectification deadline"), deadline_value, 12),
        Column(_("Extensions"), extension_text, 16, wrap=True),
        Column(_("Rectification progress"), latest_progress, 36, wrap=True),
        Column(_("Completion status"), completion, 16, wrap=True),
        Column(_("Evidence files"), evidence_names, 24, wrap=True),
        Column(_("Remarks"), lambda m: m.note, 16, wrap=True),
    ]
