"""The demo bureau: departments, leaders, about 80 cadres, posts and risks, one login per role.

Idempotent: every object is looked up by its natural key before it is created.
"""

import datetime as dt
import random

from django.conf import settings
from django.contrib.auth.models import Group, User

from . import roles
from .models import Cadre, Department, Post, PostRisk

DEPARTMENTS = [
    # name, kind, order, size, key posts
    ("局领导班子", Department.Kind.LEADERSHIP, 0, 0, []),
    ("办公室", Department.Kind.SECTION, 10, 9, ["机要文书岗"]),
    ("组织人事科", Department.Kind.SECTION, 20, 7, ["干部人事岗"]),
    ("计划财务科", Department.Kind.SECTION, 30, 7, ["资金管理岗", "政府采购岗"]),
    ("政策法规科", Department.Kind.SECTION, 40, 6, ["法制审核岗"]),
    ("行政审批科", Department.Kind.SECTION, 50, 9, ["项目审批岗"]),
    ("执法监督科", Department.Kind.SECTION, 60, 8, ["执纪执法岗"]),
    ("规划建设科", Department.Kind.SECTION, 70, 7, ["项目审批岗"]),
    ("安全监管科", Department.Kind.SECTION, 80, 7, ["执纪执法岗"]),
    ("机关党委", Department.Kind.SECTION, 90, 4, []),
    ("信息中心", Department.Kind.UNIT, 100, 6, []),
    ("综合执法支队", Department.Kind.UNIT, 110, 6, ["执纪执法岗"]),
]

# name, rank, oversees
LEADERS = [
    ("王建国", "党组书记、局长", ["办公室", "组织人事科", "计划财务科"]),
    ("李红梅", "党组成员、副局长", ["政策法规科", "行政审批科"]),
    ("张志强", "党组成员、副局长", ["执法监督科", "综合执法支队"]),
    ("赵立新", "党组成员、副局长", ["规划建设科", "安全监管科"]),
    ("刘文静", "党组成员、机关党委书记", ["机关党委", "信息中心"]),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "洋",
    "勇",
    "艳",
    "杰",
    "军",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
    "桂英",
    "晓东",
    "海燕",
    "建华",
    "志刚",
    "丽娟",
    "文博",
    "雪梅",
    "国庆",
    "春生",
    "晓峰",
    "宏伟",
    "玉兰",
    "思远",
    "佳怡",
    "子涵",
    "浩然",
    "雨婷",
    "俊杰",
    "欣怡",
    "明轩",
    "晨曦",
    "一鸣",
    "振华",
    "秀英",
    "立群",
    "红霞",
    "建军",
    "丹丹",
]
EDUCATION = ["大学本科", "大学本科", "大学本科", "硕士研究生", "大专"]

# username, role groups, department, rank, post level
DEMO_USERS = [
    ("office", [roles.OFFICE], "办公室", "办公室副主任", Cadre.PostLevel.DEPUTY),
    ("leader", [roles.LEADER], None, None, None),  # linked to the leader 李红梅
    ("head", [roles.HEAD], "行政审批科", "科长", Cadre.PostLevel.PRINCIPAL),
    ("staff", [roles.STAFF], "行政审批科", "一级科员", Cadre.PostLevel.MEMBER),
    ("secretary", [roles.SECRETARY, roles.STAFF], "政策法规科", "副科长", Cadre.PostLevel.DEPUTY),
    ("hr", [roles.HR, roles.STAFF], "组织人事科", "科长", Cadre.PostLevel.PRINCIPAL),
    ("admin", [roles.ADMIN], "信息中心", "主任", Cadre.PostLevel.PRINCIPAL),
]
DEMO_NAMES = {
    "office": "陈晓东",
    "head": "周志刚",
    "staff": "孙丽娟",
    "secretary": "马文博",
    "hr": "郭雪梅",
    "admin": "何思远",
}

RISKS = {
    "干部人事岗": ("干部选拔", "违规选拔任用干部", "降低标准、拉票贿选"),
    "资金管理岗": ("资金管理", "违规拨付、挪用资金", "虚列支出、公款私存"),
    "政府采购岗": ("政府采购", "规避招标、指定供应商", "化整为零、围标串标"),
    "项目审批岗": ("行政审批", "违规审批、吃拿卡要", "超时限审批、选择性执法"),
    "执纪执法岗": ("行政执法", "选择性执法、以罚代管", "人情案、关系案"),
    "法制审核岗": ("法制审核", "审核把关不严", "违法决策未被纠正"),
    "机要文书岗": ("保密管理", "泄露工作秘密", "文件传阅不规范"),
}


def _groups() -> dict[str, Group]:
    return {name: Group.objects.get_or_create(name=name)[0] for name in roles.ALL_ROLES}


def _birth(rng: random.Random, age_low: int, age_high: int) -> dt.date:
    year = 2026 - rng.randint(age_low, age_high)
    return dt.date(year, rng.randint(1, 12), rng.randint(1, 28))


def _person(rng, name, department, *, rank, level, post=None, leader=False, middle=False):
    cadre, created = Cadre.objects.get_or_create(
        name=name,
        department=department,
        defaults={
            "gender": rng.choice("MF"),
            "birth_date": _birth(rng, 45, 56) if leader else _birth(rng, 24, 58),
            "political_status": rng.choice(
                [Cadre.Political.MEMBER] * 4 + [Cadre.Political.MASSES, Cadre.Political.PROBATIONARY]
            ),
            "education": rng.choice(EDUCATION),
            "post": post,
            "rank": rank,
            "post_level": level,
            "is_leader": leader,
            "is_middle_level": middle,
            "in_post_since": dt.date(rng.randint(2014, 2025), rng.randint(1, 12), 1),
            "joined_bureau_on": dt.date(rng.randint(1995, 2024), rng.randint(1, 12), 1),
        },
    )
    if leader:
        cadre.political_status = Cadre.Political.MEMBER
        cadre.save(update_fields=["political_status"])
    return cadre


def _account(cadre: Cadre, username: str, groups: list[Group], password: str | None) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"email": f"{username}@bureau.local"})
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.first_name = cadre.name
        user.save()
    user.groups.add(*groups)
    if cadre.user_id != user.pk:
        cadre.user = user
        cadre.save(update_fields=["user"])
    return user


def _unique_names(rng: random.Random, taken: set[str]):
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in taken:
            taken.add(name)
            yield name


def seed() -> dict:
    rng = random.Random(2026)
    groups = _groups()
    password = settings.DEMO_PASSWORD
    departments = {}
    for name, kind, order, _size, key_posts in DEPARTMENTS:
        dept, _ = Department.objects.get_or_create(name=name, defaults={"kind": kind, "order": order})
        departments[name] = dept
        for index, title in enumerate(["负责人岗", "综合业务岗", *key_posts]):
            post, _ = Post.objects.get_or_create(
                department=dept, title=title, defaults={"is_key": title in key_posts, "order": index}
            )
            if title in RISKS and not post.risks.exists():
                category, point, form = RISKS[title]
                PostRisk.objects.create(
                    post=post,
                    category=category,
                    point=point,
                    manifestation=form,
                    level=PostRisk.Level.HIGH,
                    controls="建立台账、定期轮岗、双人审核",
                )

    leadership = departments["局领导班子"]
    leaders = {}
    for index, (name, rank, oversees) in enumerate(LEADERS):
        cadre = _person(
            rng,
            name,
            leadership,
            rank=rank,
            level=Cadre.PostLevel.PRINCIPAL if index == 0 else Cadre.PostLevel.DEPUTY,
            leader=True,
        )
        leaders[name] = cadre
        username = "leader" if name == "李红梅" else f"leader{index + 1}"
        _account(cadre, username, [groups[roles.LEADER]], password)
        for dept_name in oversees:
            Department.objects.filter(pk=departments[dept_name].pk).update(overseen_by=cadre)

    taken = set(Cadre.objects.values_list("name", flat=True)) | set(DEMO_NAMES.values())
    names = _unique_names(rng, taken)
    for username, role_names, dept_name, rank, level in DEMO_USERS:
        if username == "leader":
            continue
        cadre = _person(
            rng,
            DEMO_NAMES[username],
            departments[dept_name],
            rank=rank,
            level=level,
            middle=level != Cadre.PostLevel.MEMBER,
        )
        _account(cadre, username, [groups[r] for r in role_names], password)
        if username == "admin":
            User.objects.filter(username="admin").update(is_staff=True, is_superuser=True)

    # Fill each department up to its size: a principal, a deputy, then staff.
    for name, _kind, _order, size, _key in DEPARTMENTS[1:]:
        dept = departments[name]
        have = dept.cadres.count()
        posts = list(dept.posts.all())
        for index in range(have, size):
            if not dept.cadres.filter(post_level=Cadre.PostLevel.PRINCIPAL).exists():
                level, rank = Cadre.PostLevel.PRINCIPAL, "主任" if dept.kind == Department.Kind.UNIT else "科长"
            elif not dept.cadres.filter(post_level=Cadre.PostLevel.DEPUTY).exists():
                level, rank = Cadre.PostLevel.DEPUTY, "副主任" if dept.kind == Department.Kind.UNIT else "副科长"
            else:
                level, rank = Cadre.PostLevel.MEMBER, rng.choice(["一级科员", "二级主任科员", "四级主任科员", "科员"])
            cadre = _person(
                rng,
                next(names),
                dept,
                rank=rank,
                level=level,
                post=posts[index % len(posts)],
                middle=level != Cadre.PostLevel.MEMBER,
            )
            groups_for = [groups[roles.HEAD]] if level == Cadre.PostLevel.PRINCIPAL else [groups[roles.STAFF]]
            _account(cadre, f"c{cadre.pk:03d}", groups_for, None)
    return {"departments": len(departments), "cadres": Cadre.objects.count(), "users": User.objects.count()}
