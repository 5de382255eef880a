"""Registration workbook vs bare openpyxl write-only: time and peak memory.

Run: PYTHONPATH=shared:services/template-service \
     python services/template-service/benchmarks/bench_template.py

Each measurement runs in a fresh child process. Two baselines use openpyxl
write-only mode with no styles, validations or print settings: "bare" writes
the same values to the same sheets; "grid" also writes an empty cell for
every blank table cell (tick boxes, signature, notes), which the template
must write anyway to give them borders. Baselines get their sheet plan before
their clock and tracer start, so the ratios include our planning cost.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta

from openpyxl import Workbook

from hoclieu_shared.sheets import template_keys as keys
from hoclieu_shared.vn.numbers import format_date, format_vnd
from template_service.workbook import (
    Package,
    School,
    SchoolClass,
    Student,
    TemplateRequest,
    build_registration_workbook,
)
from template_service.workbook.keys import hidden_rows
from template_service.workbook.layout import plan_sheets, title_lines

SIZES = (1_000, 10_000, 50_000)
LAYOUTS = (keys.LAYOUT_PER_CLASS, keys.LAYOUT_SINGLE_SHEET)
CLASS_SIZE = 40
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ")
MIDDLE = ("Văn", "Thị", "Hữu", "Minh", "Ngọc", "Quỳnh", "Đức", "Thu")
GIVEN = ("An", "Bình", "Châu", "Dũng", "Hà", "Khánh", "Linh", "Nam", "Ánh")


def synthetic_request(size: int, layout: str) -> TemplateRequest:
    """A four-grade school of `size` students and an 11-package catalogue."""
    rng = random.Random(size)
    classes = _classes(size)
    students = [_student(rng, n, classes[n % len(classes)]) for n in range(size)]
    return TemplateRequest(
        School("BENCH", "Trường THCS Đo Lường", "Hà Nội"),
        classes,
        students,
        _catalogue(),
        "2025-2026",
        layout,
    )


def _classes(size: int) -> list[SchoolClass]:
    per_grade = max(1, -(-size // (4 * CLASS_SIZE)))
    return [
        SchoolClass(f"{grade}A{n}", grade)
        for grade in range(6, 10)
        for n in range(1, per_grade + 1)
    ]


def _student(rng, number: int, school_class: SchoolClass) -> Student:
    name = " ".join(rng.choice(words) for words in (FAMILY, MIDDLE, GIVEN))
    parent = " ".join(rng.choice(words) for words in (FAMILY, MIDDLE, GIVEN))
    known = rng.random() < 0.7
    return Student(
        code=f"{number:010d}",
        full_name=name,
        date_of_birth=date(2013, 1, 1) + timedelta(days=rng.randrange(365)),
        gender=rng.choice(("Nam", "Nữ")),
        class_name=school_class.name,
        parent_name=parent if known else None,
        parent_phone=f"09{rng.randrange(10**8):08d}" if known else None,
    )


def _catalogue() -> list[Package]:
    packages = [Package(f"TA{g}", f"Tiếng Anh {g}", (g,), 150000) for g in range(6, 10)]
    packages += [
        Package(f"TD{g}", f"Toán tư duy {g}", (g,), 120000) for g in range(6, 10)
    ]
    packages.append(Package("V10", "Luyện thi vào 10", (9,), 350000))
    packages.append(Package("KNS", "Kỹ năng sống", (6, 7, 8, 9), 80000))
    packages.append(Package("STEM", "STEM", (6, 7, 8, 9), 100000))
    return packages


def bare_write(request, sheets, out: str, grid: bool) -> None:
    """The same values with no styles; `grid` also writes the blank cells."""
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        ws = workbook.create_sheet(sheet.name)
        for row in _bare_rows(request, sheet, grid):
            ws.append(row)
        ws.close()
    hidden = workbook.create_sheet(keys.HIDDEN_SHEET)
    for row in hidden_rows(request, sheets):
        hidden.append(row)
    workbook.save(out)


def _bare_rows(request, sheet, grid: bool):
    yield from ([text] for text in title_lines(request, sheet))
    yield []
    yield (
        ["STT", "Mã", "Tên", "Ngày sinh", "Lớp", "PH", "SĐT"]
        + [f"{p.name}\n{format_vnd(p.price)}" for p in sheet.packages]
        + ["Ký", "Ghi chú"]
    )
    blanks = [""] * (len(sheet.packages) + 2) if grid else []
    number = 0
    for block in sheet.blocks:
        for s in block.students:
            number += 1
            yield [
                number,
                s.code,
                s.full_name,
                format_date(s.date_of_birth),
                block.school_class.name,
                (s.parent_name or "") if grid else s.parent_name,
                (s.parent_phone or "") if grid else s.parent_phone,
                *blanks,
            ]


def _runner(variant: str, request):
    if variant == "template":
        return lambda out: build_registration_workbook(request, out)
    sheets = plan_sheets(request)
    return lambda out: bare_write(request, sheets, out, variant == "grid")


def child(size: int, layout: str, variant: str, repeat: int) -> dict:
    """One measurement: best CPU time of `repeat` runs, then a traced run."""
    run = _runner(variant, synthetic_request(size, layout))
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "out.xlsx")
        seconds = min(_timed(run, out) for _ in range(repeat))
        file_size = os.path.getsize(out)
        tracemalloc.start()
        run(out)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"seconds": seconds, "peak": peak, "rss": rss, "bytes": file_size}


def _timed(run, out: str) -> float:
    # CPU time of this process: the machine is shared, wall time is noisy.
    start = time.process_time()
    run(out)
    return time.process_time() - start


def measure(size: int, layout: str, variant: str) -> dict:
    """Run one measurement in a fresh interpreter; return its figures."""
    repeat = "3" if size <= 10_000 else "1"
    command = [sys.executable, __file__, "--child", str(size), layout, variant]
    result = subprocess.run(
        command + [repeat], check=True, capture_output=True, text=True
    )
    return json.loads(result.stdout)


HEADINGS = (
    "students",
    "layout",
    "cpu s",
    "bare s",
    "x bare",
    "grid s",
    "x grid",
    "peak MiB",
    "bare MiB",
    "x mem",
    "RSS MiB",
    "xlsx KiB",
)


def main(sizes) -> None:
    """Print the comparison table for every size and layout."""
    print(" | ".join(HEADINGS))
    for size in sizes:
        for layout in LAYOUTS:
            ours = measure(size, layout, "template")
            bare = measure(size, layout, "bare")
            grid = measure(size, layout, "grid")
            print(" | ".join(_cells(size, layout, ours, bare, grid)), flush=True)


def _cells(size, layout, ours, bare, grid) -> list[str]:
    mib = 1024 * 1024
    return [
        f"{size:>8}",
        f"{layout:<12}",
        f"{ours['seconds']:.2f}",
        f"{bare['seconds']:.2f}",
        f"{ours['seconds'] / bare['seconds']:.2f}",
        f"{grid['seconds']:.2f}",
        f"{ours['seconds'] / grid['seconds']:.2f}",
        f"{ours['peak'] / mib:.1f}",
        f"{bare['peak'] / mib:.1f}",
        f"{ours['peak'] / bare['peak']:.2f}",
        f"{ours['rss'] / mib:.0f}",
        f"{ours['bytes'] / 1024:.0f}",
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES)
    parser.add_argument("--child", nargs=4, metavar=("SIZE", "LAYOUT", "KIND", "N"))
    args = parser.parse_args()
    if args.child:
        size, layout, variant, repeat = args.child
        print(json.dumps(child(int(size), layout, variant, int(repeat))))
    else:
        main(args.sizes)
