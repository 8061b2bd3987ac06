"""Benchmark: peak memory (RSS) of reading a large feedback list, read-only vs normal mode.

    .venv/bin/python bench/import_memory.py [--rows 20000]

Builds a workbook of --rows rows × 12 columns of Chinese text with the first two columns
merged over each problem's 2–3 measures (about 5.5 MB at 20,000 rows: the size the probe
used), then, each in a fresh process, reads it the way the import does
(rectification.importing: open_workbook + find_sheet) and prints the seconds and the
process's peak RSS. The figures are in bench/README.md ("Import memory").
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(rows: int, path: Path) -> None:
    import random

    from openpyxl import Workbook

    rng = random.Random(7)
    book = Workbook(write_only=False)
    ws = book.active
    ws.append(
        [
            "序号",
            "问题类别",
            "问题描述",
            "整改目标",
            "整改措施",
            "责任领导",
            "牵头科室",
            "配合科室",
            "责任人",
            "时限类别",
            "完成时限",
            "备注",
        ]
    )
    row, problem = 2, 0
    while row < rows + 2:
        problem += 1
        span = 2 + problem % 2
        for i in range(span):
            # Unique text in every cell (as real lists are): the shared-strings table grows too.
            tag = f"{problem}-{i}-{rng.getrandbits(48):x}"
            ws.append(
                [
                    problem,
                    "作风建设",
                    f"问题{tag}：审批环节多、时限长，群众反映办事难，窗口服务不规范",
                    f"压缩审批时限{tag}",
                    f"措施{tag}：梳理审批事项清单，精简申请材料，推行并联审批和容缺受理",
                    "李红梅",
                    "行政审批科",
                    "政策法规科",
                    "孙丽娟",
                    "限期整改",
                    "2026-06-30",
                    f"按月报送进展{tag}",
                ]
            )
        ws.merge_cells(start_row=row, start_column=1, end_row=row + span - 1, end_column=1)
        ws.merge_cells(start_row=row, start_column=3, end_row=row + span - 1, end_column=3)
        row += span
    book.save(path)


def measure(path: str, read_only: bool) -> dict:
    """In this (fresh) process: read the sheet as the import does; seconds and peak RSS."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from openpyxl import load_workbook

    from rectification.importing.sheet import find_sheet

    data = Path(path).read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    book = load_workbook(io.BytesIO(data), read_only=read_only, data_only=True)
    sheet = find_sheet(book)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "rows": len(sheet.grid),
        "merged_continued": len(sheet.continued),
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak / 1024),
        "baseline_rss_mb": round(before / 1024),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--child", nargs=2, metavar=("PATH", "MODE"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child[0], args.child[1] == "read_only")))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feedback.xlsx"
        build(args.rows, path)
        print(f"workbook: {args.rows} rows, {path.stat().st_size / 1048576:.1f} MB")
        for mode in ("read_only", "normal"):
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(path), mode], capture_output=True, text=True, check=True
            )
            print(f"{mode:>9}: {out.stdout.strip()}")


if __name__ == "__main__":
    main()
