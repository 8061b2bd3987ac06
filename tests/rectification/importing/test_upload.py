"""Upload safety: bad files refused with a message that says what to do."""

import pytest
from django.test import override_settings

from rectification import importing
from rectification.models import Problem

from .. import xlsx_fixtures as fx

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"just some text\n1,2,3\n", "不是 Excel 工作簿"),
        ("序号,问题描述\n1,问题".encode("gbk"), "不是 Excel 工作簿"),
        (fx.docx_renamed(), "不是 Excel 工作簿"),
        (b"PK\x03\x04broken zip", "已损坏"),
        (fx.encrypted(), "已加密"),
        (fx.old_xls(), "旧版"),
        (fx.zip_bomb(), "压缩炸弹"),
        (b"", "文件是空的"),
    ],
)
def test_refused_files(round_, data, expected):
    with pytest.raises(importing.ImportRefused) as caught:
        importing.validate(data, round_)
    assert expected in str(caught.value)
    assert Problem.objects.count() == 0


@override_settings(IMPORT_MAX_BYTES=1024)
def test_too_large(round_):
    with pytest.raises(importing.ImportRefused) as caught:
        importing.check_upload(fx.tidy())
    assert "文件过大" in str(caught.value)
