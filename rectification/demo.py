"""Demo ledger for seed_demo: a 省委巡视 round and a 市委巡察 round with 20 problems each (each
round its own), about 100 measures across every status and term, about 300 progress
entries over the last six months (relative to today), a few small real evidence files,
some measures overdue and some due soon, deadline extensions approved and under review,
measures returned, not yet assigned or ready to submit, each with its history and
sign-off record dated as if it had happened; and a 审计 round whose feedback list is still
to be imported.

The demo logins: `staff` (孙丽娟, 行政审批科) is the responsible person of the 行政审批科
measures; `head` (周志刚) heads 行政审批科 and submits them; `leader` (李红梅) oversees
行政审批科 and 政策法规科 and reviews them; `office` confirms. Idempotent: nothing is added
when the demo rounds exist.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.utils import timezone

from cadres.models import Cadre, Department
from core.dates import today as current_day

from . import evidence as evidence_files
from .models import Extension, InspectionRound, Measure, Problem, Progress, SignoffStep
from .workflow import TRANSITIONS, Action

S, T = Measure.Status, Measure.Term
# A small real PDF and PNG (the demo's evidence files).
DEMO_FILES = Path(__file__).resolve().parent / "demo_files"

PROVINCIAL_DOC = "省委第三巡视组反馈〔2026〕12号"
MUNICIPAL_DOC = "市委第二巡察组反馈〔2026〕7号"

# category, problem, [measures]
PROBLEMS = [
    (
        "政治建设",
        "学习贯彻党中央决策部署和省委、市委工作要求不够深入，结合本部门职能研究落实不够具体",
        [
            "建立党组“第一议题”制度，每月专题学习并研究贯彻措施",
            "制定年度学习计划，开展专题研讨不少于4次",
            "将学习贯彻情况纳入年度述职述廉内容",
        ],
    ),
    (
        "政治建设",
        "落实意识形态工作责任制不到位，意识形态领域风险研判不够",
        ["每半年专题研判意识形态形势，形成研判报告", "修订意识形态工作责任清单，明确班子成员责任"],
    ),
    (
        "作风建设",
        "窗口服务存在“门难进、脸难看、事难办”现象，群众满意度不高",
        [
            "开展窗口作风专项整治，建立“好差评”闭环处置机制",
            "推行首问负责、一次性告知和限时办结制度",
            "每月通报群众评价结果，纳入科室考核",
        ],
    ),
    (
        "行政审批",
        "部分审批事项办理时限偏长，“多头跑、来回跑”问题仍然存在",
        [
            "梳理全部审批事项，压缩法定办理时限30%以上",
            "推行“一窗受理、集成服务”，实现高频事项“一次办”",
            "建立审批超时预警和督办机制",
        ],
    ),
    (
        "行政审批",
        "审批自由裁量权行使不规范，个别事项审批标准不统一",
        [
            "制定审批事项裁量基准并向社会公开",
            "开展审批案卷评查，对不规范案卷逐一整改",
            "建立审批事项动态调整和公开机制",
        ],
    ),
    (
        "执法规范",
        "行政执法“三项制度”落实不到位，执法全过程记录不完整",
        ["配齐执法记录仪，落实执法全过程音像记录", "开展执法案卷评查，每季度通报评查结果"],
    ),
    (
        "执法规范",
        "执法检查存在“以罚代管”现象，事前事中监管薄弱",
        ["制定年度“双随机、一公开”抽查计划并按月推进", "建立包容审慎监管清单，推行首违不罚"],
    ),
    (
        "财务管理",
        "公务接待、公务用车管理不规范，个别接待无公函、超标准",
        [
            "修订公务接待管理办法，严格执行“一函一单”",
            "开展公务用车使用情况专项检查",
            "公开“三公”经费预决算，接受社会监督",
        ],
    ),
    (
        "财务管理",
        "政府采购程序不规范，存在化整为零规避公开招标现象",
        ["修订政府采购内控制度，明确分散采购限额", "对近三年采购项目开展自查，整改发现问题"],
    ),
    (
        "干部管理",
        "干部交流轮岗不够，个别重点岗位人员任职时间过长",
        [
            "制定重点岗位交流轮岗计划，对满10年人员实行轮岗",
            "建立重点岗位廉政风险防控台账",
            "落实任职回避和公务回避制度",
        ],
    ),
    (
        "干部管理",
        "年轻干部培养使用力度不够，干部队伍结构不优",
        ["制定年轻干部培养计划，选派到基层一线锻炼", "建立优秀年轻干部库并动态调整"],
    ),
    (
        "基层党建",
        "“三会一课”质量不高，组织生活会批评与自我批评辣味不足",
        ["规范“三会一课”记录，支部书记每季度讲党课", "开好专题组织生活会，班子成员以普通党员身份参加"],
    ),
    (
        "基层党建",
        "党员教育管理不严，个别党员长期不参加组织生活",
        ["开展党员组织关系排查，建立党员活动参与台账", "落实每月28日主题党日制度", "稳妥处置不合格党员"],
    ),
    (
        "制度建设",
        "内部管理制度“立改废”不及时，部分制度与实际脱节",
        ["全面梳理内部制度，废止失效制度、修订过时制度", "建立制度执行情况年度评估机制"],
    ),
    (
        "廉政建设",
        "落实全面从严治党主体责任压力传导不够，“一岗双责”落实不到位",
        ["签订党风廉政建设责任书，开展廉政谈话全覆盖", "每季度召开党风廉政建设形势分析会"],
    ),
    (
        "安全监管",
        "安全生产检查存在“走过场”问题，隐患整改闭环管理不够",
        ["建立隐患排查整改台账，实行销号管理", "开展安全生产执法检查“回头看”", "建立重大隐患挂牌督办制度"],
    ),
    (
        "服务群众",
        "信访件办理不及时，答复质量不高，重复信访时有发生",
        ["建立信访件办理跟踪督办制度，按期办结率达到100%", "开展信访积案化解专项行动", "落实领导干部接访下访制度"],
    ),
    (
        "信息化",
        "政务信息系统建设分散，数据共享不够，群众办事需重复提交材料",
        ["推进审批系统与市政务服务平台对接", "梳理数据共享清单，实现证照材料免提交"],
    ),
    (
        "规划建设",
        "建设项目审批与监管衔接不够，批后监管薄弱",
        ["建立建设项目批后监管清单，实行全过程跟踪", "开展在建项目专项检查"],
    ),
    (
        "作风建设",
        "文山会海问题仍然存在，基层负担较重",
        ["精简会议文件，全年发文数量压减15%", "统筹督查检查考核事项，严控数量和频次"],
    ),
]

# The 市委巡察 round's own problems: what a municipal inspection of a bureau finds.
MUNICIPAL_PROBLEMS = [
    (
        "政治建设",
        "党组会议“第一议题”学习流于形式，以读代学，研究贯彻措施不具体",
        [
            "规范“第一议题”学习，每次明确一名班子成员领学并交流",
            "建立学习贯彻情况跟踪问效台账，每季度通报落实情况",
        ],
    ),
    (
        "政治建设",
        "上次巡察反馈的3个问题整改不彻底，存在“纸面整改”现象",
        [
            "对上轮巡察反馈问题开展“回头看”，逐项核查整改成效",
            "对整改不到位的问题重新制定措施，明确责任人和时限",
            "建立整改成效评估机制，防止问题反弹",
        ],
    ),
    (
        "作风建设",
        "“放管服”改革落实不到位，企业开办仍需跑多个窗口",
        [
            "推行企业开办“一窗通办”，压缩至1个工作日内办结",
            "公布涉企审批事项清单，实行清单外无审批",
            "开展营商环境问题线索大排查",
        ],
    ),
    (
        "作风建设",
        "督查检查考核过多过频，基层报表多、留痕多",
        ["清理规范各类报表，取消重复报送事项", "严格执行年度督查检查考核计划，未经批准一律不得开展"],
    ),
    (
        "作风建设",
        "部分干部担当作为不够，遇到矛盾绕着走，“新官不理旧账”",
        [
            "梳理历史遗留问题清单，逐件明确化解责任人",
            "完善容错纠错机制，为担当作为者撑腰鼓劲",
            "将担当作为情况纳入年度考核",
        ],
    ),
    (
        "行政审批",
        "行政许可事项中介服务收费不规范，存在指定中介现象",
        ["全面清理审批中介服务事项，公布保留清单", "严禁指定中介机构，畅通投诉举报渠道"],
    ),
    (
        "行政审批",
        "“互联网+政务服务”应用率不高，网上办理深度不够",
        ["推动高频事项全程网办，网办率提升至80%以上", "完善网上办事指南，实现材料标准化"],
    ),
    (
        "执法规范",
        "行政处罚自由裁量随意性较大，同案不同罚",
        [
            "修订行政处罚裁量基准，细化裁量档次",
            "建立重大执法决定法制审核制度",
            "每半年开展一次执法案卷交叉评查",
        ],
    ),
    (
        "执法规范",
        "执法人员持证上岗管理不严，个别协管人员单独执法",
        ["开展执法证件清理，杜绝无证执法", "规范协管人员管理，明确不得单独执法"],
    ),
    (
        "财务管理",
        "专项资金拨付滞后，部分项目资金沉淀",
        ["建立专项资金拨付台账，按月调度执行进度", "对沉淀资金按规定收回统筹使用"],
    ),
    (
        "财务管理",
        "固定资产管理混乱，账实不符",
        ["开展固定资产全面清查盘点，做到账实相符", "完善资产配置、使用、处置管理制度"],
    ),
    (
        "干部管理",
        "干部选拔任用程序不够规范，个别岗位动议环节记录不全",
        ["规范干部选拔任用全程纪实，动议环节留痕备查", "开展干部档案专项审核"],
    ),
    (
        "干部管理",
        "干部教育培训针对性不强，专业能力培训不足",
        ["制定分层分类培训计划，开展专业能力轮训", "建立干部履职能力评估机制"],
    ),
    (
        "基层党建",
        "支部书记抓党建主业意识不强，党建与业务“两张皮”",
        [
            "开展支部书记述职评议，实行抓党建工作清单管理",
            "推行“党建+业务”融合项目，每个支部至少1个",
        ],
    ),
    (
        "基层党建",
        "发展党员工作不规范，个别程序缺失",
        ["对近五年发展党员档案逐一核查，补齐缺失材料", "开展发展党员业务培训"],
    ),
    (
        "廉政建设",
        "廉政风险防控不到位，重点岗位风险点排查不全面",
        ["重新梳理重点岗位廉政风险点，完善防控措施", "开展廉政风险防控专项检查"],
    ),
    (
        "廉政建设",
        "违规收送礼品礼金问题时有发生，节假日纠“四风”不够严",
        ["节前开展廉政提醒，节后开展专项检查", "畅通举报渠道，发现一起查处一起"],
    ),
    (
        "安全监管",
        "对重点企业安全检查不深入，执法处罚偏轻",
        ["建立重点企业分级分类监管清单，实行差异化检查", "对检查发现的重大隐患依法从严处罚"],
    ),
    (
        "服务群众",
        "12345热线工单办理不及时，群众满意率偏低",
        ["建立热线工单首接负责和限时办结制度", "每月通报工单办理质效，纳入科室考核"],
    ),
    (
        "制度建设",
        "“三重一大”决策制度执行不严，个别事项未经集体研究",
        ["修订“三重一大”决策实施办法，明确事项清单和程序", "对近两年重大事项决策情况开展自查"],
    ),
]

PROGRESS_TEXTS = [
    "召开专题会议研究部署整改工作，明确责任分工和完成时限。",
    "制定整改工作方案，已报领导小组办公室备案。",
    "完成专项排查，梳理问题清单{n}项，已整改{m}项，其余正在推进。",
    "组织业务培训一次，参训干部{n}人，开展案例讨论。",
    "修订完善相关制度初稿，已征求各科室意见。",
    "制度已经党组会议审议通过，正式印发执行。",
    "开展“回头看”检查，未发现新问题。",
    "按月报送整改进展，各项工作按计划推进。",
    "整改任务基本完成，正在整理佐证材料。",
    "对照整改目标逐项自查，建立长效机制。",
]
RETURN_REASONS = [
    "佐证材料不完整，请补充制度印发文件。",
    "整改成效说明不够具体，请补充量化数据。",
]
EXTENSION_REASONS = [
    "涉及系统对接，需市政务服务平台配合，申请延期",
    "需提请局党组会议审议，会议安排在下月，申请延期",
    "涉及跨部门协调，市财政局意见尚未反馈，申请延期",
]
AUDIT_DOC = "市审计局审计意见〔2026〕5号"
EVIDENCE_NAMES = [
    ("整改工作方案.pdf", "pdf"),
    ("专题会议纪要.pdf", "pdf"),
    ("制度印发文件.pdf", "pdf"),
    ("现场检查照片.png", "png"),
    ("培训签到表.pdf", "pdf"),
    ("整改前后对比.png", "png"),
]

# Department -> how many measures it leads. 行政审批科 is the demo staff member's.
DEPARTMENT_SHARE = [
    ("行政审批科", 18),
    ("政策法规科", 10),
    ("办公室", 8),
    ("组织人事科", 8),
    ("计划财务科", 8),
    ("执法监督科", 9),
    ("规划建设科", 8),
    ("安全监管科", 8),
    ("机关党委", 8),
    ("信息中心", 7),
    ("综合执法支队", 8),
]
STATUS_CYCLE = [
    S.IN_PROGRESS,
    S.CLOSED,
    S.IN_PROGRESS,
    S.SUBMITTED,
    S.NOT_STARTED,
    S.IN_PROGRESS,
    S.LEADER_APPROVED,
    S.CLOSED,
    S.IN_PROGRESS,
    S.STAGE_COMPLETE,
    S.IN_PROGRESS,
    S.SUBMITTED,
    S.CLOSED,
    S.IN_PROGRESS,
]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
    return min(moment, timezone.now() - dt.timedelta(minutes=5))


class _Clock:
    """Hands out increasing moments for one measure, so its records sort as they happened."""

    def __init__(self, rng: random.Random):
        self.last = None
        self.rng = rng

    def on(self, day: dt.date) -> dt.datetime:
        moment = _at(day, self.rng.randint(9, 16), self.rng.randint(0, 59))
        if self.last is not None and moment <= self.last:
            moment = self.last + dt.timedelta(minutes=self.rng.randint(3, 40))
        self.last = moment
        return moment


def _save(measure: Measure, user, when: dt.datetime, reason: str = ""):
    measure._history_user = user
    measure._history_date = when
    if reason:
        measure._change_reason = reason
    measure.version += 1
    measure.save()
    for attr in ("_history_date", "_change_reason"):
        if hasattr(measure, attr):
            delattr(measure, attr)


def _step(measure, action, user, when, comment=""):
    """A sign-off step along workflow.TRANSITIONS, dated `when`."""
    to_status = TRANSITIONS[action].target
    step = SignoffStep.objects.create(
        measure=measure, action=action, from_status=measure.status, to_status=to_status, actor=user, comment=comment
    )
    SignoffStep.objects.filter(pk=step.pk).update(created_at=when)
    measure.status = to_status
    if to_status in Measure.DONE_STATUSES:
        measure.completed_on = timezone.localtime(when).date()
    elif to_status == S.IN_PROGRESS:
        measure.completed_on = None
    _save(measure, user, when)


def _progress(measure, day, text, percent, user, when, files=()):
    entry = Progress.objects.create(measure=measure, date=day, text=text, percent=percent, author=user)
    Progress.objects.filter(pk=entry.pk).update(created_at=when)
    for name, kind in files:
        data = (DEMO_FILES / f"evidence.{kind}").read_bytes()
        checked = evidence_files.check(ContentFile(data, name=name))
        item = evidence_files.store(checked, measure=measure, progress=entry, user=user)
        type(item).objects.filter(pk=item.pk).update(uploaded_at=when)
    return entry


def _extension(measure, clock, when_days, status, *, requester, leader, office, rng, today):
    """A deadline extension along extensions.py's steps, dated as if it had happened."""
    asked = today - dt.timedelta(days=when_days)
    reason = EXTENSION_REASONS[measure.pk % len(EXTENSION_REASONS)]
    old = measure.deadline
    new = old + dt.timedelta(days=rng.choice([30, 45, 61]))
    extension = Extension.objects.create(
        measure=measure, status=status, old_deadline=old, new_deadline=new, reason=reason, requested_by=requester
    )
    stamps = {"requested_at": clock.on(asked)}
    if status in (Extension.Status.OFFICE_REVIEW, Extension.Status.APPROVED):
        stamps.update(leader=leader, leader_at=clock.on(asked + dt.timedelta(days=1)), leader_comment="同意延期。")
    if status == Extension.Status.APPROVED:
        decided = asked + dt.timedelta(days=2)
        stamps.update(office=office, office_at=clock.on(decided), decided_on=decided)
        measure.deadline = new
        _save(measure, office, stamps["office_at"], reason=f"延期：{reason}")
    Extension.objects.filter(pk=extension.pk).update(**stamps)


def _queues_for_the_demo_logins(rng, today, office, head, leader_user, staff_cadre, counts) -> None:
    """Work waiting for each demo login: in 行政审批科 (staff, head, leader), one measure
    overdue, one with an extension request at the leader, one at the office, one returned
    by the leader, one reported complete and ready to submit."""
    if staff_cadre is None:
        return
    mine = Measure.objects.filter(lead_department_id=staff_cadre.department_id, deadline__isnull=False)
    candidates = list(
        mine.filter(status=S.IN_PROGRESS, deadline__gte=today + dt.timedelta(days=10), extensions__isnull=True)
        .exclude(term=T.LONG_TERM)
        .order_by("-deadline", "pk")[:4]
    )
    late_one = mine.filter(status__in=[S.IN_PROGRESS, S.NOT_STARTED]).exclude(pk__in=[m.pk for m in candidates])
    late_one = late_one.order_by("status", "pk").first()
    if len(candidates) < 4 or late_one is None:
        return
    clock = _Clock(rng)
    people = {"requester": head, "leader": leader_user, "office": office, "rng": rng, "today": today}
    at_leader, at_office, returned, ready = candidates
    late = today - dt.timedelta(days=6)  # imported with this deadline: it has passed
    Measure.objects.filter(pk=late_one.pk).update(deadline=late)
    Measure.history.filter(id=late_one.pk).update(deadline=late)
    _extension(at_leader, clock, 2, Extension.Status.LEADER_REVIEW, **people)
    _extension(at_office, clock, 3, Extension.Status.OFFICE_REVIEW, **people)
    counts["extensions"] = counts.get("extensions", 0) + 2
    day = today - dt.timedelta(days=5)
    summary = "已按整改方案完成全部整改任务，相关制度已印发执行，佐证材料附后。"
    _progress(returned, day, summary, 100, head, clock.on(day), [("整改完成情况报告.pdf", "pdf")])
    _step(returned, Action.SUBMIT, head, clock.on(day), summary)
    _step(returned, Action.RETURN, leader_user, clock.on(day + dt.timedelta(days=1)), RETURN_REASONS[0])
    text = "整改任务已全部完成，正在整理佐证材料，准备申请销号。"
    _progress(ready, today - dt.timedelta(days=1), text, 100, head, clock.on(today - dt.timedelta(days=1)))


def seed() -> dict:
    if InspectionRound.objects.filter(document_number__in=[PROVINCIAL_DOC, MUNICIPAL_DOC, AUDIT_DOC]).exists():
        return {"measures": Measure.objects.count(), "progress entries": Progress.objects.count()}
    rng = random.Random(326)
    today = current_day()
    office = User.objects.filter(username="office").first() or User.objects.filter(is_superuser=True).first()
    staff_cadre = Cadre.objects.filter(user__username="staff").first()
    departments = {d.name: d for d in Department.objects.select_related("overseen_by__user")}
    people = {}
    heads = {}
    for cadre in Cadre.objects.filter(is_leader=False, active=True).select_related("user").order_by("id"):
        people.setdefault(cadre.department_id, []).append(cadre)
        if cadre.post_level == Cadre.PostLevel.PRINCIPAL and cadre.user_id and cadre.department_id not in heads:
            heads[cadre.department_id] = cadre.user
    head_user = User.objects.filter(username="head").first()
    if head_user is not None and staff_cadre is not None:
        heads[staff_cadre.department_id] = head_user
    main_leader = Cadre.objects.filter(is_leader=True).order_by("post_level", "id").first()

    provincial = InspectionRound.objects.create(
        source=InspectionRound.Source.PROVINCIAL,
        title="省委第三巡视组巡视反馈问题整改",
        feedback_date=today - dt.timedelta(days=182),
        document_number=PROVINCIAL_DOC,
        report_due=today - dt.timedelta(days=182) + dt.timedelta(days=60),
    )
    municipal = InspectionRound.objects.create(
        source=InspectionRound.Source.MUNICIPAL,
        title="市委第二巡察组巡察反馈问题整改",
        feedback_date=today - dt.timedelta(days=128),
        document_number=MUNICIPAL_DOC,
        report_due=today - dt.timedelta(days=128) + dt.timedelta(days=90),
    )

    # A third round whose feedback came in days ago: the office still has to import its list.
    InspectionRound.objects.create(
        source=InspectionRound.Source.AUDIT,
        title="市审计局经济责任审计反馈问题整改",
        feedback_date=today - dt.timedelta(days=4),
        document_number=AUDIT_DOC,
        report_due=today - dt.timedelta(days=4) + dt.timedelta(days=60),
    )

    # 40 problems: each round its own.
    problems = []
    for round_, templates in ((provincial, PROBLEMS), (municipal, MUNICIPAL_PROBLEMS)):
        for number, (category, text, measures) in enumerate(templates, start=1):
            problem = Problem(round=round_, number=number, category=category, description=text)
            problem._history_user = office
            problem._history_date = _at(round_.feedback_date + dt.timedelta(days=2), 10)
            problem.save()
            problems.append((problem, measures))

    # Departments in proportion to their share; the demo staff member's keeps all of its own.
    measure_specs = [(p, i + 1, text) for p, texts in problems for i, text in enumerate(texts)]
    own_name = staff_cadre.department.name if staff_cadre is not None else ""
    own = [name for name, count in DEPARTMENT_SHARE if name == own_name for _ in range(count)]
    others = [name for name, count in DEPARTMENT_SHARE if name != own_name for _ in range(count)]
    rng.shuffle(others)
    slots = own + others[: max(0, len(measure_specs) - len(own))]
    rng.shuffle(slots)
    measure_specs = measure_specs[: len(slots)]

    counts = {"measures": 0, "progress entries": 0, "evidence files": 0}
    evidence_budget = 16
    for index, (problem, number, text) in enumerate(measure_specs):
        dept = departments.get(slots[index]) or next(iter(departments.values()))
        status = STATUS_CYCLE[index % len(STATUS_CYCLE)]
        term = [T.DEADLINE, T.DEADLINE, T.IMMEDIATE, T.LONG_TERM, T.DEADLINE][index % 5]
        if status == S.STAGE_COMPLETE:
            term = T.LONG_TERM
        if term == T.LONG_TERM and status == S.CLOSED:
            status = S.STAGE_COMPLETE
        leader = dept.overseen_by or main_leader
        if staff_cadre is not None and dept.pk == staff_cadre.department_id:
            person = staff_cadre
        else:
            candidates = [c for c in people.get(dept.pk, []) if c.post_level != Cadre.PostLevel.PRINCIPAL]
            person = rng.choice(candidates) if candidates else None
        if status == S.NOT_STARTED and index % 3 != 1:
            person = None  # imported, not yet given to anyone: the head's queue
        person_user = person.user if person and person.user_id else heads.get(dept.pk, office)
        head = heads.get(dept.pk, office)
        leader_user = leader.user if leader and leader.user_id else office

        created_day = problem.round.feedback_date + dt.timedelta(days=rng.randint(3, 10))
        clock = _Clock(rng)
        deadline = None
        if term != T.LONG_TERM:
            if status in (S.CLOSED,):
                deadline = today - dt.timedelta(days=rng.randint(-40, 60))
            else:
                roll = index % 7
                deadline = today + dt.timedelta(
                    days=[
                        -rng.randint(5, 40),
                        rng.randint(1, 3),
                        rng.randint(5, 9),
                        rng.randint(12, 19),
                        rng.randint(30, 90),
                        rng.randint(45, 150),
                        rng.randint(25, 60),
                    ][roll]
                )
        measure = Measure(
            problem=problem,
            number=number,
            goal="问题得到有效整改，建立健全长效机制，防止反弹回潮。",
            description=text,
            responsible_leader=leader or main_leader,
            lead_department=dept,
            responsible_person=person,
            term=term,
            deadline=deadline,
            status=S.NOT_STARTED,
            note="",
        )
        measure.version = 0
        created_at = clock.on(created_day)
        _save(measure, office, created_at)
        Measure.objects.filter(pk=measure.pk).update(created_at=created_at)
        if index % 4 == 1:
            partners = [d for d in departments.values() if d.kind != Department.Kind.LEADERSHIP and d.pk != dept.pk]
            measure._history_user = office
            measure._history_date = created_at
            measure.partner_departments.set(rng.sample(partners, 1 + index % 2))
            del measure._history_date
        counts["measures"] += 1
        if status == S.NOT_STARTED:
            continue

        # Started some days after it was assigned; progress until now or until done.
        start_day = min(created_day + dt.timedelta(days=rng.randint(4, 15)), today - dt.timedelta(days=20))
        _step(measure, Action.START, person_user, clock.on(start_day))
        finished = status in (S.SUBMITTED, S.LEADER_APPROVED, S.CLOSED, S.STAGE_COMPLETE)
        if status in (S.CLOSED, S.STAGE_COMPLETE):
            submit_day = today - dt.timedelta(days=rng.randint(12, 70))
        elif status == S.LEADER_APPROVED:
            submit_day = today - dt.timedelta(days=rng.randint(6, 12))
        elif status == S.SUBMITTED:
            submit_day = today - dt.timedelta(days=rng.randint(1, 5))
        else:
            submit_day = today
        submit_day = max(submit_day, start_day + dt.timedelta(days=8))
        n_entries = rng.randint(2, 4) + (1 if finished else 0)
        span = max(1, (submit_day - start_day).days)
        days = sorted(start_day + dt.timedelta(days=rng.randint(0, span)) for _ in range(n_entries))
        for k, day in enumerate(days):
            day = min(day, today)
            files = []
            if evidence_budget > 0 and k == len(days) - 1 and index % 3 == 0:
                files = [EVIDENCE_NAMES[index % len(EVIDENCE_NAMES)]]
                evidence_budget -= 1
            percent = min(95, 20 + 25 * k) if rng.random() < 0.7 else None
            _progress(
                measure,
                day,
                rng.choice(PROGRESS_TEXTS).format(n=rng.randint(3, 20), m=rng.randint(1, 3)),
                percent,
                person_user,
                clock.on(day),
                files,
            )
            counts["progress entries"] += 1
            counts["evidence files"] += len(files)

        def submit(day, measure=measure, head=head, clock=clock):
            summary = "已按整改方案完成全部整改任务，相关制度已印发执行，佐证材料附后。"
            _progress(measure, day, summary, 100, head, clock.on(day), [("整改完成情况报告.pdf", "pdf")])
            counts["progress entries"] += 1
            counts["evidence files"] += 1
            _step(measure, Action.SUBMIT, head, clock.on(day), summary)

        if status == S.IN_PROGRESS and deadline and index % 6 == 0:
            # An extension approved by the leader and confirmed by the office, in the history.
            people = {"requester": head, "leader": leader_user, "office": office, "rng": rng, "today": today}
            _extension(measure, clock, rng.randint(8, 20), Extension.Status.APPROVED, **people)
            counts["extensions"] = counts.get("extensions", 0) + 1
        if not finished:
            continue

        if index % 5 == 3:
            # Returned once by the leader, then resubmitted.
            first = submit_day - dt.timedelta(days=7)
            submit(first)
            _step(
                measure,
                Action.RETURN,
                leader_user,
                clock.on(first + dt.timedelta(days=2)),
                RETURN_REASONS[index % 2],
            )
        submit(submit_day)
        if status == S.SUBMITTED:
            continue
        approve_day = min(today, submit_day + dt.timedelta(days=rng.randint(1, 4)))
        _step(measure, Action.LEADER_APPROVE, leader_user, clock.on(approve_day), "同意销号。")
        if status == S.LEADER_APPROVED:
            continue
        confirm_day = min(today, approve_day + dt.timedelta(days=rng.randint(1, 5)))
        if status == S.STAGE_COMPLETE:
            _step(
                measure,
                Action.STAGE_COMPLETE,
                office,
                clock.on(confirm_day),
                "阶段性整改完成，转入常态化推进，继续按季度报送进展。",
            )
            later = min(today, confirm_day + dt.timedelta(days=20))
            if later > confirm_day:
                _progress(measure, later, "持续推进，本季度按计划开展相关工作。", None, person_user, clock.on(later))
                counts["progress entries"] += 1
        else:
            _step(measure, Action.OFFICE_CONFIRM, office, clock.on(confirm_day), "经审核，同意销号。")
    lead_user = (
        staff_cadre.department.overseen_by.user if staff_cadre and staff_cadre.department.overseen_by else office
    )
    head_user = heads.get(staff_cadre.department_id, office) if staff_cadre else office
    _queues_for_the_demo_logins(rng, today, office, head_user, lead_user, staff_cadre, counts)
    return counts
