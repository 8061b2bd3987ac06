"""The demo bureau: departments, leaders, about 80 cadres with believable work histories,
posts and their integrity risks, one login per role, and the cadre work of the year
(relatives, a deferral, front-line placements, the annual risk review, a draft rotation
plan that the checks catch). Talks follow in cadres.demo_talks, once the branches exist.

Dates are relative to the day of seeding, so the demo tells the same story whenever it is
built: 潘明轩 has held his key post for 11.9 years (must rotate, 长期不交流), some middle-level
cadres are due, 田浩然 moved twice within a year (交流过于频繁), the draft plan moves the
head and the deputy of 规划建设科 together and puts 黄振华 in his wife's department.

Idempotent: every object is looked up by its natural key before it is created, and the
demo's own people are brought in line with their names and roles on every run (gender,
Party membership of leaders, heads, deputies and branch officers).
"""

import datetime as dt
import random

from django.conf import settings
from django.contrib.auth.models import Group, User

from core import dates

from . import roles, services
from .models import Cadre, Department, Placement, Post, PostHolding, PostRisk, Relation, RiskReview, RotationPlan

M, F = Cadre.Gender.MALE, Cadre.Gender.FEMALE
P = Cadre.Political
How = PostHolding.How

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

# name, gender, rank, oversees
LEADERS = [
    ("王建国", M, "党组书记、局长", ["办公室", "组织人事科", "计划财务科"]),
    ("李红梅", F, "党组成员、副局长", ["政策法规科", "行政审批科"]),
    ("张志强", M, "党组成员、副局长", ["执法监督科", "综合执法支队"]),
    ("赵立新", M, "党组成员、副局长", ["规划建设科", "安全监管科"]),
    ("刘文静", F, "党组成员、机关党委书记", ["机关党委", "信息中心"]),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
# Given names with the gender they are usually given to.
GIVEN = [
    ("伟", M), ("芳", F), ("娜", F), ("敏", F), ("静", F), ("磊", M), ("勇", M), ("艳", F), ("杰", M), ("军", M),
    ("涛", M), ("明", M), ("超", M), ("霞", F), ("刚", M), ("桂英", F), ("晓东", M), ("海燕", F), ("建华", M),
    ("丽娟", F), ("雪梅", F), ("国庆", M), ("春生", M), ("晓峰", M), ("宏伟", M), ("玉兰", F), ("佳怡", F),
    ("雨婷", F), ("俊杰", M), ("欣怡", F), ("一鸣", M), ("振华", M), ("秀英", F), ("红霞", F), ("建军", M),
    ("丹丹", F), ("文斌", M), ("慧敏", F), ("子豪", M), ("婷婷", F),
]  # fmt: skip
EDUCATION = ["大学本科", "大学本科", "大学本科", "硕士研究生", "大专"]

# username, role groups, department, rank, post level, post
DEMO_USERS = [
    ("office", [roles.OFFICE], "办公室", "办公室副主任", Cadre.PostLevel.DEPUTY, "综合业务岗"),
    ("leader", [roles.LEADER], None, None, None, None),  # linked to the leader 李红梅
    ("head", [roles.HEAD], "行政审批科", "科长", Cadre.PostLevel.PRINCIPAL, "负责人岗"),
    ("staff", [roles.STAFF], "行政审批科", "一级科员", Cadre.PostLevel.MEMBER, "综合业务岗"),
    ("secretary", [roles.SECRETARY, roles.STAFF], "政策法规科", "副科长", Cadre.PostLevel.DEPUTY, "法制审核岗"),
    ("hr", [roles.HR, roles.STAFF], "组织人事科", "科长", Cadre.PostLevel.PRINCIPAL, "负责人岗"),
    ("admin", [roles.ADMIN], "信息中心", "主任", Cadre.PostLevel.PRINCIPAL, "负责人岗"),
]
DEMO_NAMES = {
    "office": ("陈晓东", M),
    "head": ("周志刚", M),  # also the 组织委员 of the second branch (partybuilding.demo)
    "staff": ("孙丽娟", F),
    "secretary": ("马文博", M),  # secretary of the second branch
    "hr": ("郭雪梅", F),  # secretary of the first branch
    "admin": ("何思远", M),
}

# The people the year's cadre work is about: name, gender, department, rank, level, post,
# years in the current post, age.
SCENARIO = [
    ("潘明轩", M, "执法监督科", "副科长", Cadre.PostLevel.DEPUTY, "执纪执法岗", 11.9, 47),
    ("蒋国庆", M, "规划建设科", "科长", Cadre.PostLevel.PRINCIPAL, "负责人岗", 6.2, 49),
    ("于慧敏", F, "规划建设科", "副科长", Cadre.PostLevel.DEPUTY, "项目审批岗", 5.6, 41),
    ("叶春生", M, "计划财务科", "副科长", Cadre.PostLevel.DEPUTY, "资金管理岗", 7.3, 45),
    ("程建华", M, "安全监管科", "副科长", Cadre.PostLevel.DEPUTY, "执纪执法岗", 8.4, 58),
    ("魏红霞", F, "综合执法支队", "副主任", Cadre.PostLevel.DEPUTY, "执纪执法岗", 6.8, 44),
    ("黄振华", M, "行政审批科", "二级主任科员", Cadre.PostLevel.MEMBER, "项目审批岗", 4.5, 38),
    ("韩丹丹", F, "计划财务科", "一级科员", Cadre.PostLevel.MEMBER, "政府采购岗", 3.2, 36),
    ("田浩然", M, "信息中心", "科员", Cadre.PostLevel.MEMBER, "综合业务岗", 0.3, 29),
]

RISKS = {
    "干部人事岗": ("干部选拔", "违规选拔任用干部", "降低标准、拉票贿选", PostRisk.Level.HIGH),
    "资金管理岗": ("资金管理", "违规拨付、挪用资金", "虚列支出、公款私存", PostRisk.Level.HIGH),
    "政府采购岗": ("政府采购", "规避招标、指定供应商", "化整为零、围标串标", PostRisk.Level.HIGH),
    "项目审批岗": ("行政审批", "违规审批、吃拿卡要", "超时限审批、选择性执法", PostRisk.Level.HIGH),
    "执纪执法岗": ("行政执法", "选择性执法、以罚代管", "人情案、关系案", PostRisk.Level.HIGH),
    "法制审核岗": ("法制审核", "审核把关不严", "违法决策未被纠正", PostRisk.Level.MEDIUM),
    "机要文书岗": ("保密管理", "泄露工作秘密", "文件传阅不规范", PostRisk.Level.MEDIUM),
    "负责人岗": ("履职尽责", "“一岗双责”落实不到位", "对科室人员失管失教、重业务轻监督", PostRisk.Level.MEDIUM),
    "综合业务岗": ("工作作风", "推诿扯皮、办事拖拉", "门难进、脸难看、事难办", PostRisk.Level.LOW),
}
CONTROLS = "建立台账、定期轮岗、双人审核，纳入年度廉政风险排查"
PLACES = ["城东街道幸福社区", "青山镇人民政府", "市行政服务中心窗口", "河西街道办事处", "城南开发区管委会"]
DRAFT_PLAN = "2026年第二批中层干部交流轮岗（草案）"


def _groups() -> dict[str, Group]:
    return {name: Group.objects.get_or_create(name=name)[0] for name in roles.ALL_ROLES}


def years_ago(today: dt.date, years: float) -> dt.date:
    return today - dt.timedelta(days=round(years * 365.25))


def _birth(rng: random.Random, today: dt.date, age: int) -> dt.date:
    return years_ago(today, age + rng.random() * 0.9)


def _political(rng, level, leader, age) -> str:
    """Leaders, heads and deputies are Party members; the others as a bureau's staff are."""
    if leader or level != Cadre.PostLevel.MEMBER:
        return P.MEMBER
    if age <= 28:
        return rng.choice([P.LEAGUE, P.PROBATIONARY, P.MEMBER, P.MASSES])
    return rng.choice([P.MEMBER] * 5 + [P.MASSES, P.OTHER_PARTY])


def _person(rng, today, name, gender, department, *, rank, level, post=None, leader=False, age=None, years=None):
    """The person, created once and kept in line with name and role on every run."""
    age = age if age is not None else rng.randint(45, 56) if leader else rng.randint(25, 57)
    since = years_ago(today, years if years is not None else rng.uniform(0.6, 4.8))
    cadre, _created = Cadre.objects.get_or_create(
        name=name,
        department=department,
        defaults={
            "gender": gender,
            "birth_date": _birth(rng, today, age),
            "political_status": _political(rng, level, leader, age),
            "education": rng.choice(EDUCATION),
            "post": post,
            "rank": rank,
            "post_level": level,
            "is_leader": leader,
            "is_middle_level": level != Cadre.PostLevel.MEMBER and not leader,
            "in_post_since": since,
        },
    )
    cadre.gender = gender
    if leader or level != Cadre.PostLevel.MEMBER:
        cadre.political_status = P.MEMBER
    party_age, bureau_age, probation = rng.randint(21, 32), rng.randint(22, 27), rng.randint(60, 300)
    if cadre.political_status not in (P.MEMBER, P.PROBATIONARY):
        cadre.joined_party_on = None
    elif cadre.joined_party_on is None and cadre.birth_date:
        joined = years_ago(cadre.birth_date, -party_age)
        if cadre.political_status == P.PROBATIONARY:
            joined = today - dt.timedelta(days=probation)
        cadre.joined_party_on = min(joined, today - dt.timedelta(days=30))
    if cadre.joined_bureau_on is None and cadre.birth_date and cadre.in_post_since:
        cadre.joined_bureau_on = min(years_ago(cadre.birth_date, -bureau_age), cadre.in_post_since)
    cadre.save()
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
        given, gender = rng.choice(GIVEN)
        name = rng.choice(SURNAMES) + given
        if name not in taken:
            taken.add(name)
            yield name, gender


def _departments_and_posts() -> dict[str, Department]:
    departments = {}
    for name, kind, order, _size, key_posts in DEPARTMENTS:
        dept, _ = Department.objects.get_or_create(name=name, defaults={"kind": kind, "order": order})
        departments[name] = dept
        if kind == Department.Kind.LEADERSHIP:
            continue
        for index, title in enumerate(["负责人岗", "综合业务岗", *key_posts]):
            post, _ = Post.objects.get_or_create(
                department=dept, title=title, defaults={"is_key": title in key_posts, "order": index}
            )
            if title in RISKS and not post.risks.exists():
                category, point, form, level = RISKS[title]
                PostRisk.objects.create(
                    post=post, category=category, point=point, manifestation=form, level=level, controls=CONTROLS
                )
    return departments


def _leaders(rng, today, departments, groups, password) -> dict[str, Cadre]:
    leadership = departments["局领导班子"]
    leaders = {}
    for index, (name, gender, rank, oversees) in enumerate(LEADERS):
        level = Cadre.PostLevel.PRINCIPAL if index == 0 else Cadre.PostLevel.DEPUTY
        cadre = _person(rng, today, name, gender, leadership, rank=rank, level=level, leader=True)
        leaders[name] = cadre
        username = "leader" if name == "李红梅" else f"leader{index + 1}"
        _account(cadre, username, [groups[roles.LEADER]], password)
        for dept_name in oversees:
            Department.objects.filter(pk=departments[dept_name].pk, overseen_by__isnull=True).update(overseen_by=cadre)
    return leaders


def _post(department: Department, title: str | None) -> Post | None:
    return department.posts.filter(title=title).first() if title else None


def _named_people(rng, today, departments, groups, password):
    for username, role_names, dept_name, rank, level, post_title in DEMO_USERS:
        if username == "leader":
            continue
        name, gender = DEMO_NAMES[username]
        dept = departments[dept_name]
        cadre = _person(rng, today, name, gender, dept, rank=rank, level=level, post=_post(dept, post_title))
        _account(cadre, username, [groups[r] for r in role_names], password)
        if username == "admin":
            User.objects.filter(username="admin").update(is_staff=True, is_superuser=True)
    for name, gender, dept_name, rank, level, post_title, years, age in SCENARIO:
        dept = departments[dept_name]
        _person(
            rng, today, name, gender, dept, rank=rank, level=level, post=_post(dept, post_title), age=age, years=years
        )


def _fill(rng, today, departments, groups, names):
    """Each department up to its size: a principal, a deputy, then staff."""
    for name, kind, _order, size, key_posts in DEPARTMENTS[1:]:
        dept = departments[name]
        posts = {p.title: p for p in dept.posts.all()}
        for index in range(dept.cadres.count(), size):
            if not dept.cadres.filter(post_level=Cadre.PostLevel.PRINCIPAL).exists():
                level, rank, title = (
                    Cadre.PostLevel.PRINCIPAL,
                    "主任" if kind == Department.Kind.UNIT else "科长",
                    "负责人岗",
                )
            elif not dept.cadres.filter(post_level=Cadre.PostLevel.DEPUTY).exists():
                level, rank = Cadre.PostLevel.DEPUTY, "副主任" if kind == Department.Kind.UNIT else "副科长"
                title = key_posts[0] if key_posts else "综合业务岗"
            else:
                level, rank = Cadre.PostLevel.MEMBER, rng.choice(["一级科员", "二级主任科员", "四级主任科员", "科员"])
                title = ([*key_posts, "综合业务岗"])[index % (len(key_posts) + 1)]
            person_name, gender = next(names)
            years = rng.uniform(1.0, 4.9) if level != Cadre.PostLevel.MEMBER else None
            cadre = _person(
                rng, today, person_name, gender, dept, rank=rank, level=level, post=posts[title], years=years
            )
            groups_for = [groups[roles.HEAD]] if level == Cadre.PostLevel.PRINCIPAL else [groups[roles.STAFF]]
            _account(cadre, f"c{cadre.pk:03d}", groups_for, None)


def _history(rng, cadre: Cadre, sections: list[Department]) -> list[PostHolding]:
    """Earlier posts between joining the bureau and the current post, then the current one."""
    start, since = cadre.joined_bureau_on or cadre.in_post_since, cadre.in_post_since

    def row(department, post, rank, begin, end, how):
        return PostHolding(cadre=cadre, department=department, post=post, rank=rank, start=begin, end=end, how=how)

    days = (since - start).days
    if days < 365:
        return [row(cadre.department, cadre.post, cadre.rank, start, None, How.APPOINTED)]
    earlier = rng.randint(1, max(1, min(3, days // 1100)))
    cuts = sorted(rng.sample(range(200, days - 200), earlier - 1)) if earlier > 1 else []
    bounds = [start, *(start + dt.timedelta(days=d) for d in cuts), since]
    rows = []
    for index in range(earlier):
        dept = rng.choice(sections)
        post = rng.choice([p for p in dept.posts.all() if p.pk != cadre.post_id and p.title != "负责人岗"])
        how = How.APPOINTED if index == 0 else rng.choice([How.ROTATION, How.EXCHANGE])
        rows.append(row(dept, post, "科员", bounds[index], bounds[index + 1] - dt.timedelta(days=1), how))
    how = How.APPOINTED if cadre.post_level != Cadre.PostLevel.MEMBER else How.ROTATION
    return [*rows, row(cadre.department, cadre.post, cadre.rank, since, None, how)]


def _work_histories(rng, today, departments):
    sections = [d for d in departments.values() if d.kind != Department.Kind.LEADERSHIP]
    rows = []
    for cadre in Cadre.objects.filter(holdings__isnull=True).select_related("department", "post").order_by("pk"):
        if cadre.name == "田浩然":
            rows += _frequent_mover(cadre, today, departments)
        elif cadre.in_post_since:
            rows += _history(rng, cadre, sections)
    PostHolding.objects.bulk_create(rows)
    # The current run of holdings sets 任现职时间 (a first post held since joining included).
    for cadre in Cadre.objects.filter(pk__in={r.cadre_id for r in rows}):
        services.sync_current_post(cadre)


def _frequent_mover(cadre, today, departments) -> list[PostHolding]:
    """田浩然: 办公室 for five years, then 规划建设科 for half a year, now 信息中心."""
    first, second = today - dt.timedelta(days=300), cadre.in_post_since
    office, planning = departments["办公室"], departments["规划建设科"]
    cadre.joined_bureau_on = years_ago(today, 5.8)
    cadre.save(update_fields=["joined_bureau_on"])
    return [
        PostHolding(
            cadre=cadre,
            department=office,
            post=_post(office, "综合业务岗"),
            rank="科员",
            start=cadre.joined_bureau_on,
            end=first - dt.timedelta(days=1),
            how=How.APPOINTED,
        ),
        PostHolding(
            cadre=cadre,
            department=planning,
            post=_post(planning, "综合业务岗"),
            rank="科员",
            start=first,
            end=second - dt.timedelta(days=1),
            how=How.ROTATION,
        ),
        PostHolding(
            cadre=cadre, department=cadre.department, post=cadre.post, rank=cadre.rank, start=second, how=How.EXCHANGE
        ),
    ]


def _by_name(name: str) -> Cadre:
    return Cadre.objects.select_related("department", "post").get(name=name)


def _relations_and_deferral(today, hr):
    husband, wife = _by_name("黄振华"), _by_name("韩丹丹")
    Relation.objects.get_or_create(cadre=husband, relative=wife, defaults={"kind": Relation.Kind.SPOUSE})
    deferred = _by_name("叶春生")
    if not deferred.deferrals.exists():
        deferred.deferrals.create(
            reason="承担本年度专项资金绩效评价任务，任务完成后再行交流",
            until=today + dt.timedelta(days=120),
            recorded_by=hr,
        )


def _placements(today):
    """Young cadres at the front line: two now (one ending within the month), two before."""
    young = list(
        Cadre.objects.filter(is_leader=False, post_level=Cadre.PostLevel.MEMBER, birth_date__gt=years_ago(today, 34))
        .exclude(name="田浩然")
        .order_by("pk")[:4]
    )
    plans = [
        (How.FRONTLINE, -150, 20, "社区党委书记 刘建平", ""),
        (How.SECONDMENT, -60, 300, "镇党委副书记 陈立群", ""),
        (How.FRONTLINE, -520, -340, "街道党工委书记 吴海燕", "表现优秀，群众评价好"),
        (How.SECONDMENT, -800, -440, "管委会主任 张宏伟", "称职，协调能力提升明显"),
    ]
    for index, (cadre, (kind, start, end, mentor, appraisal)) in enumerate(zip(young, plans, strict=False)):
        Placement.objects.get_or_create(
            cadre=cadre,
            place=PLACES[index],
            defaults={
                "kind": kind,
                "start": today + dt.timedelta(days=start),
                "end": today + dt.timedelta(days=end),
                "mentor": mentor,
                "appraisal": appraisal,
            },
        )


def _risk_review(rng, today, hr):
    """This year's review: most posts reviewed before the summer; 田浩然's post has a new
    holder since, so it is flagged for review again."""
    start = dt.date(today.year, 1, 15)
    review, created = RiskReview.objects.get_or_create(
        year=today.year,
        defaults={
            "title": f"{today.year}年度岗位廉政风险排查",
            "start": start,
            "due": max(dt.date(today.year, 12, 20), today + dt.timedelta(days=20)),
            "created_by": hr,
        },
    )
    if not created:
        return review
    last = max(start, today - dt.timedelta(days=200))
    for post in Post.objects.filter(active=True).order_by("department__order", "order"):
        if rng.random() < 0.75 or (post.department.name == "信息中心" and post.title == "综合业务岗"):
            review.posts.create(
                post=post,
                reviewed_by=hr,
                reviewed_on=start + dt.timedelta(days=rng.randint(0, max(0, (last - start).days))),
                result=rng.choice(["unchanged", "unchanged", "updated"]),
            )
    return review


def _draft_plan(today, hr):
    """A draft the checks catch: 规划建设科's head and deputy both move, and 黄振华 would
    join his wife's department (计划财务科, finance besides)."""
    if RotationPlan.objects.filter(title=DRAFT_PLAN).exists():
        return
    plan = services.create_plan(DRAFT_PLAN, hr, note="拟提交党组会议研究。", check=False)
    moves = [
        ("潘明轩", "安全监管科", "综合业务岗", How.ROTATION, "执法案件卷宗及在办案件清单移交执法监督科科长。"),
        ("蒋国庆", "综合执法支队", "负责人岗", How.EXCHANGE, "规划项目审批台账、在建项目清单移交。"),
        ("于慧敏", "执法监督科", "执纪执法岗", How.ROTATION, "项目审批在办件移交科内同事。"),
        ("黄振华", "计划财务科", "资金管理岗", How.ROTATION, "审批系统账号注销，在办件移交。"),
    ]
    for name, dept_name, post_title, kind, handover in moves:
        to_post = Post.objects.get(department__name=dept_name, title=post_title)
        services.add_item(
            plan,
            hr,
            cadre=_by_name(name),
            to_post=to_post,
            kind=kind,
            planned_date=today + dt.timedelta(days=30),
            handover_note=handover,
            check=False,
        )


def seed() -> dict:
    rng = random.Random(2026)
    today = dates.today()
    groups = _groups()
    password = settings.DEMO_PASSWORD
    departments = _departments_and_posts()
    _leaders(rng, today, departments, groups, password)
    _named_people(rng, today, departments, groups, password)
    taken = set(Cadre.objects.values_list("name", flat=True)) | {n for n, _g in DEMO_NAMES.values()}
    taken |= {row[0] for row in SCENARIO}
    _fill(rng, today, departments, groups, _unique_names(rng, taken))
    _work_histories(rng, today, departments)
    hr = User.objects.get(username="hr")
    _relations_and_deferral(today, hr)
    _placements(today)
    _risk_review(rng, today, hr)
    _draft_plan(today, hr)
    return {
        "departments": len(departments),
        "cadres": Cadre.objects.count(),
        "users": User.objects.count(),
        "work history rows": PostHolding.objects.count(),
        "rotation plans": RotationPlan.objects.count(),
    }
