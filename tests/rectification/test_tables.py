"""The ledger's columns (整改台账): one definition, in the order a bureau sends upward."""

from django.utils import translation

from rectification.tables import ledger_columns

# The 16 columns of DESIGN.md and 延期情况, as the export and the monthly report's Excel print them.
HEADERS = [
    "序号",
    "问题来源",
    "问题类别",
    "问题描述",
    "整改目标",
    "整改措施",
    "责任领导",
    "牵头科室",
    "配合科室",
    "责任人",
    "时限类别",
    "整改时限",
    "延期情况",
    "整改进展",
    "完成情况",
    "佐证材料",
    "备注",
]


def test_columns_are_the_design_order():
    with translation.override("zh-hans"):
        assert [c.header for c in ledger_columns()] == HEADERS
