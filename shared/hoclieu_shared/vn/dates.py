"""Dates written the Vietnamese way (day first) and Excel serial numbers."""

import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta

from .errors import VnValueError
from .text import fold

EARLIEST_YEAR = 1900
LATEST_YEAR = 2099
# Day 60 of the 1900 system is 29/02/1900, a day Excel invents (after Lotus).
_FAKE_LEAP_DAY = 60
_EPOCH_1900 = datetime(1899, 12, 30)
_EPOCH_1904 = datetime(1904, 1, 1)
_LAST_SERIAL = 2958465  # 31/12/9999

_CLOCK = r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(SA|CH|AM|PM)?)?"
_DAY_FIRST = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})" + _CLOCK)
_YEAR_FIRST = re.compile(r"(\d{4})([/.\-])(\d{1,2})\2(\d{1,2})" + _CLOCK)
_SHORT_YEAR = re.compile(r"\d{1,2}([/.\-])\d{1,2}\1\d{2}")
_PACKED = re.compile(r"(\d{2})(\d{2})(\d{4})")
_WORDS = re.compile(r"(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})")

# Three stable codes; the message says which case of the code it is.
EMPTY, UNREADABLE, IMPOSSIBLE = "date_empty", "date_unreadable", "date_impossible"
MESSAGES = {
    "empty": (EMPTY, "Chưa có ngày."),
    "unreadable": (
        UNREADABLE,
        "Không đọc được ngày; hãy ghi theo dạng ngày/tháng/năm, ví dụ 25/04/2013.",
    ),
    "short_year": (UNREADABLE, "Năm cần ghi đủ 4 chữ số, ví dụ 25/04/2013."),
    "no_such_day": (IMPOSSIBLE, "Ngày {text} không có thật."),
    "month_first": (
        IMPOSSIBLE,
        (
            "Tháng {month} không có thật; có thể ngày và tháng bị đảo (kiểu "
            "tháng/ngày). Hãy ghi theo dạng ngày/tháng/năm, ví dụ 25/04/2013."
        ),
    ),
    "out_of_range": (IMPOSSIBLE, "Năm {year} nằm ngoài khoảng hợp lý."),
}


def parse_date(value: object, *, date1904: bool = False) -> date:
    """A date from a cell: date, Excel serial or dd/mm/yyyy text."""
    return parse_timestamp(value, date1904=date1904).date()


def parse_timestamp(value: object, *, date1904: bool = False) -> datetime:
    """A date and time from a cell, e.g. the "Dấu thời gian" of a Google Form."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise _error("empty")
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, bool):
        raise _error("unreadable")
    if isinstance(value, (int, float)):
        return excel_serial_to_datetime(value, date1904=date1904)
    if isinstance(value, str):
        return _from_text(value)
    raise _error("unreadable")


def excel_serial_to_datetime(serial: float, *, date1904: bool = False) -> datetime:
    """The moment an Excel serial number stands for, in either date system."""
    if math.isnan(serial) or not 0 <= serial <= _LAST_SERIAL:
        raise _error("unreadable")
    if date1904:
        return _checked(_EPOCH_1904 + timedelta(days=serial))
    if serial < 1 or int(serial) == _FAKE_LEAP_DAY:
        shown = "29/02/1900" if int(serial) == _FAKE_LEAP_DAY else "00/01/1900"
        raise _error("no_such_day", text=shown)
    shift = 1 if serial < _FAKE_LEAP_DAY else 0
    return _checked(_EPOCH_1900 + timedelta(days=serial + shift))


def _from_text(value: str) -> datetime:
    text = unicodedata.normalize("NFKC", value).strip().upper()
    for pattern, order in ((_DAY_FIRST, (1, 3, 4)), (_YEAR_FIRST, (4, 3, 1))):
        match = pattern.fullmatch(text)
        if match:
            day, month, year = (int(match.group(i)) for i in order)
            moment = _build(day, month, year)
            return datetime.combine(moment, _clock(match.groups()[4:]))
    return _from_other_writing(text)


def _from_other_writing(text: str) -> datetime:
    if _SHORT_YEAR.fullmatch(text):
        raise _error("short_year")
    match = _PACKED.fullmatch(text) or _WORDS.fullmatch(fold(text))
    if not match:
        raise _error("unreadable")
    day, month, year = (int(g) for g in match.groups())
    return datetime.combine(_build(day, month, year), time())


def _build(day: int, month: int, year: int) -> date:
    if month > 12:
        if day <= 12:
            raise _error("month_first", month=month)
        raise _error("no_such_day", text=f"{day:02d}/{month:02d}/{year}")
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise _error("out_of_range", year=year)
    try:
        return date(year, month, day)
    except ValueError:
        raise _error("no_such_day",
                     text=f"{day:02d}/{month:02d}/{year}") from None


def _clock(parts: tuple) -> time:
    hour, minute, second, half = parts
    if hour is None:
        return time()
    hour, minute, second = int(hour), int(minute), int(second or 0)
    if half in ("CH", "PM") and hour < 12:
        hour += 12
    elif half in ("SA", "AM") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        raise _error("unreadable")
    return time(hour, minute, second)


def _checked(moment: datetime) -> datetime:
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise _error("out_of_range", year=moment.year)
    return moment


def _error(case: str, **values: object) -> VnValueError:
    code, message = MESSAGES[case]
    return VnValueError(code, message.format(**values))
