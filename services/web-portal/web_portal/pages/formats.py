"""Jinja filters: Vietnamese numbers, money, dates and status names."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from hoclieu_shared.vn.numbers import format_date, format_number, format_vnd

# Việt Nam keeps UTC+7 all year, so a fixed offset needs no tz database.
VIETNAM = timezone(timedelta(hours=7), "ICT")

STATUS_VI = {
    "pending": "Chờ duyệt",
    "approved": "Đã duyệt",
    "rejected": "Bị từ chối",
    "activated": "Đã kích hoạt",
    "imported": "Đã nhập",
    "partially_approved": "Duyệt một phần",
    "completed": "Hoàn tất",
    "valid": "Hợp lệ",
    "invalid": "Không hợp lệ",
    "skipped": "Không đăng ký",
    "superseded": "Bị thay thế",
    "active": "Đang hoạt động",
    "locked": "Bị khoá",
    "disabled": "Đã tắt",
    "none": "Chưa có tài khoản",
    "checking": "Đang kiểm tra",
    "checked": "Đã kiểm tra",
    "needs_mapping": "Cần xác nhận cột",
    "committed": "Đã nhập khẩu",
    "uploaded": "Đã tải lên",
    "failed": "Lỗi khi kiểm tra",
}


def number(value) -> str:
    """1051 -> "1.051"; anything not a number is shown as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    return format_number(value)


def money(value) -> str:
    """150000 -> "150.000 ₫"."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    return format_vnd(value)


def vn_date(value) -> str:
    """An ISO date or date-time as dd/mm/yyyy."""
    parsed = _parse(value)
    if isinstance(parsed, datetime):
        parsed = _local(parsed)
    return format_date(parsed) if parsed else ("" if value is None else str(value))


def vn_datetime(value) -> str:
    """An ISO date-time as "dd/mm/yyyy HH:MM" in Vietnam time."""
    parsed = _parse(value)
    if not isinstance(parsed, datetime):
        return vn_date(value)
    return _local(parsed).strftime("%d/%m/%Y %H:%M")


def status_vi(value) -> str:
    """A status code in Vietnamese."""
    return STATUS_VI.get(str(value), str(value or ""))


def batch_state(batch: dict) -> str:
    """A batch's state from its counts (the service keeps counts, not a state)."""
    if batch.get("status"):
        return str(batch["status"])
    counts = batch.get("counts") or {}
    if counts.get("pending"):
        return "pending"
    if counts.get("approved") and counts.get("activated", 0) >= counts["approved"]:
        return "activated"
    if counts.get("approved"):
        return "approved"
    return "rejected" if counts.get("rejected") else "imported"


def _parse(value) -> date | datetime | None:
    if isinstance(value, date) or value is None:
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text) if len(text) == 10 else \
            datetime.fromisoformat(text)
    except ValueError:
        return None


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VIETNAM)


FILTERS = {"number": number, "money": money, "vn_date": vn_date,
           "vn_datetime": vn_datetime, "status_vi": status_vi,
           "batch_state": batch_state}
