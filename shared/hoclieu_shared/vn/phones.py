"""Vietnamese mobile numbers in any common writing, stored as 10 digits."""

import re
import unicodedata
from dataclasses import dataclass

from .errors import VnValueError
from .text import clean_text

# The 11-digit mobile prefixes that became 10-digit ones in 2018.
OLD_PREFIXES = {
    "0120": "070", "0121": "079", "0122": "077", "0126": "076",
    "0128": "078", "0123": "083", "0124": "084", "0125": "085",
    "0127": "081", "0129": "082", "0162": "032", "0163": "033",
    "0164": "034", "0165": "035", "0166": "036", "0167": "037",
    "0168": "038", "0169": "039", "0186": "056", "0188": "058",
    "0199": "059",
}
MOBILE_PREFIXES = ("03", "05", "07", "08", "09")
_SEPARATORS = re.compile(r"[\s.\-()]+")
_SEVERAL = re.compile(r"[,;/|\n]|\s[-–]\s|\s+(?:hoặc|hoac|or)\s+", re.IGNORECASE)

# Case -> (stable code, Vietnamese message).
MESSAGES = {
    "empty": ("phone_empty", "Chưa có số điện thoại."),
    "unreadable": (
        "phone_unreadable",
        "Không đọc được số điện thoại; hãy ghi dạng 0912 345 678.",
    ),
    "letters": (
        "phone_has_letters",
        (
            "Số điện thoại có chữ cái hoặc ký tự lạ; chỉ ghi các chữ số, "
            "ví dụ 0912 345 678."
        ),
    ),
    "several": ("phone_several", "Ô có nhiều số điện thoại; chỉ ghi một số."),
    "length": (
        "phone_wrong_length",
        (
            "Số điện thoại có {digits} chữ số; số di động Việt Nam có 10 chữ số, "
            "ví dụ 0912 345 678."
        ),
    ),
    "not_mobile": (
        "phone_not_mobile",
        (
            "Không phải số di động Việt Nam (số di động bắt đầu bằng 03, 05, "
            "07, 08 hoặc 09)."
        ),
    ),
    "landline": (
        "phone_not_mobile",
        "Đây là số máy bàn; hãy ghi số di động của phụ huynh.",
    ),
    "foreign": (
        "phone_not_mobile",
        "Số điện thoại nước ngoài; hãy ghi số di động Việt Nam.",
    ),
}


@dataclass(frozen=True)
class PhoneNumber:
    """A mobile number as 10 digits starting with 0, and what was changed."""

    number: str
    note: str | None = None


def normalize_phone(raw: object) -> PhoneNumber:
    """Read a Vietnamese mobile number or raise VnValueError with the reason."""
    text = _as_text(raw)
    if not text:
        raise _error("empty")
    if _is_several(text):
        raise _error("several")
    national = _national_digits(text)
    return _from_national(national)


def _as_text(raw: object) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        raise _error("unreadable")
    if isinstance(raw, (int, float)):
        return _number_text(raw)
    text = clean_text(unicodedata.normalize("NFKC", str(raw)))
    return text.removeprefix("'").strip()


def _number_text(value: float) -> str:
    # Excel keeps a number typed without quotes as a float: 912345678.0.
    whole = not isinstance(value, float) or value.is_integer()
    if not whole or value < 0:
        raise _error("unreadable")
    return str(int(value))


def _is_several(text: str) -> bool:
    parts = _SEVERAL.split(text)
    return sum(_digit_count(p) >= 9 for p in parts if p) >= 2


def _digit_count(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _national_digits(text: str) -> str:
    """The digits after any country code, with the leading 0 put back."""
    plus = text.startswith("+")
    digits = _SEPARATORS.sub("", text.removeprefix("+"))
    if not digits.isdigit() or not digits.isascii():
        raise _error("letters")
    if plus or digits.startswith("0084"):
        return _without_country(digits.removeprefix("00"))
    if digits.startswith("84") and len(digits) in (11, 12):
        return _without_country(digits)
    return _with_leading_zero(digits)


def _without_country(digits: str) -> str:
    if not digits.startswith("84"):
        raise _error("foreign")
    return _with_leading_zero(digits[2:])


def _with_leading_zero(digits: str) -> str:
    # A lost 0: 9 digits of a new number, or 10 digits of an old 01xx one.
    lost_new = len(digits) == 9 and digits[0] in "35789"
    lost_old = len(digits) == 10 and digits[0] == "1"
    return "0" + digits if lost_new or lost_old else digits


def _from_national(digits: str) -> PhoneNumber:
    if len(digits) == 11 and digits.startswith("01"):
        return _from_old_prefix(digits)
    if len(digits) == 11 and digits.startswith("02"):
        raise _error("landline")
    if len(digits) != 10:
        raise _error("length", digits=len(digits))
    if not digits.startswith(MOBILE_PREFIXES):
        raise _error("not_mobile")
    return PhoneNumber(digits)


def _from_old_prefix(digits: str) -> PhoneNumber:
    old = digits[:4]
    new = OLD_PREFIXES.get(old)
    if new is None:
        raise _error("not_mobile")
    note = f"Đã đổi đầu số cũ {old} sang {new} (chuyển đổi năm 2018)."
    return PhoneNumber(new + digits[4:], note)


def _error(case: str, **values: object) -> VnValueError:
    code, message = MESSAGES[case]
    return VnValueError(code, message.format(**values))
