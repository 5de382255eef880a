"""What earlier batches already registered: noted by the check, told by a
commit that finds nothing new.

A valid row may ask for packages that a batch of the same school year
already holds (pending or approved, not rejected). The commit registers
only what is new; the check says so beforehand, on the row and in the
import's `already_registered`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from hoclieu_shared.errors import Conflict
from hoclieu_shared.vn.numbers import format_date
from sqlalchemy.ext.asyncio import AsyncSession

from ..adapters import registrations as store
from ..adapters.tables import Import
from ..domain.outcome import VALID, RowOutcome

# Vietnam keeps UTC+7 all year (no daylight saving), so a fixed offset is
# exact and needs no time-zone database in the image.
VIETNAM = timezone(timedelta(hours=7))
SHOWN_BATCHES = 10
_STATES = {store.PENDING: "đang chờ duyệt",
           store.APPROVED: "đã được duyệt, đang chờ kích hoạt",
           store.ACTIVATED: "đã được kích hoạt"}
_LEFT_OUT = {"invalid": "dòng không hợp lệ",
             "skipped": "dòng không đăng ký gói nào",
             "superseded": "dòng bị thay thế bởi lần gửi sau"}


@dataclass(frozen=True)
class Origin:
    """The earlier batch holding a package, and how far that package got."""

    batch_id: uuid.UUID
    file_name: str
    created_at: datetime
    state: str

    def described(self) -> str:
        """How a note names it: its state, then the batch's file and day."""
        return (f"{_STATES[self.state]} (tệp «{self.file_name}», nhập ngày "
                f"{local_date(self.created_at)})")


Held = dict[str, dict[str, Origin]]


async def held_packages(session: AsyncSession, school_code: str,
                        school_year: str) -> Held:
    """student -> package -> the earlier batch that registered it."""
    held: Held = {}
    for row in await store.live_package_origins(session, school_code,
                                                school_year):
        state = store.ACTIVATED if row.activated_at else row.status
        held.setdefault(row.student_code, {})[row.package_code] = Origin(
            row.batch_id, row.file_name, row.created_at, state)
    return held


async def note_registered(session: AsyncSession, school_code: str,
                          school_year: str, rows: list[RowOutcome]) -> int:
    """Note earlier registrations on valid rows; how many have nothing new."""
    if not any(row.status == VALID for row in rows):
        return 0
    held = await held_packages(session, school_code, school_year)
    return mark_rows(rows, held) if held else 0


def mark_rows(rows: Iterable[RowOutcome], held: Held) -> int:
    """Add the note to each valid row asking for held packages; count the
    rows whose packages are all held (the commit's `already_registered`)."""
    nothing_new = 0
    for row in rows:
        found = held.get(row.student_code, {}) if row.status == VALID else {}
        taken = [code for code in row.package_codes if code in found]
        if taken:
            fresh = [code for code in row.package_codes if code not in found]
            row.notes.append(_note(taken, fresh, found))
            nothing_new += not fresh
    return nothing_new


def _note(taken: list[str], fresh: list[str], found: dict[str, Origin]) -> str:
    origins = dict.fromkeys(found[code] for code in taken)
    where = " và ".join(origin.described() for origin in origins)
    if not fresh:
        return (f"Đã có trong đợt nhập trước, {where}; lần nhập này không "
                "ghi thêm.")
    return (f"Gói {', '.join(taken)} đã có trong đợt nhập trước, {where}; "
            f"chỉ nhập thêm gói {', '.join(fresh)}.")


async def nothing_to_commit(session: AsyncSession, imported: Import,
                            rows: list) -> Conflict:
    """Why a commit would create an empty batch, as the API's error."""
    if not rows:
        return _no_valid_rows(imported)
    held = await held_packages(session, imported.school_code,
                               imported.school_year)
    origins = {held[row.student_code][code] for row in rows
               for code in row.package_codes
               if code in held.get(row.student_code, {})}
    batches = sorted({(o.created_at, o.batch_id, o.file_name) for o in origins},
                     reverse=True)
    return _all_registered(len(rows), batches)


def _no_valid_rows(imported: Import) -> Conflict:
    counts = imported.counts or {}
    left_out = [f"{counts[key]} {text}" for key, text in _LEFT_OUT.items()
                if counts.get(key)]
    if left_out:
        why = (f"không có dòng hợp lệ nào ({', '.join(left_out)}). Hãy sửa "
               "tệp theo kết quả kiểm tra, tải lên và kiểm tra lại.")
    else:
        why = (f"sheet «{imported.sheet}» không có dòng dữ liệu nào dưới "
               "dòng tiêu đề. Hãy xem lại sheet và dòng tiêu đề "
               "rồi kiểm tra lại.")
    return Conflict("nothing_to_commit", f"Không có gì để nhập: {why}",
                    details={"reason": "no_valid_rows", "counts": counts})


def _all_registered(valid: int, batches: list[tuple]) -> Conflict:
    rows = f"cả {valid} dòng hợp lệ" if valid > 1 else "dòng hợp lệ duy nhất"
    where = "ở một đợt nhập trước"
    if batches:
        at, _, file_name = batches[0]
        latest = f"tệp «{file_name}», nhập ngày {local_date(at)}"
        where = (f"ở đợt nhập trước ({latest})" if len(batches) == 1 else
                 f"ở {len(batches)} đợt nhập trước, gần nhất là {latest}")
    message = (f"Không có gì mới để nhập: {rows} đã được nhập {where}, nên "
               "không tạo đợt nhập mới. Xem các đợt nhập đó trong lịch sử "
               "nhập.")
    shown = [{"id": str(batch_id), "file_name": file_name,
              "created_at": at.isoformat()}
             for at, batch_id, file_name in batches[:SHOWN_BATCHES]]
    return Conflict("nothing_to_commit", message, details={
        "reason": "already_registered", "valid_rows": valid,
        "batches": shown})


def local_date(moment: datetime) -> str:
    """A stored moment as the day it was in Vietnam, dd/mm/yyyy."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return format_date(moment.astimezone(VIETNAM))
