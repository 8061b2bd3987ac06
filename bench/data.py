"""A large, realistic ledger for benchmarks: build(measures=5000, progress=20000, seed=1).

Usage (settings must be configured; use your own PostgreSQL database, never the dev one):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_x .venv/bin/python manage.py migrate
    import django, os; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings"); django.setup()
    from bench.data import build
    summary = build(measures=5000, progress=20000)   # -> {"rounds": .., "problems": .., ...}

or from a test: `build(measures=200, progress=800)` inside a `db` test.

What it makes:
  - the demo organisation via cadres.demo.seed() (departments, leaders who oversee them,
    about 80 cadres, the demo logins office/leader/head/staff/...);
  - inspection rounds of every source (one per ~250 measures, at least 2), problems
    (about 2.5 measures each), measures spread over every status, term and department,
    with partner departments for about a third, deadlines from Jan 2026 to mid 2027
    (so some are overdue, some due soon, relative to today), closed and stage-complete
    measures with completed_on;
  - progress entries spread over the campaign year (from 2026-01-05 up to today), each
    by the responsible person's account (or the department head's), on measures that
    have started.

Everything is written with bulk_create (no per-row history records: a benchmark needs
volume, not an audit trail). Rectification data already present is deleted first
(clear=True, the default) so that running it twice gives the same dataset; pass
clear=False to refuse instead (raises RuntimeError). Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

CAMPAIGN_START = dt.date(2026, 1, 5)

SOURCE_TITLES = {
    "central": "中央巡视",
    "provincial": "省委巡视",
    "municipal": "市委巡察",
    "supervision": "上级督查",
    "audit": "审计",
    "self": "自查自纠",
}
CATEGORIES = [
    "政治建设",
    "作风建设",
    "制度建设",
    "行政审批",
    "执法规范",
    "财务管理",
    "干部管理",
    "基层党建",
    "意识形态",
    "服务群众",
]
PROBLEM_TEXTS = [
    "学习贯彻上级决策部署不够深入，结合实际研究落实不够",
    "审批事项办理时限偏长，群众反映“多头跑、来回跑”",
    "执法案卷不规范，自由裁量权行使缺乏依据",
    "公务接待和公务用车管理制度执行不严",
    "对下属单位监督检查流于形式，发现问题整改不到位",
    "干部交流轮岗不够，个别重点岗位人员任职时间过长",
    "“三会一课”质量不高，组织生活会批评与自我批评不够",
    "政府采购程序不规范，存在化整为零规避招标现象",
    "信访件办理不及时，答复质量不高",
    "安全生产检查存在“走过场”问题，隐患整改闭环不够",
]
MEASURE_TEXTS = [
    "修订完善相关制度，明确职责分工和办理时限",
    "开展专项检查，逐项建立问题台账并限期整改",
    "组织专题学习培训，提高干部业务能力",
    "建立定期通报和督查机制，每月报送整改进展",
    "梳理优化办事流程，压缩办理时限30%以上",
    "对重点岗位人员开展交流轮岗，建立廉政风险防控台账",
    "开展案卷评查，对不规范案卷逐一整改",
    "建立长效机制，纳入年度目标考核",
]
PROGRESS_TEXTS = [
    "已召开专题会议研究部署，明确责任分工。",
    "已完成制度修订初稿，正在征求意见。",
    "完成专项检查，发现问题{n}个，已整改{m}个。",
    "组织业务培训一次，参训{n}人。",
    "已印发实施方案并报送领导小组办公室。",
    "按月报送整改进展，持续推进。",
    "整改任务基本完成，正在整理佐证材料。",
]


def _clear():
    from rectification.models import Evidence, InspectionRound, Measure, Problem, Progress, SignoffStep

    Evidence.objects.all().delete()
    SignoffStep.objects.all().delete()
    Progress.objects.all().delete()
    Measure.partner_departments.through.objects.all().delete()
    Measure.history.model.objects.all().delete()
    Measure.objects.all().delete()
    Problem.history.model.objects.all().delete()
    Problem.objects.all().delete()
    InspectionRound.objects.all().delete()


def build(measures: int = 5000, progress: int = 20000, seed: int = 1, clear: bool = True) -> dict:
    """Create `measures` measures and `progress` progress entries; return the counts."""
    from cadres import demo as cadres_demo
    from cadres.models import Cadre, Department
    from rectification.models import InspectionRound, Measure, Problem, Progress

    rng = random.Random(seed)
    today = dt.date.today()
    with transaction.atomic():
        if InspectionRound.objects.exists() or Measure.objects.exists():
            if not clear:
                raise RuntimeError("rectification data already present; build(clear=True) deletes it first")
            _clear()
        cadres_demo.seed()

        departments = list(Department.objects.exclude(kind=Department.Kind.LEADERSHIP).filter(active=True))
        leaders = list(Cadre.objects.filter(is_leader=True))
        by_dept: dict[int, list[Cadre]] = {}
        for cadre in Cadre.objects.filter(is_leader=False).select_related("user"):
            by_dept.setdefault(cadre.department_id, []).append(cadre)
        heads = {
            d: next((c for c in people if c.post_level == Cadre.PostLevel.PRINCIPAL and c.user_id), None)
            for d, people in by_dept.items()
        }
        fallback_user_id = next(c.user_id for c in Cadre.objects.filter(user__isnull=False))

        # Rounds: every source, one round per ~250 measures.
        n_rounds = max(2, measures // 250)
        sources = [s for s, _ in InspectionRound.Source.choices]
        rounds = []
        for i in range(n_rounds):
            source = sources[i % len(sources)]
            feedback = CAMPAIGN_START + dt.timedelta(days=rng.randint(0, 200))
            rounds.append(
                InspectionRound(
                    source=source,
                    title=f"{SOURCE_TITLES[source]}反馈问题整改（2026年第{i + 1}批）",
                    feedback_date=feedback,
                    document_number=f"巡反〔2026〕{i + 1}号",
                    report_due=feedback + dt.timedelta(days=60 if source in ("central", "provincial") else 90),
                )
            )
        rounds = InspectionRound.objects.bulk_create(rounds)

        n_problems = max(1, round(measures / 2.5))
        problems = []
        per_round: dict[int, int] = {}
        for i in range(n_problems):
            rnd = rounds[i % len(rounds)]
            per_round[rnd.pk] = per_round.get(rnd.pk, 0) + 1
            problems.append(
                Problem(
                    round=rnd,
                    number=per_round[rnd.pk],
                    category=rng.choice(CATEGORIES),
                    description=f"{rng.choice(PROBLEM_TEXTS)}（问题{i + 1}）。",
                )
            )
        problems = Problem.objects.bulk_create(problems, batch_size=1000)

        S, T = Measure.Status, Measure.Term
        status_weights = [
            (S.NOT_STARTED, 8),
            (S.IN_PROGRESS, 45),
            (S.SUBMITTED, 8),
            (S.LEADER_APPROVED, 4),
            (S.CLOSED, 28),
            (S.STAGE_COMPLETE, 7),
        ]
        statuses, weights = zip(*status_weights, strict=True)
        rows = []
        per_problem: dict[int, int] = {}
        for i in range(measures):
            problem = problems[i % len(problems)]
            per_problem[problem.pk] = per_problem.get(problem.pk, 0) + 1
            dept = departments[rng.randrange(len(departments))]
            term = rng.choices([T.IMMEDIATE, T.DEADLINE, T.LONG_TERM], [2, 6, 2])[0]
            status = rng.choices(statuses, weights)[0]
            if status == S.STAGE_COMPLETE and term != T.LONG_TERM:
                status = S.CLOSED
            if term == T.LONG_TERM and status == S.CLOSED:
                status = S.STAGE_COMPLETE
            deadline = None
            if term != T.LONG_TERM:
                deadline = CAMPAIGN_START + dt.timedelta(days=rng.randint(20, 540))
            people = by_dept.get(dept.pk) or [None]
            person = rng.choice(people)
            completed = None
            if status in (S.CLOSED, S.STAGE_COMPLETE):
                latest = min(today, deadline or today)
                completed = CAMPAIGN_START + dt.timedelta(days=rng.randint(15, max(16, (latest - CAMPAIGN_START).days)))
                completed = min(completed, today)
            leader = dept.overseen_by if dept.overseen_by_id and rng.random() < 0.85 else rng.choice(leaders)
            rows.append(
                Measure(
                    problem=problem,
                    number=per_problem[problem.pk],
                    goal="问题得到有效整改，建立长效机制。",
                    description=f"{rng.choice(MEASURE_TEXTS)}（措施{i + 1}）。",
                    responsible_leader=leader,
                    lead_department=dept,
                    responsible_person=person,
                    term=term,
                    deadline=deadline,
                    status=status,
                    completed_on=completed,
                )
            )
        rows = Measure.objects.bulk_create(rows, batch_size=1000)

        Through = Measure.partner_departments.through
        links = []
        for m in rows:
            if rng.random() < 0.33:
                for d in rng.sample(departments, rng.randint(1, 2)):
                    if d.pk != m.lead_department_id:
                        links.append(Through(measure_id=m.pk, department_id=d.pk))
        Through.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)

        started = [m for m in rows if m.status != S.NOT_STARTED] or rows
        span = max(1, (today - CAMPAIGN_START).days)
        entries = []
        for _ in range(progress):
            m = rng.choice(started)
            when = CAMPAIGN_START + dt.timedelta(days=rng.randint(0, span))
            if m.completed_on and when > m.completed_on and m.status == S.CLOSED:
                when = m.completed_on
            author_id = (
                m.responsible_person.user_id
                if m.responsible_person and m.responsible_person.user_id
                else (heads.get(m.lead_department_id).user_id if heads.get(m.lead_department_id) else fallback_user_id)
            )
            entries.append(
                Progress(
                    measure_id=m.pk,
                    date=when,
                    text=rng.choice(PROGRESS_TEXTS).format(n=rng.randint(3, 30), m=rng.randint(1, 3)),
                    percent=rng.choice([None, 20, 40, 50, 60, 80, 90, 100]),
                    author_id=author_id,
                )
            )
        Progress.objects.bulk_create(entries, batch_size=2000)

    return {
        "rounds": len(rounds),
        "problems": len(problems),
        "measures": len(rows),
        "partner_links": len(links),
        "progress": len(entries),
    }
