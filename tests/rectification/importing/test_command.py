"""manage.py import_feedback: the same import from the shell."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from rectification.models import Measure, Problem

from .. import xlsx_fixtures as fx
from ..xlsx_fixtures import HEADER, row, xlsx

pytestmark = pytest.mark.django_db


def test_command_imports(round_, org, tmp_path):
    path = tmp_path / "问题清单.xlsx"
    path.write_bytes(fx.untidy())
    out = StringIO()
    call_command("import_feedback", str(path), "--round", str(round_.pk), "--user", "office", stdout=out)
    assert "已导入 4 个问题、7 条整改措施" in out.getvalue()
    assert Measure.objects.count() == 7
    assert Measure.objects.first().history.get().history_user == org.users["office"]


def test_command_dry_run_writes_nothing(round_, tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(fx.tidy())
    out = StringIO()
    call_command("import_feedback", str(path), "--round", str(round_.pk), "--dry-run", stdout=out)
    assert "未导入" in out.getvalue() and Measure.objects.count() == 0


def test_command_fails_on_errors_and_writes_nothing(round_, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx([HEADER, row(1, "", "问题", "", "措施", "李红梅", "综合科", "", "", "长期坚持")]))
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_feedback", str(path), "--round", str(round_.pk), stdout=out, stderr=err)
    assert "未导入任何内容" in str(caught.value)
    assert "第2行“牵头科室”：未知科室“综合科”" in err.getvalue()
    assert Problem.objects.count() == 0


def test_command_exit_code(round_, tmp_path, monkeypatch):
    """Run as from the shell: exit status 1 on a refused file, nothing written."""
    from django.core.management import ManagementUtility, base

    # run_from_argv closes the database connections at the end, the test's own included.
    monkeypatch.setattr(base.connections, "close_all", lambda: None)

    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook")
    with pytest.raises(SystemExit) as caught:
        ManagementUtility(["manage.py", "import_feedback", str(path), "--round", str(round_.pk)]).execute()
    assert caught.value.code == 1
    assert Problem.objects.count() == 0
