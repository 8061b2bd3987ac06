"""Benchmark: the monthly report for a big ledger — time per stage, memory, file sizes.

    .venv/bin/python bench/report.py [--measures 5000] [--progress 20000] [--runs 3]
                                     [--month 2026-11] [--db URL]

Uses its own PostgreSQL database (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_report, created if missing), migrates it and
builds the ledger with bench.data.build(measures, progress) plus the demo campaign.

Each run is a fresh Python process (as a Celery worker child would be) that builds the
report of --month the way the worker does and times, separately:

  - data    campaign.reports.data.collect (every figure and list, from the ledger)
  - html    campaign.reports.pdf.render_html (the Django template)
  - pdf     campaign.reports.pdf.render_pdf (WeasyPrint: parse, layout, fonts, write)
  - excel   campaign.reports.xlsx.write_ledger (streamed, every measure of every source)
  - build   campaign.reports.build.build (all of it, with claim, progress rows, files)

and reports the overhead outside WeasyPrint's own render as a ratio to that render
((data + html + excel) / pdf), the process's peak RSS (resource.getrusage ru_maxrss),
the Python heap peak of the data + Excel stages (tracemalloc), pages and file sizes.
A further process renders the report five times in a row and records the RSS after each
render: how memory grows across renders (why the worker runs with a low
CELERY_WORKER_MAX_TASKS_PER_CHILD); a last one renders once with HarfBuzz subsetting
switched off, as on a server without libharfbuzz-subset0.

Writes bench/results/report.json and prints a Markdown table for bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import ensure_database  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/bench_report"
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


# --- child processes ------------------------------------------------------------------


def child_prepare(measures: int, progress: int) -> dict:
    setup_django()
    from bench.data import build
    from campaign.group import demo as campaign_demo

    summary = build(measures=measures, progress=progress)
    campaign_demo.seed()
    return summary


def child_measure(month: str) -> dict:
    import tracemalloc

    setup_django()
    from django.utils import translation

    from campaign.group.selectors import current_campaign
    from campaign.models import Report
    from campaign.reports import build
    from campaign.reports import data as report_data
    from campaign.reports import pdf as report_pdf
    from campaign.reports import xlsx as report_xlsx
    from core.dates import parse_month

    start, end = parse_month(month)
    campaign = current_campaign(end)
    result: dict = {"rss_start_mb": rss_mb()}
    with translation.override("zh-hans"):
        tracemalloc.start()
        t0 = time.perf_counter()
        data = report_data.collect(start, end, campaign_start=campaign.start if campaign else None)
        t1 = time.perf_counter()
        result["data_heap_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        html = report_pdf.render_html(data)
        t2 = time.perf_counter()
        rendered = report_pdf.render_pdf(html)
        t3 = time.perf_counter()
        result["rss_after_pdf_mb"] = rss_mb()
        with tempfile.TemporaryFile() as handle:
            written = report_xlsx.write_ledger(data, handle)
            t4 = time.perf_counter()
            handle.seek(0, 2)
            xlsx_size = handle.tell()
    result.update(
        data_s=t1 - t0,
        html_s=t2 - t1,
        pdf_s=t3 - t2,
        excel_s=t4 - t3,
        pages=rendered.pages,
        pdf_bytes=len(rendered.pdf),
        xlsx_bytes=xlsx_size,
        html_bytes=len(html.encode()),
        measures=data.total.measures,
        excel_rows=sum(v for k, v in written.items() if k not in ("summary", "departments")),
        overdue=data.overdue_count,
        progress_measures=data.progress_measure_count,
    )
    # The whole build as the worker runs it (claim, progress updates, files in MEDIA_ROOT).
    report = Report.objects.create(period_start=start, period_end=end)
    t5 = time.perf_counter()
    outcome = build.build(report.pk)
    result["build_s"] = time.perf_counter() - t5
    report.refresh_from_db()
    assert outcome.value == "built", report.error
    result["rss_peak_mb"] = rss_mb()
    return result


def child_repeat(month: str, times: int) -> dict:
    setup_django()
    import tracemalloc

    from django.utils import translation

    from campaign.reports import data as report_data
    from campaign.reports import pdf as report_pdf
    from campaign.reports import xlsx as report_xlsx
    from core.dates import parse_month

    start, end = parse_month(month)
    after = []
    with translation.override("zh-hans"):
        data = report_data.collect(start, end)
        # The Excel ledger's Python heap peak (tracemalloc slows it down: not timed here).
        tracemalloc.start()
        with tempfile.TemporaryFile() as handle:
            report_xlsx.write_ledger(data, handle)
        excel_heap = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        html = report_pdf.render_html(data)
        for _ in range(times):
            report_pdf.render_pdf(html)
            after.append(round(rss_mb(), 1))
    return {"rss_after_each_render_mb": after, "excel_heap_peak_mb": excel_heap}


def child_without_harfbuzz(month: str) -> dict:
    """One render with HarfBuzz subsetting switched off: what a server without
    libharfbuzz-subset0 pays (WeasyPrint falls back to fontTools)."""
    setup_django()
    import weasyprint.pdf.fonts
    from django.utils import translation

    from campaign.reports import data as report_data
    from campaign.reports import pdf as report_pdf
    from core.dates import parse_month

    weasyprint.pdf.fonts.harfbuzz_subset = None
    start, end = parse_month(month)
    with translation.override("zh-hans"):
        html = report_pdf.render_html(report_data.collect(start, end))
        t0 = time.perf_counter()
        rendered = report_pdf.render_pdf(html)
    return {"pdf_s": time.perf_counter() - t0, "pdf_bytes": len(rendered.pdf)}


def run_child(env: dict, *args: str) -> dict:
    out = subprocess.run(
        [PYTHON, __file__, "--child", *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if out.returncode:
        sys.stderr.write(out.stdout + out.stderr)
        raise SystemExit(f"child {args} failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- the parent -------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=5000)
    parser.add_argument("--progress", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--month", default="2026-11")
    parser.add_argument("--db", default=os.environ.get("DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()

    if args.child:
        kind, *rest = args.child
        if kind == "prepare":
            result = child_prepare(int(rest[0]), int(rest[1]))
        elif kind == "measure":
            result = child_measure(rest[0])
        elif kind == "noharfbuzz":
            result = child_without_harfbuzz(rest[0])
        else:
            result = child_repeat(rest[0], int(rest[1]))
        print(json.dumps(result))
        return

    ensure_database(args.db)
    var = Path(tempfile.mkdtemp(prefix="bench-report-"))
    env = dict(os.environ, DATABASE_URL=args.db, VAR_DIR=str(var), DEBUG="true", LOG_LEVEL="WARNING")
    env.pop("REDIS_URL", None)
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    print(f"building {args.measures} measures, {args.progress} progress entries in {args.db} ...", file=sys.stderr)
    summary = run_child(env, "prepare", str(args.measures), str(args.progress))
    runs = [run_child(env, "measure", args.month) for _ in range(args.runs)]
    repeat = run_child(env, "repeat", args.month, "5")
    without_hb = run_child(env, "noharfbuzz", args.month)

    def med(key):
        return statistics.median(r[key] for r in runs)

    first = runs[0]
    overhead = med("data_s") + med("html_s") + med("excel_s")
    overhead_pdf_only = med("data_s") + med("html_s")
    figures = {
        "dataset": summary,
        "month": args.month,
        "runs": runs,
        "median": {k: med(k) for k in ("data_s", "html_s", "pdf_s", "excel_s", "build_s", "rss_peak_mb")},
        "overhead_ratio": overhead / med("pdf_s"),
        "overhead_ratio_without_excel": overhead_pdf_only / med("pdf_s"),
        "repeat": repeat,
        "without_harfbuzz": without_hb,
    }
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "report.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False))

    print(
        f"Monthly report for {args.month}: {first['measures']} measures, "
        f"{summary['progress']} progress entries (PostgreSQL, median of {args.runs} fresh processes)\n"
    )
    print("| stage | time |")
    print("| --- | ---: |")
    print(f"| data (report_data.collect) | {med('data_s'):.2f} s |")
    print(f"| HTML (template) | {med('html_s'):.3f} s |")
    print(f"| PDF render (WeasyPrint) | {med('pdf_s'):.2f} s |")
    print(f"| Excel ledger ({first['excel_rows']} rows, streamed) | {med('excel_s'):.2f} s |")
    print(f"| whole build (reports.build.build) | {med('build_s'):.2f} s |")
    print(
        f"\noverhead outside WeasyPrint's render: (data + HTML + Excel) / render = {figures['overhead_ratio']:.2f}; "
        f"(data + HTML) / render = {figures['overhead_ratio_without_excel']:.2f}"
    )
    print(
        f"peak RSS of the process: {med('rss_peak_mb'):.0f} MB (after the PDF: {first['rss_after_pdf_mb']:.0f} MB, "
        f"at start: {first['rss_start_mb']:.0f} MB); Python heap peak: data {first['data_heap_peak_mb']:.1f} MB, "
        f"Excel {repeat['excel_heap_peak_mb']:.1f} MB"
    )
    print(
        f"PDF: {first['pages']} pages, {first['pdf_bytes'] / 1024:.0f} KB; Excel: {first['xlsx_bytes'] / 1024:.0f} KB; "
        f"HTML {first['html_bytes'] / 1024:.0f} KB"
    )
    print(f"RSS after each of 5 renders in one process: {repeat['rss_after_each_render_mb']} MB")
    print(
        f"PDF render without HarfBuzz subsetting (fontTools fallback): {without_hb['pdf_s']:.1f} s "
        f"({without_hb['pdf_s'] / med('pdf_s'):.0f} × slower), {without_hb['pdf_bytes'] / 1024:.0f} KB"
    )


if __name__ == "__main__":
    main()
