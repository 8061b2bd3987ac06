"""The rotation plan printed for the 党组 meeting: a PDF in the monthly report's layout
(GB/T 9704-2012, static/css/report_pdf.css, rendered by core.pdf), and its xlsx."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from core import dates
from core.pdf import render_pdf
from core.xlsx import add_sheet, new_workbook, workbook_bytes

from . import rotation
from .models import RotationPlan
from .tables import plan_item_columns

PRINT_LANGUAGE = "zh-hans"
STYLESHEET = "css/report_pdf.css"


def plan_items(plan: RotationPlan) -> list:
    items = list(
        plan.items.select_related("cadre", "from_department", "from_post", "to_department", "to_post").order_by("pk")
    )
    for number, item in enumerate(items, start=1):
        item.number = number
    return items


def plan_pdf(plan: RotationPlan) -> bytes:
    with translation.override(PRINT_LANGUAGE):
        html = render_to_string(
            "cadres/plan_pdf.html",
            {
                "plan": plan,
                "items": plan_items(plan),
                "findings": rotation.check_plan(plan, dates.today()) if plan.is_draft else [],
                "bureau": settings.BUREAU_NAME,
                "today": dates.today(),
            },
        )
    return render_pdf(html, [STYLESHEET]).pdf


def plan_xlsx(plan: RotationPlan) -> bytes:
    wb = new_workbook()
    heading = plan.title
    if plan.document_number:
        heading += f"（{plan.document_number}）"
    add_sheet(wb, _("Rotation plan"), plan_item_columns(), plan_items(plan), heading=heading)
    return workbook_bytes(wb)
