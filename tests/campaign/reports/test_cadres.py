"""The monthly report's cadre-work section: its figures come from the cadres app, the moves
executed in the period are listed, the PDF prints it and the Excel ledger has its sheet."""

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import load_workbook

from cadres.models import Cadre
from campaign.reports import data as report_data
from campaign.reports import pdf as report_pdf
from campaign.reports.xlsx import write_ledger
from tests.cadres.factories import ItemFactory, PlanFactory, TalkFactory, cadre_in_post

from .support import AS_OF, END, START

pytestmark = pytest.mark.django_db


@pytest.fixture
def cadre_work(org, on_report_day):
    cadre_in_post(org.dept_b, years=11, key=True, name="潘明轩", on=AS_OF)
    moved = cadre_in_post(org.dept_a, years=3, level=Cadre.PostLevel.MEMBER, name="已调整", on=AS_OF)
    ItemFactory(plan=PlanFactory(status="executed"), cadre=moved, executed_on=START + dt.timedelta(days=3))
    ItemFactory(plan=PlanFactory(status="executed"), cadre=moved, executed_on=START - dt.timedelta(days=40))
    TalkFactory(date=START, talker=org.users["leader"].cadre, talkee=org.users["head"].cadre)
    return report_data.collect(START, END)


def test_the_section_counts_the_lists_and_the_moves_in_the_period(cadre_work):
    section = cadre_work.cadres
    assert section.figures.rotation["must"] == 1
    assert section.moves_count == 1 and section.moves[0].cadre.name == "已调整"
    rows = dict(section.rows())
    assert rows["必须交流"] == "1" and rows["本期执行交流人数"] == "1"


def test_the_pdf_html_prints_the_section(cadre_work):
    html = report_pdf.render_html(cadre_work)
    assert "（二）干部工作" in html and "已调整" in html  # after （一） the Party branches


def test_the_excel_ledger_has_a_cadre_work_sheet(cadre_work):
    buffer = BytesIO()
    write_ledger(cadre_work, buffer)
    ws = load_workbook(BytesIO(buffer.getvalue()))["干部工作"]
    rows = {r[0]: r[1] for r in ws.iter_rows(min_row=3, values_only=True)}
    assert rows["必须交流"] == "1"
