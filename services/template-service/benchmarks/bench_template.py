"""Registration workbook vs bare openpyxl write-only: time and peak memory.

Run: PYTHONPATH=shared:services/template-service \
     python services/template-service/benchmarks/bench_template.py

Each measurement runs in a fresh child process. The bare baseline writes the
same cell values to the same sheets with openpyxl write-only mode and no
styles, validations or print settings; its sheet plan is computed before its
clock and tracer start, so the ratios include our planning cost.
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

from hoclieu_shared.sheets import template_keys as keys
from hoclieu_shared.vn.numbers import format_date, format_vnd
from openpyxl import Workbook

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


def bare_write(request: TemplateRequest, sheets, out: str) -> None:
    """The same values, no styles: the floor of openpyxl write-only mode."""
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        ws = workbook.create_sheet(sheet.name)
        for row in _bare_rows(request, sheet):
            ws.append(row)
        ws.close()
    hidden = workbook.create_sheet(keys.HIDDEN_SHEET)
    for row in hidden_rows(request, sheets):
        hidden.append(row)
    workbook.save(out)


def _bare_rows(request, sheet):
    yield from ([text] for text in title_lines(request, sheet))
    yield []
    yield (
        ["STT", "Mã", "Tên", "Ngày sinh", "Lớp", "PH", "SĐT"]
        + [f"{p.name}\n{format_vnd(p.price)}" for p in sheet.packages]
        + ["Ký", "Ghi chú"]
    )
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
                s.parent_name,
                s.parent_phone,
            ]


def _runner(variant: str, request):
    if variant == "template":
        return lambda out: build_registration_workbook(request, out)
    sheets = plan_sheets(request)
    return lambda out: bare_write(request, sheets, out)


def child(size: int, layout: str, variant: str, repeat: int) -> dict:
    """One measurement: best time of `repeat` runs, then a traced run."""
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
    start = time.perf_counter()
    run(out)
    return time.perf_counter() - start


def measure(size: int, layout: str, variant: str) -> dict:
    """Run one measurement in a fresh interpreter; return its figures."""
    repeat = "3" if size <= 10_000 else "1"
    command = [sys.executable, __file__, "--child", str(size), layout, variant]
    result = subprocess.run(
        command + [repeat], check=True, capture_output=True, text=True
    )
    return json.loads(result.stdout)


def main() -> None:
    """Print the comparison table for every size and layout."""
    print(
        f"{'students':>8} {'layout':<12} {'time s':>7} {'bare s':>7} {'x':>5} "
        f"{'peak MiB':>8} {'bare MiB':>8} {'x':>5} {'RSS MiB':>7} {'xlsx KiB':>8}"
    )
    for size in SIZES:
        for layout in LAYOUTS:
            ours = measure(size, layout, "template")
            bare = measure(size, layout, "bare")
            print(_line(size, layout, ours, bare), flush=True)


def _line(size, layout, ours, bare) -> str:
    mib = 1024 * 1024
    return (
        f"{size:>8} {layout:<12} {ours['seconds']:>7.2f} {bare['seconds']:>7.2f} "
        f"{ours['seconds'] / bare['seconds']:>5.2f} {ours['peak'] / mib:>8.1f} "
        f"{bare['peak'] / mib:>8.1f} {ours['peak'] / bare['peak']:>5.2f} "
        f"{ours['rss'] / mib:>7.0f} {ours['bytes'] / 1024:>8.0f}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=4, metavar=("SIZE", "LAYOUT", "VARIANT", "N"))
    args = parser.parse_args()
    if args.child:
        size, layout, variant, repeat = args.child
        print(json.dumps(child(int(size), layout, variant, int(repeat))))
    else:
        main()
