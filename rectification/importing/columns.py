"""The feedback list's columns (key, the template's Chinese header, accepted variants)
and the words for the three terms (时限类别)."""

from ..models import Measure

# The sheet's columns: key, the Chinese header of the template, accepted variants.
COLUMNS = [
    ("number", "序号", ["序号", "编号", "问题序号", "问题编号", "序"]),
    # 类别 and 类型 alone may also be the term (时限类别): header.py settles them.
    ("category", "问题类别", ["问题类别", "问题类型", "问题分类", "问题方面", "问题领域"]),
    (
        "problem",
        "问题描述",
        [
            "问题描述",
            "问题",
            "具体问题",
            "问题表现",
            "具体表现",
            "存在问题",
            "问题清单",
            "反馈问题",
            "巡察反馈问题",
            "巡视反馈问题",
            "审计反馈问题",
            "督查反馈问题",
            "问题内容",
            "主要问题",
            "问题具体表现",
            "问题及表现",
        ],
    ),
    ("goal", "整改目标", ["整改目标", "目标", "整改要求"]),
    ("measure", "整改措施", ["整改措施", "措施", "整改任务", "具体措施", "整改举措", "任务清单"]),
    ("leader", "责任领导", ["责任领导", "分管领导", "牵头领导", "领导", "责任局领导", "牵头局领导"]),
    ("lead", "牵头科室", ["牵头科室", "牵头单位", "牵头部门", "责任科室", "责任单位", "责任部门", "牵头科室单位"]),
    ("partners", "配合科室", ["配合科室", "配合单位", "配合部门", "协办科室", "协办单位", "配合科室单位"]),
    ("person", "责任人", ["责任人", "具体责任人", "经办人", "责任人员"]),
    ("term", "时限类别", ["时限类别", "时限类型", "整改时限类别", "整改类型", "整改类别", "时限性质"]),
    (
        "deadline",
        "完成时限",
        # 时限 alone may also be the term: header.py settles it.
        ["完成时限", "整改时限", "完成时间", "截止时间", "截止日期", "完成期限", "整改期限", "整改完成时限"],
    ),
    ("note", "备注", ["备注", "说明"]),
]
HEADERS = {key: header for key, header, _aliases in COLUMNS}
KEYS = [key for key, _h, _a in COLUMNS]
REQUIRED = ["problem", "measure", "leader", "lead"]
# A row with none of these filled is not a measure (a pre-numbered empty row, a stray note).
CONTENT_KEYS = ["problem", "goal", "measure", "leader", "lead", "partners", "person", "deadline"]

TERM_WORDS = [
    ("立行立改", Measure.Term.IMMEDIATE),
    ("限期整改", Measure.Term.DEADLINE),
    ("长期坚持", Measure.Term.LONG_TERM),
    ("长期", Measure.Term.LONG_TERM),
    ("持续", Measure.Term.LONG_TERM),
    ("立即", Measure.Term.IMMEDIATE),
    ("限期", Measure.Term.DEADLINE),
]
TERM_LABELS = {
    Measure.Term.IMMEDIATE: "立行立改",
    Measure.Term.DEADLINE: "限期整改",
    Measure.Term.LONG_TERM: "长期坚持",
}
