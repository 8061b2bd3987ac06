"""Column definitions shared by the screens, their xlsx exports and the imports
(core.xlsx.Column): the roster (花名册), the risk ledger, rotation lists, plan items, talks."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.xlsx import Column


def _date(value):
    return value or ""


def _yes(value: bool) -> str:
    return "是" if value else "否"


def roster_columns(personal: bool) -> list[Column]:
    """The roster in the order of the bureau's 花名册; the import reads the same headers.
    Without `personal`, only names and posts."""
    public = [
        Column(_("Name"), lambda c: c.name, 10),
        Column(_("Department"), lambda c: c.department.name, 16),
        Column(_("Post"), lambda c: c.post.title if c.post else "", 18),
        Column(_("Position and rank"), lambda c: c.rank, 18),
        Column(_("Middle-level cadre"), lambda c: _yes(c.is_middle_level), 8),
    ]
    if not personal:
        return public
    return public + [
        Column(_("Gender"), lambda c: c.get_gender_display(), 6),
        Column(_("Birth date"), lambda c: _date(c.birth_date), 12),
        Column(_("Ethnicity"), lambda c: c.ethnicity, 8),
        Column(_("Political status"), lambda c: c.get_political_status_display(), 14),
        Column(_("Joined the Party on"), lambda c: _date(c.joined_party_on), 12),
        Column(_("Education"), lambda c: c.education, 10),
        Column(_("In current post since"), lambda c: _date(c.in_post_since), 14),
        Column(_("Joined the bureau on"), lambda c: _date(c.joined_bureau_on), 14),
    ]


def _person(cadre) -> str:
    return cadre.name if cadre else ""


def risk_columns(heads: dict | None = None) -> list[Column]:
    """The risk ledger's usual columns (序号 … 责任领导); 部门负责人 and 责任领导 default to the
    department's head and its overseeing leader when the row names none."""
    heads = heads or {}
    return [
        Column(_("No."), lambda r: r.number, 6),
        Column(_("Department"), lambda r: r.post.department.name, 14),
        Column(_("Post"), lambda r: r.post.title, 14),
        Column(_("Risk category"), lambda r: r.category, 12),
        Column(_("Risk point"), lambda r: r.point, 24, wrap=True),
        Column(_("Main manifestations"), lambda r: r.manifestation, 30, wrap=True),
        Column(_("Risk level"), lambda r: r.get_level_display(), 8),
        Column(_("Prevention and control measures"), lambda r: r.controls, 30, wrap=True),
        Column(
            _("Head of the department (risk ledger)"),
            lambda r: _person(r.department_head or heads.get(r.post.department_id)),
            10,
        ),
        Column(
            _("Responsible leader"),
            lambda r: _person(r.responsible_leader or r.post.department.overseen_by),
            10,
        ),
    ]


def rotation_columns() -> list[Column]:
    return [
        Column(_("Name"), lambda a: a.name, 10),
        Column(_("Department"), lambda a: a.department, 14),
        Column(_("Post"), lambda a: a.post, 14),
        Column(_("In current post since"), lambda a: _date(a.since), 12),
        Column(_("Years in post"), lambda a: a.years, 8),
        Column(_("Why"), lambda a: "；".join(a.reasons + a.flag_reasons), 50, wrap=True),
        Column(_("Exemptions from rotation"), lambda a: "；".join(a.exemptions), 40, wrap=True),
    ]


def plan_item_columns() -> list[Column]:
    return [
        Column(_("No."), lambda i: i.number, 6),
        Column(_("Name"), lambda i: i.cadre.name, 10),
        Column(_("Current post"), lambda i: f"{i.from_department.name} {i.from_post.title if i.from_post else ''}", 22),
        Column(_("Proposed post"), lambda i: f"{i.to_department.name} {i.to_post.title if i.to_post else ''}", 22),
        Column(_("Kind"), lambda i: i.get_kind_display(), 10),
        Column(_("Planned date"), lambda i: i.planned_date, 12),
        Column(_("Handover"), lambda i: i.handover_note, 30, wrap=True),
        Column(_("Executed on"), lambda i: _date(i.executed_on), 12),
    ]
