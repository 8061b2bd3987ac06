"""The ledger's table and filter bar as a Jinja2 fragment (rectification/ledger_html.py): it
escapes what users typed, keeps its cached select options up to date, and the text search
matches the same whatever the letter case (issue 14, item 1)."""

from django.urls import reverse

from cadres.models import Department
from rectification.models import InspectionRound
from tests.conftest import login


def ledger_html(client, query="") -> str:
    response = client.get(reverse("rectification:ledger") + query)
    assert response.status_code == 200
    return response.content.decode()


def test_text_typed_by_users_is_escaped(client, org, ledger):
    ledger.measure(description='<script>alert("措施")</script>', problem_text="<b>问题</b> & 说明")
    login(client, org.users["office"])
    html = ledger_html(client)
    # (Jinja2 writes a quote as &#34; where Django writes &quot;: the same to a browser.)
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#34;措施&#34;)&lt;/script&gt;" in html
    assert "&lt;b&gt;问题&lt;/b&gt; &amp; 说明" in html


def test_a_new_round_and_a_renamed_department_show_in_the_filter_at_once(client, org, ledger):
    login(client, org.users["office"])
    assert "第三批反馈" not in ledger_html(client)  # the options are cached now
    new = InspectionRound.objects.create(
        source=InspectionRound.Source.AUDIT, title="第三批反馈", feedback_date=ledger.today
    )
    Department.objects.filter(pk=org.dept_b.pk).update(name="旧名")  # no signal: the cache stays
    org.dept_b.name = "综合执法科"
    org.dept_b.save()  # a signal: the cache is forgotten
    html = ledger_html(client)
    assert f'<option value="{new.pk}">第三批反馈</option>' in html
    assert f'<option value="{org.dept_b.pk}">综合执法科</option>' in html


def test_the_chosen_options_stay_selected(client, org, ledger):
    login(client, org.users["office"])
    html = ledger_html(client, f"?round={ledger.other_round.pk}&flag=overdue&status=submitted&status=closed")
    assert f'<option value="{ledger.other_round.pk}" selected>' in html
    assert '<option value="overdue" selected>' in html
    assert 'value="submitted" checked' in html and 'value="closed" checked' in html
    assert 'value="in_progress" checked' not in html


def test_the_text_search_ignores_letter_case_and_searches_problems(client, org, ledger):
    upper = ledger.measure(description="升级OA系统审批模块")
    category = ledger.measure(description="其他措施")
    category.problem.category = "Digital 建设"
    category.problem.save()
    login(client, org.users["office"])
    assert f"/measures/{upper.pk}/" in ledger_html(client, "?q=oa系统")
    assert f"/measures/{category.pk}/" in ledger_html(client, "?q=DIGITAL")
    found = ledger_html(client, "?q=案卷不规范")  # the problem's text, in Chinese
    assert f"/measures/{ledger.b_only.pk}/" in found and f"/measures/{upper.pk}/" not in found


def test_a_row_shows_its_extensions_and_latest_progress(client, org, ledger):
    from rectification import extensions, services

    m = ledger.a_overdue
    services.add_progress(m.pk, org.users["staff"], text="进展", date=ledger.days(-2))
    extensions.request(m.pk, org.users["staff"], ledger.days(30), "需要更多时间", check_user=False)
    login(client, org.users["office"])
    row = ledger_html(client).split(f'href="/rectification/measures/{m.pk}/">', 1)[1].split("</tr>", 1)[0]
    assert "延期申请中" in row and ledger.days(-2).isoformat() in row
