"""Rows about the same student inside one sheet.

- With a submission time (Google Forms) the latest submission of a student
  wins; the earlier ones become "superseded" (their problems no longer
  matter, so they are dropped). The latest wins even when it is invalid:
  it is what the parent last asked for, and fixing it is the way forward.
- Without one, rows that say the same thing (same packages, parent, phone)
  merge: the first stays as it is, each repeat becomes "skipped" with the
  note "Trùng dòng N".
- Otherwise the rows conflict, and every one of them is invalid until the
  user keeps one.

A skipped row (nothing asked, or everything already active) still counts
as a submission: when it is the latest, the earlier ones are superseded, so a
parent who un-ticked a package is not signed up from an older answer. Without
submission times, skipped rows never conflict.
"""

from hoclieu_shared.vn.text import name_key

from .issues import issue
from .outcome import INVALID, SKIPPED, SUPERSEDED, VALID, RowOutcome


def resolve_duplicates(
    outcomes: list[RowOutcome], columns: dict[str, int], chosen: dict[int, tuple]
) -> None:
    """Mark repeats of a student in place; `chosen` maps row -> packages asked."""
    groups: dict[str, list[RowOutcome]] = {}
    for outcome in outcomes:
        if outcome.student_code and outcome.status in (VALID, INVALID, SKIPPED):
            groups.setdefault(outcome.student_code, []).append(outcome)
    for rows in groups.values():
        if len(rows) > 1:
            _resolve(rows, columns, chosen)


def _resolve(rows: list[RowOutcome], columns: dict[str, int], chosen) -> None:
    latest = _latest(rows)
    if latest is not None:
        _supersede(rows, latest)
        return
    rows = [row for row in rows if row.status != SKIPPED]
    if len(rows) < 2:
        return
    if len({_meaning(row, chosen) for row in rows}) == 1:
        _merge(rows)
    else:
        _conflict(rows, columns)


def _latest(rows: list[RowOutcome]) -> RowOutcome | None:
    times = [row.submitted_at for row in rows]
    if None in times:
        return None
    newest = max(times)
    winners = [row for row in rows if row.submitted_at == newest]
    return winners[0] if len(winners) == 1 else None


def _supersede(rows: list[RowOutcome], latest: RowOutcome) -> None:
    earlier = [row for row in rows if row is not latest]
    for row in earlier:
        row.status, row.errors = SUPERSEDED, []
        row.package_codes, row.already_active = [], []
        row.notes.append(
            f"Đã có lần gửi sau của học sinh này ở dòng {latest.row_number}; "
            "dòng này không được nhập."
        )
    numbers = ", ".join(str(row.row_number) for row in earlier)
    latest.notes.append(f"Lần gửi mới nhất; thay cho dòng {numbers}.")


def _meaning(row: RowOutcome, chosen: dict[int, tuple]) -> tuple:
    parent = name_key(row.parent_name) if row.parent_name else ""
    asked = frozenset(chosen.get(row.row_number, ()))
    return asked, parent, row.parent_phone


def _merge(rows: list[RowOutcome]) -> None:
    first, *repeats = rows
    for row in repeats:
        row.status, row.errors = SKIPPED, []
        row.package_codes, row.already_active = [], []
        row.notes.append(f"Trùng dòng {first.row_number}; đã gộp vào dòng đó.")
    numbers = ", ".join(str(row.row_number) for row in repeats)
    first.notes.append(f"Các dòng {numbers} giống hệt dòng này đã được gộp.")


def _conflict(rows: list[RowOutcome], columns: dict[str, int]) -> None:
    column = columns.get("student_code", columns.get("full_name"))
    for row in rows:
        others = ", ".join(str(r.row_number) for r in rows if r is not row)
        detail = (
            f"Học sinh này còn có ở dòng {others} với nội dung khác; "
            "hãy giữ lại một dòng và xoá các dòng kia."
        )
        row.errors.append(issue(row.row_number, column, "duplicate_conflict", detail))
        row.status = INVALID
