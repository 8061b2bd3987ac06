"""The demo campaign: 2026年“能力作风建设年”活动, its three phases and its leadership group,
built from the demo bureau of cadres.demo. Idempotent: looked up by natural keys."""

import datetime as dt

from cadres.models import Cadre, Department

from .models import Campaign, GroupMember, Phase

NAME = "2026年“能力作风建设年”活动"
YEAR = 2026
PHASES = [
    (
        Phase.Kind.MOBILISE,
        dt.date(2026, 1, 5),
        dt.date(2026, 2, 28),
        "召开动员部署会，印发实施方案，组织学习研讨，查摆问题形成“三张清单”。",
    ),
    (
        Phase.Kind.RECTIFY,
        dt.date(2026, 3, 1),
        dt.date(2026, 10, 31),
        "对照问题清单逐项整改，建立整改台账，实行销号管理，开展“四不四再”作风整治。",
    ),
    (
        Phase.Kind.SUMMARISE,
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 31),
        "总结评估整改成效，建立健全长效机制，形成活动总结报告。",
    ),
]
OFFICE_DUTIES = (
    "领导小组办公室设在局办公室，负责活动的组织协调、督促检查和日常工作：制定实施方案和工作计划，"
    "汇总问题清单、任务清单、责任清单，建立整改台账，审核销号申请，编报月度整改进展情况。"
)
MAIN_LEADER = "王建国"
LIAISON = "陈晓东"  # the demo login `office`, 办公室副主任


def seed() -> dict:
    campaign, _ = Campaign.objects.get_or_create(
        year=YEAR,
        defaults={"name": NAME, "start": PHASES[0][1], "end": PHASES[-1][2]},
    )
    office = Department.objects.filter(name="办公室").first()
    if campaign.office_department_id is None and office is not None:
        campaign.office_department = office
        campaign.office_duties = campaign.office_duties or OFFICE_DUTIES
        campaign.office_contact = campaign.office_contact or "局办公室 302室 · 0000-12345678"
        campaign.save()
    for kind, start, end, tasks in PHASES:
        Phase.objects.get_or_create(campaign=campaign, kind=kind, defaults={"start": start, "end": end, "tasks": tasks})

    if campaign.members.exists():
        return {"campaign": campaign.name, "group members": campaign.members.count()}

    def add(cadre, role, duty):
        if cadre is not None:
            GroupMember.objects.get_or_create(campaign=campaign, cadre=cadre, defaults={"role": role, "duty": duty})

    leaders = Cadre.objects.filter(is_leader=True, active=True).prefetch_related("overseen_departments")
    main = leaders.filter(name=MAIN_LEADER).first()
    add(main, GroupMember.Role.LEADER, "对活动负总责，主持领导小组全面工作")
    for leader in leaders.exclude(pk=getattr(main, "pk", None)).order_by("post_level", "id"):
        depts = "、".join(d.name for d in leader.overseen_departments.order_by("order"))
        add(
            leader,
            GroupMember.Role.DEPUTY,
            f"按照“一岗双责”抓好分管科室（单位）活动开展：{depts}" if depts else "协助组长工作",
        )

    office_head = None
    if office is not None:
        office_head = office.cadres.filter(post_level=Cadre.PostLevel.PRINCIPAL, active=True).order_by("id").first()
    heads = (
        Cadre.objects.filter(post_level=Cadre.PostLevel.PRINCIPAL, is_leader=False, active=True)
        .exclude(department__kind=Department.Kind.LEADERSHIP)
        .select_related("department")
        .order_by("department__order", "id")
    )
    seen_departments = set()
    for head in heads:
        if head.department_id in seen_departments or (office_head and head.pk == office_head.pk):
            continue
        seen_departments.add(head.department_id)
        add(head, GroupMember.Role.MEMBER, f"负责{head.department.name}活动的具体实施和问题整改")
    add(office_head, GroupMember.Role.OFFICE_DIRECTOR, "兼任领导小组办公室主任，负责办公室日常工作")
    liaison = Cadre.objects.filter(name=LIAISON, active=True).first()
    add(liaison, GroupMember.Role.LIAISON, "负责日常联络、台账汇总和督办提醒")
    return {"campaign": campaign.name, "group members": campaign.members.count()}
