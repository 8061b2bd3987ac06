"""Benchmark: import of a 1,000-row feedback list (问题清单) on PostgreSQL.

    .venv/bin/python bench/import_feedback.py [--rows 1000] [--runs 5]

Uses its own database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bench_import,
created if missing), migrates it, seeds the demo organisation, and builds an untidy sheet
the way offices send them: two title rows, section heading rows, 2–3 measures under most
problems with the problem cells merged, dates in every accepted form, mixed separators and
stray spaces. It then times, as medians over --runs:

  - check + preview (importing.validate: read the workbook, resolve every name, check every row)
  - import (importing.import_feedback_xlsx: validate again + write everything in one
    transaction, with history records), each run into a fresh round
  - the import page's preview response (POST of the file, 1,000-row table rendered)
  - the export of the imported measures (/rectification/export/)

and counts the SQL queries of one import and of one export.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import ensure_database  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/bench_import"


def build_sheet(rows: int, seed: int = 7) -> bytes:
    from cadres.models import Cadre, Department
    from tests.rectification.xlsx_fixtures import row, xlsx

    rng = random.Random(seed)
    departments = list(Department.objects.exclude(kind=Department.Kind.LEADERSHIP).filter(active=True))
    leaders = [c.name for c in Cadre.objects.filter(is_leader=True)]
    people: dict[int, list[str]] = {}
    for c in Cadre.objects.filter(is_leader=False, active=True):
        people.setdefault(c.department_id, []).append(c.name)
    # Only names that are unique, so that every row is valid.
    counts: dict[str, int] = {}
    for c in Cadre.objects.values_list("name", flat=True):
        counts[c] = counts.get(c, 0) + 1
    header = [
        "序 号",
        "问题\n类别",
        "问题描述（具体表现）",
        "整改目标",
        "整改措施",
        "责任领导",
        "牵头科室（单位）",
        "配合科室【单位】",
        "责任人",
        "时限类别",
        "完成时限（年月日）",
        "备  注",
    ]
    date_forms = [
        lambda d: d,
        lambda d: f"{d.year}年{d.month}月{d.day}日",
        lambda d: f"{d.year}.{d.month}.{d.day}",
        lambda d: f"{d.year}/{d.month}/{d.day}",
        lambda d: d.isoformat(),
    ]
    separators = ["、", "，", ",", "；", ";"]
    data, merges = [header], []
    sheet_row = 3  # after two title rows
    problem_no = 0
    sections = ["一、政治建设方面", "二、作风建设方面", "三、制度执行方面", "四、干部队伍建设方面"]
    written = 0
    per_section = rows // len(sections) + 1
    for section in sections:
        if written >= rows:
            break
        data.append([section] + [None] * 11)
        sheet_row += 1
        merges.append(f"A{sheet_row}:L{sheet_row}")
        in_section = 0
        while in_section < per_section and written < rows:
            problem_no += 1
            n = min(rng.choice([1, 2, 2, 3, 3, 4]), rows - written)
            first = sheet_row + 1
            lead = rng.choice(departments)
            leader = rng.choice(leaders)
            for k in range(n):
                others = rng.sample([d for d in departments if d != lead], rng.choice([0, 1, 2]))
                names = [p for p in people.get(lead.pk, []) if counts[p] == 1]
                term = rng.choice(["限期整改", "限期整改", "限期整改", "立行立改", "长期坚持"])
                deadline = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(30, 540))
                when = "" if term == "长期坚持" else rng.choice(date_forms)(deadline)
                data.append(
                    row(
                        problem_no if k == 0 else "",
                        "",
                        f"第{problem_no}个问题：审批事项办理时限偏长，群众反映“多头跑、来回跑”" if k == 0 else "",
                        "整改到位，形成长效机制" if k == 0 else "",
                        f"措施{problem_no}.{k + 1}：修订完善相关制度，明确职责分工和办理时限",
                        (" " + leader[0] + " " + leader[1:]) if rng.random() < 0.1 else leader,
                        f" {lead.name} " if rng.random() < 0.1 else lead.name,
                        rng.choice(separators).join(d.name for d in others),
                        rng.choice(names) if names and rng.random() < 0.7 else "",
                        term,
                        when,
                        "",
                    )
                )
                sheet_row += 1
                written += 1
                in_section += 1
            if n > 1:
                for column in "ABCD":
                    merges.append(f"{column}{first}:{column}{first + n - 1}")
    return xlsx(data, title_rows=[["某某局市委巡察反馈问题整改清单"], ["（2026年3月）"]], merges=merges)


def median_ms(samples):
    return statistics.median(samples) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("VAR_DIR", "/tmp/bench-import-var")
    if os.environ["DATABASE_URL"].startswith("postgres"):
        ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()  # the test client's response.context, an in-memory email backend
    settings.MEDIA_ROOT = Path(os.environ["VAR_DIR"]) / "media"
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import User

    from bench.data import _clear
    from cadres import demo as cadres_demo
    from rectification import importing
    from rectification.models import InspectionRound, Measure

    cadres_demo.seed()
    _clear()
    office = User.objects.get(username="office")
    data = build_sheet(args.rows)

    def new_round(i):
        return InspectionRound.objects.create(
            source="municipal", title=f"基准测试批次{i}", feedback_date=dt.date(2026, 1, 5)
        )

    probe = importing.validate(data, new_round(0))
    assert probe.ok, probe.messages()[:10]
    print(
        f"sheet: {len(data) / 1024:.0f} KiB, {probe.measure_count} measures under {probe.problem_count} problems, "
        f"{len(probe.skipped_rows)} heading rows; database {connection.vendor}"
    )

    preview_times, import_times, import_queries = [], [], []
    for i in range(1, args.runs + 1):
        round_ = new_round(i)
        start = time.perf_counter()
        importing.validate(data, round_)
        preview_times.append(time.perf_counter() - start)
        connection.queries_log.clear()
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            result = importing.import_feedback_xlsx(data, round_, office)
        import_times.append(time.perf_counter() - start)
        import_queries.append(len(ctx.captured_queries))
        assert result.measures == probe.measure_count

    client = Client()
    client.force_login(office, backend="django.contrib.auth.backends.ModelBackend")
    page_times = []
    from django.core.files.uploadedfile import SimpleUploadedFile

    for _run in range(args.runs):
        start = time.perf_counter()
        response = client.post(
            "/rectification/import/", {"round": new_round(99).pk, "file": SimpleUploadedFile("问题清单.xlsx", data)}
        )
        page_times.append(time.perf_counter() - start)
        assert response.status_code == 200 and "确认导入" in response.content.decode(), response.status_code
        page_size = len(response.content)

    last_round = InspectionRound.objects.filter(title=f"基准测试批次{args.runs}").get()
    export_times = []
    for _run in range(args.runs):
        connection.queries_log.clear()
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/rectification/export/", {"round": last_round.pk})
        export_times.append(time.perf_counter() - start)
        assert response.status_code == 200
    export_queries = len(ctx.captured_queries)

    print(f"check + preview (validate):        median {median_ms(preview_times):7.0f} ms")
    print(
        f"import (validate + write, 1 txn):  median {median_ms(import_times):7.0f} ms, "
        f"{statistics.median(import_queries):.0f} queries"
    )
    print(f"import page preview response:      median {median_ms(page_times):7.0f} ms, {page_size / 1024:.0f} KiB HTML")
    print(
        f"export of the {result.measures} measures:      median {median_ms(export_times):7.0f} ms, "
        f"{export_queries} queries"
    )
    print(f"measures in the database: {Measure.objects.count()}")


if __name__ == "__main__":
    main()
