"""The demo bureau's party building (idempotent): three branches and the theory-study
centre group, their committees, groups and members; twelve months of meetings up to
last month with realistic topics and attendance, this month's plans, a few missing
obligations, one 党员大会 short of quorum (no vote taken), leave and make-up study, and
one member absent for six months.

Members are the cadres whose political status is 中共党员 or 中共预备党员; the named
secretaries and commissioners are members whatever their cadre record says (they hold
the office: a wrong political status there is the cadre record's to fix).
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from cadres.models import Cadre, Department
from core import calendar, dates

from . import obligations, selectors
from .models import Attendance, Branch, Meeting, Membership, PartyGroup
from .services import attendance_row

R = Membership.CommitteeRole
K = Meeting.Kind
A = Attendance.Status

BRANCHES = [
    # name, departments, secretary, commissioner
    ("机关第一党支部", ["办公室", "组织人事科", "计划财务科", "机关党委"], "郭雪梅", None),
    ("机关第二党支部", ["政策法规科", "行政审批科", "规划建设科"], "马文博", "周志刚"),
    ("机关第三党支部", ["执法监督科", "安全监管科", "信息中心", "综合执法支队"], None, None),
]
CENTRE_GROUP = ("局党组理论学习中心组", "王建国", "陈晓东")
# The branch that misses obligations, and whose general meeting lacks a quorum once.
WEAK_BRANCH = "机关第三党支部"

TOPICS = {
    K.COMMITTEE: [
        "研究本月党建工作安排",
        "研究发展党员和预备党员转正事宜",
        "研究“能力作风建设年”活动推进情况",
        "研究党费收缴使用情况",
        "研究支部主题党日活动方案",
        "研究组织生活会准备工作",
    ],
    K.GENERAL: [
        "传达学习上级会议精神，通报支部工作",
        "讨论预备党员转正",
        "通报“四不四再”作风整治进展",
        "选举出席机关党代会代表",
    ],
    K.GROUP: ["学习《中国共产党纪律处分条例》", "交流岗位履职体会", "学习党的创新理论", "开展谈心谈话"],
    K.LESSON: ["以优良作风推动高质量发展", "锤炼过硬作风，争做忠诚干净担当的机关干部", "学习贯彻党章，增强党性修养"],
    K.ACTIVITY_DAY: [
        "重温入党誓词",
        "走进社区开展志愿服务",
        "参观廉政教育基地",
        "“能力作风建设年”专题学习",
        "学习身边先进典型",
        "开展“我为群众办实事”活动",
    ],
    K.CENTRE_STUDY: [
        "学习习近平新时代中国特色社会主义思想专题",
        "学习党的二十届四中全会精神",
        "学习全面从严治党有关论述",
        "学习《党政机关厉行节约反对浪费条例》",
    ],
    K.LIFE_MEETING: ["2025年度组织生活会"],
    K.APPRAISAL: ["2025年度民主评议党员"],
}
LEAVE_REASONS = ["出差", "病假", "参加市里培训", "陪同检查", "事假"]
REFLECTIONS = [
    "认真学习了会议内容，对照岗位职责查找了差距，今后在工作中加强作风建设。",
    "通过补学，进一步理解了会议精神，将落实到本科室日常工作中。",
    "学习了会议材料和记录，深受教育，要增强纪律意识，提升服务质量。",
]


def seed() -> dict:
    rng = random.Random(2026)
    branches = [_branch(rng, order, *row) for order, row in enumerate(BRANCHES, start=1)]
    branches.append(_centre_group())
    if not Meeting.objects.exists():
        today = dates.today()
        months = [dates.month_start(today)]
        for _i in range(12):
            months.insert(0, dates.previous_month(months[0])[0])
        for branch in branches:
            _meetings(rng, branch, months[:-1], today)
            _plans(branch, months[-1], today)
    return {
        "branches": Branch.objects.count(),
        "memberships": Membership.objects.count(),
        "meetings": Meeting.objects.count(),
        "attendance": Attendance.objects.count(),
    }


def _cadre(name):
    return Cadre.objects.filter(name=name).first() if name else None


def _party(qs):
    return qs.filter(active=True, political_status__in=[Cadre.Political.MEMBER, Cadre.Political.PROBATIONARY])


def _branch(rng, order, name, departments, secretary, commissioner) -> Branch:
    branch, created = Branch.objects.get_or_create(name=name, defaults={"order": order})
    if not created and branch.memberships.exists():
        return branch
    covered = list(Department.objects.filter(name__in=departments).order_by("order"))
    branch.departments.set(covered)
    people = list(
        _party(Cadre.objects.filter(department__in=covered)).order_by("department__order", "post_level", "id")
    )
    named = [c for c in (_cadre(secretary), _cadre(commissioner)) if c]
    people += [c for c in named if c not in people]
    principals = [c for c in people if c.post_level == Cadre.PostLevel.PRINCIPAL and c not in named]
    branch.secretary = _cadre(secretary) or principals.pop(0)
    branch.commissioner = _cadre(commissioner) or next(c for c in people if c != branch.secretary)
    branch.save()
    roles = {branch.secretary.pk: R.SECRETARY, branch.commissioner.pk: R.COMMISSIONER}
    for cadre, role in zip(
        [c for c in principals if c.pk not in roles], [R.DEPUTY_SECRETARY, R.PROPAGANDA, R.DISCIPLINE], strict=False
    ):
        roles[cadre.pk] = role
    half = (len(covered) + 1) // 2
    groups = [
        PartyGroup.objects.create(branch=branch, name=label, order=i)
        for i, label in enumerate(["第一党小组", "第二党小组"], start=1)
    ]
    for cadre in people:
        in_first = cadre.department in covered[:half]
        group = groups[0] if in_first else groups[1]
        probationary = cadre.political_status == Cadre.Political.PROBATIONARY
        joined = dt.date(rng.randint(1995, 2023), rng.randint(1, 12), rng.randint(1, 28))
        if probationary:
            joined = dt.date(2025, rng.randint(7, 12), 1)
        Membership.objects.create(
            cadre=cadre,
            branch=branch,
            group=group,
            status=Membership.Status.PROBATIONARY if probationary else Membership.Status.FORMAL,
            joined_party_on=joined,
            full_member_on=None if probationary else joined.replace(year=joined.year + 1),
            committee_role=roles.get(cadre.pk, ""),
        )
        if group.leader_id is None and cadre.pk not in roles:
            group.leader = cadre
            group.save(update_fields=["leader"])
    if name == WEAK_BRANCH:
        away = branch.memberships.filter(committee_role="", status=Membership.Status.FORMAL).order_by("id").last()
        away.not_counted = Membership.NotCounted.AWAY
        away.not_counted_note = "在省委党校脱产学习"
        away.not_counted_from = dt.date(dates.today().year, 3, 1)
        away.save()
    return branch


def _centre_group() -> Branch:
    name, leader, study_secretary = CENTRE_GROUP
    group, created = Branch.objects.get_or_create(name=name, defaults={"kind": Branch.Kind.CENTRE_GROUP, "order": 0})
    if not created and group.memberships.exists():
        return group
    group.secretary, group.commissioner = _cadre(leader), _cadre(study_secretary)
    group.save()
    group.departments.set(Department.objects.filter(kind=Department.Kind.LEADERSHIP))
    members = list(Cadre.objects.filter(is_leader=True, active=True).order_by("post_level", "id"))
    roles = {group.secretary.pk: R.GROUP_LEADER, group.commissioner.pk: R.STUDY_SECRETARY}
    for cadre in [*members, group.commissioner]:
        Membership.objects.get_or_create(
            cadre=cadre,
            branch=group,
            defaults={"committee_role": roles.get(cadre.pk, "")},
        )
    return group


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _workday(month: dt.date, day: int) -> dt.date:
    return calendar.next_workday(month.replace(day=day))


def _schedule(branch: Branch, months: list[dt.date]):
    """(kind, group, day, hour) of every meeting the branch held; WEAK_BRANCH skips a few."""
    weak = branch.name == WEAK_BRANCH
    if branch.is_centre_group:
        return [(K.CENTRE_STUDY, None, _workday(m, 15), 9) for m in months]
    plan = []
    groups = list(branch.groups.all())
    for i, month in enumerate(months):
        if not (weak and i in (4, 8)):
            plan.append((K.COMMITTEE, None, _workday(month, 8), 16))
        if not (weak and i == len(months) - 2):
            day = obligations.activity_day(month.year, month.month).day
            plan.append((K.ACTIVITY_DAY, None, day, 15))
        for g, group in enumerate(groups):
            if not (branch.order == 1 and g == 1 and i == 6):
                plan.append((K.GROUP, group, _workday(month, 18), 16))
        if month.month in (2, 5, 8, 11):
            plan.append((K.GENERAL, None, _workday(month, 20), 15))
        if month.month in (3, 6, 9, 12) and not (weak and month.month == 9):
            plan.append((K.LESSON, None, _workday(month, 25), 15))
        if month.month == 1 and not weak:
            plan.append((K.LIFE_MEETING, None, _workday(month, 22), 9))
            plan.append((K.APPRAISAL, None, _workday(month, 23), 9))
    return plan


def _meetings(rng, branch: Branch, months: list[dt.date], today: dt.date):
    away_for_long = _long_absentee(branch, list(branch.memberships.all()))
    quorum_shown = False
    for kind, group, day, hour in _schedule(branch, months):
        lecturer = None
        if kind == K.LESSON:
            lecturer = branch.secretary if (day.month in (6,) and branch.name != WEAK_BRANCH) else branch.commissioner
        meeting = Meeting.objects.create(
            branch=branch,
            kind=kind,
            group=group,
            topic=rng.choice(TOPICS[kind]),
            planned_at=_at(day, hour),
            held_on=day,
            place="机关三楼会议室"
            if kind != K.ACTIVITY_DAY
            else rng.choice(["机关三楼会议室", "城东社区党群服务中心", "市廉政教育基地"]),
            host=branch.secretary,
            recorder=branch.commissioner,
            lecturer=lecturer,
            content=_content(kind),
            decisions="1. 按会议部署抓好落实；2. 各党小组于月底前报送学习情况。"
            if kind in (K.COMMITTEE, K.GENERAL)
            else "",
        )
        invited = selectors.invited_memberships(branch, kind, group.pk if group else None)
        short = kind == K.GENERAL and branch.name == WEAK_BRANCH and not quorum_shown and day.month in (5, 8)
        quorum_shown = quorum_shown or short
        rows = [
            _attendance(rng, meeting, m, today, absent=(m.pk == away_for_long and _recent(day, today)), short=short)
            for m in invited
        ]
        Attendance.objects.bulk_create(rows)
        if kind in (K.GENERAL, K.COMMITTEE) and not short and rng.random() < 0.5:
            present = sum(1 for r in rows if r.status == A.PRESENT and r.has_vote)
            Meeting.objects.filter(pk=meeting.pk).update(
                vote_subject="通过会议决议事项", votes_for=present, votes_against=0, votes_abstain=0
            )


def _long_absentee(branch: Branch, members: list[Membership]) -> int | None:
    """The member who has stayed away from everything for the last seven months (党章 Art. 9)."""
    if branch.name != WEAK_BRANCH:
        return None
    plain = [m for m in members if not m.committee_role and not m.not_counted and m.status == Membership.Status.FORMAL]
    return plain[0].pk if plain else None


def _recent(day: dt.date, today: dt.date) -> bool:
    return (today - day).days < 215


def _attendance(rng, meeting, membership, today, *, absent: bool, short: bool) -> Attendance:
    day = meeting.held_on
    row = attendance_row(meeting, membership)
    row.status = A.PRESENT
    roll = rng.random()
    if absent:
        row.status, row.reason = A.ABSENT, "未说明原因"
    elif not row.counted:
        row.status, row.reason = A.LEAVE, membership.not_counted_note or membership.get_not_counted_display()
    elif short and membership.committee_role not in (R.SECRETARY, R.COMMISSIONER) and roll < 0.6:
        row.status, row.reason = A.LEAVE, "参加市里集中执法行动"
    elif roll < 0.08:
        row.status, row.reason = A.LEAVE, rng.choice(LEAVE_REASONS)
    elif roll < 0.1:
        row.status, row.reason = A.ABSENT, "临时值班"
    if row.status in (A.LEAVE, A.ABSENT) and row.counted and not absent and (today - day).days > 20:
        row.makeup_on = min(today, day + dt.timedelta(days=rng.randint(2, 10)))
        row.makeup_note = rng.choice(REFLECTIONS)
    if row.status == A.PRESENT:
        row.signed_in_how = Attendance.SignIn.QR
        row.signed_in_at = meeting.planned_at - dt.timedelta(minutes=rng.randint(1, 15))
    return row


def _content(kind: str) -> str:
    return {
        K.COMMITTEE: "书记通报上月工作情况，各支委汇报分管工作，研究本月重点任务。",
        K.GENERAL: "传达上级有关会议精神，通报支部工作和“能力作风建设年”活动进展，党员围绕议题发言讨论。",
        K.GROUP: "组长领学有关文件，党员结合岗位逐一交流学习体会。",
        K.LESSON: "授课人围绕主题讲授专题党课，党员听课并交流。",
        K.ACTIVITY_DAY: "按照主题党日活动方案开展集中学习和实践活动，党员交流体会。",
        K.CENTRE_STUDY: "组长主持集中学习，中心组成员围绕专题交流研讨发言。",
        K.LIFE_MEETING: "通报上年度组织生活会整改情况，开展批评与自我批评。",
        K.APPRAISAL: "党员个人总结、相互评议，支部综合评定等次。",
    }[kind]


def _plans(branch: Branch, month: dt.date, today: dt.date):
    """This month's plans: the activity day and a committee meeting, not held yet."""
    if branch.is_centre_group:
        return
    day = obligations.activity_day(month.year, month.month).day
    if day < today:
        return
    for kind, when, topic in (
        (K.ACTIVITY_DAY, _at(day, 15), "学习“能力作风建设年”先进典型事迹"),
        (K.COMMITTEE, _at(max(today, _workday(month, 10)), 16), "研究年度组织生活会和民主评议党员工作"),
    ):
        meeting = Meeting.objects.create(
            branch=branch,
            kind=kind,
            topic=topic,
            planned_at=when,
            place="机关三楼会议室",
            host=branch.secretary,
            recorder=branch.commissioner,
        )
        invited = selectors.invited_memberships(branch, kind, None)
        Attendance.objects.bulk_create([attendance_row(meeting, m) for m in invited])
