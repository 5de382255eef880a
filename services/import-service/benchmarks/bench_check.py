"""How long the registration check takes next to a bare parse of the same file.

Builds registration sheets (xlsx) of 10k and 100k rows for a synthetic
school, then times, each in a fresh process:
- calamine: python-calamine alone parsing the sheet to Python rows;
- check: hoclieu_shared.sheets (limits, guards, tidy rows) + propose_mapping
  + check_rows, as the service runs it.
It prints the ratio check / calamine (target ≤ 1.5 at 100k) and each
process's peak resident memory.

    python benchmarks/bench_check.py [--rows 10000 100000] [--kind retyped]
"""

import argparse
import multiprocessing
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

SERVICE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(SERVICE))

YEAR = "2025-2026"
CLASSES = [f"{grade}A{n}" for grade in (6, 7, 8, 9) for n in range(1, 8)]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu", "Gia", "Bảo", "Quốc", "Hải"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Linh", "Mai", "Nam",
         "Oanh", "Phúc", "Quân", "Sơn", "Tâm", "Uyên", "Vy", "Yến"]  # fmt: skip
# (code, name, grades) of a synthetic catalogue.
PACKAGES = [
    ("ANH-{g}", "Tiếng Anh {g} nâng cao", "grade"),
    ("TOAN-{g}", "Toán tư duy {g}", "grade"),
    ("ON10", "Luyện thi vào 10 (Toán, Văn, Anh)", (9,)),
    ("KNS", "Kỹ năng sống", (6, 7, 8, 9)),
    ("STEM", "STEM – Khoa học tự nhiên", (6, 7, 8, 9)),
]
TICKS = ["x", "x", "x", "X", "✓", "1", "có", True]
TIMINGS = 3


def catalogue():
    """The synthetic catalogue as CataloguePackage values."""
    from import_service.domain.context import CataloguePackage

    packages = []
    for code, name, grades in PACKAGES:
        if grades == "grade":
            packages += [
                CataloguePackage(code.format(g=g), name.format(g=g), YEAR, (g,))
                for g in (6, 7, 8, 9)
            ]
        else:
            packages.append(CataloguePackage(code, name, YEAR, grades))
    return packages


def synthetic_student(number: int):
    """The roster line of student `number` (deterministic)."""
    from import_service.domain.context import RosterStudent

    pick = random.Random(number)
    klass = CLASSES[number % len(CLASSES)]
    name = f"{pick.choice(FAMILY)} {pick.choice(MIDDLE)} {pick.choice(GIVEN)}"
    born = date(2010, 1, 1) + timedelta(days=pick.randrange(1500))
    has_parent = number % 3 != 0
    return RosterStudent(
        f"01{number:08d}", name, born, klass, int(klass[0]),
        "Phụ huynh" if has_parent else None,
        f"09{number:08d}" if has_parent else None,
    )  # fmt: skip


def school(size: int):
    """A SchoolContext with `size` students."""
    from import_service.domain.context import SchoolContext

    students = [synthetic_student(n) for n in range(size)]
    return SchoolContext("BENCH", YEAR, students, catalogue())


def build_sheet(path: Path, size: int) -> None:
    """A filled template of `size` students, as a school would type it back."""
    from openpyxl import Workbook

    header = ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Lớp",
              "Họ tên phụ huynh", "Số điện thoại"]  # fmt: skip
    names = [(code, name) for code, name, _ in PACKAGES]
    columns = [name.format(g=g) for _, name in names[:2] for g in (6, 7, 8, 9)]
    columns += [name for _, name in names[2:]]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Đăng ký")
    sheet.append(["DANH SÁCH ĐĂNG KÝ HỌC LIỆU"])
    sheet.append([f"Năm học {YEAR}"])
    sheet.append([*header, *(f"{c}\n100.000 ₫" for c in columns), "Ghi chú"])
    for number in range(size):
        sheet.append(_row(number, columns))
    workbook.save(path)


def _row(number: int, columns: list[str]) -> list:
    student = synthetic_student(number)
    pick = random.Random(-number)
    code = int(student.code) if number % 10 == 0 else student.code
    phone = _phone_writing(f"9{number:08d}", pick.random())
    ticks = [""] * len(columns)
    grade = student.grade
    for index in (grade - 6, 4 + grade - 6, 9, 10)[: pick.randrange(1, 4)]:
        ticks[index] = pick.choice(TICKS)
    if grade == 9 and pick.random() < 0.5:
        ticks[8] = "x"
    klass = student.class_name if number % 4 else f"Lớp {student.class_name}"
    return [
        number + 1, code, student.full_name, student.date_of_birth.strftime("%d/%m/%Y"),
        klass, "Phụ huynh", phone, *ticks, "",
    ]  # fmt: skip


def _phone_writing(digits: str, draw: float):
    """A phone written the way the sample school's files write them.

    Of their ~600 phone cells, two thirds are plain 10 digits, a tenth are
    numbers that lost the leading 0, the rest have dots, spaces or +84.
    """
    if draw < 0.67:
        return "0" + digits
    if draw < 0.78:
        return int(digits)
    if draw < 0.86:
        return f"0{digits[:3]}.{digits[3:6]}.{digits[6:]}"
    if draw < 0.95:
        return f"0{digits[:3]} {digits[3:6]} {digits[6:]}"
    return f"+84 {digits[:3]} {digits[3:6]} {digits[6:]}"


def time_calamine(path: Path) -> float:
    """Seconds python-calamine alone takes to parse the sheet to rows."""
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    workbook = CalamineWorkbook.from_path(str(path))
    rows = workbook.get_sheet_by_name("Đăng ký").to_python()
    elapsed = time.perf_counter() - start
    assert len(rows) > 3
    return elapsed


def time_check(path: Path, size: int) -> dict:
    """Seconds of each step of the service's check of the sheet."""
    from hoclieu_shared.sheets.limits import SheetLimits
    from hoclieu_shared.sheets.reader import open_workbook

    from import_service.domain.check import check_rows
    from import_service.domain.mapping import propose_mapping

    context = school(size)
    # Title rows push a 100k-student sheet past the default 100,000 rows.
    limits = SheetLimits(max_rows=150_000)
    start = time.perf_counter()
    with open_workbook(path, limits) as workbook:
        opened = time.perf_counter()
        rows = workbook.rows(0)
        head = [next(rows) for _ in range(40)]
        mapping = propose_mapping(head, context, None)
        proposed = time.perf_counter()
        body = _numbered(head, rows, mapping.header_row)
        result = check_rows(body, mapping, context, date1904=workbook.date1904)
    done = time.perf_counter()
    assert mapping.certain and result.counts["invalid"] == 0, result.counts
    return {
        "open": opened - start,
        "head": proposed - opened,
        "rows": done - proposed,
        "total": done - start,
    }


def _numbered(head, rows, header_row: int):
    for number, values in enumerate(head, 1):
        if number > header_row + 1:
            yield number, values
    yield from enumerate(rows, len(head) + 1)


def _measure(job: str, path: str, size: int, answer) -> None:
    timing = (
        time_calamine(Path(path)) if job == "calamine" else time_check(Path(path), size)
    )
    answer.send((timing, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


def measure(job: str, path: Path, size: int) -> tuple:
    """Run one timing in a fresh process; (timing, peak RSS in MiB)."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_measure, args=(job, str(path), size, send))
    process.start()
    timing, peak_kib = receive.recv()
    process.join()
    return timing, peak_kib / 1024


def bench(size: int, folder: Path) -> None:
    """Build the sheet of `size` rows (once) and print its figures."""
    path = folder / f"registrations-{size}.xlsx"
    if not path.exists():
        start = time.perf_counter()
        build_sheet(path, size)
        print(f"built {path.name} in {time.perf_counter() - start:.1f} s")
    # Interleaved, so a busy moment of the machine weighs on both alike.
    bare, full = [], []
    for _ in range(TIMINGS):
        bare.append(measure("calamine", path, size))
        full.append(measure("check", path, size))
    best_bare = min(t for t, _ in bare)
    best = min((t for t, _ in full), key=lambda t: t["total"])
    memory = max(m for _, m in bare), max(m for _, m in full)
    _report(size, path, best_bare, best, *memory)


def _report(size, path, bare, best, bare_mib, full_mib) -> None:
    ratio = best["total"] / bare
    print(
        f"{size:>7,} rows  {path.stat().st_size / 2**20:5.1f} MiB  "
        f"calamine {bare:6.2f} s  check {best['total']:6.2f} s "
        f"(open+guards {best['open']:.2f}, read+mapping {best['head']:.2f}, "
        f"rows {best['rows']:.2f})  ratio {ratio:4.2f}x  "
        f"peak RSS calamine {bare_mib:.0f} MiB, check {full_mib:.0f} MiB"
    )


def main() -> None:
    """Parse the arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--folder", type=Path, default=None)
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.gettempdir()) / "hoclieu-bench-check"
    folder.mkdir(parents=True, exist_ok=True)
    for size in args.rows:
        bench(size, folder)


if __name__ == "__main__":
    main()
