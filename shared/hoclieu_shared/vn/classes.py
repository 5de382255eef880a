"""Class names: "Lớp 6A1", "6a1" and " 6 A1 " are all the class "6A1"."""

import re

from .errors import VnValueError
from .text import clean_text, fold, nfc

LOWEST_GRADE = 6
HIGHEST_GRADE = 12
_LEADING_NUMBER = re.compile(r"\d+")
_AFTER_WORD = " :.-–"

MESSAGES = {
    "class_empty": "Chưa ghi lớp.",
    "class_unreadable": "Không đọc được tên lớp; hãy ghi dạng 6A1.",
}


def normalize_class_name(raw: object) -> str:
    """The canonical class name: no "Lớp" word, no spaces, upper case."""
    text = _as_text(raw)
    if fold(text[:3]) == "lop" and not text[3:4].isalpha():
        text = text[3:].lstrip(_AFTER_WORD)
    name = nfc("".join(text.split()).upper())
    if not name:
        raise VnValueError("class_empty", MESSAGES["class_empty"])
    return name


def grade_of(class_name: object) -> int | None:
    """The grade (6 to 12) a class belongs to, or None when it shows none."""
    try:
        name = normalize_class_name(class_name)
    except VnValueError:
        return None
    match = _LEADING_NUMBER.match(name)
    grade = int(match.group()) if match else None
    return grade if grade and LOWEST_GRADE <= grade <= HIGHEST_GRADE else None


def _as_text(raw: object) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        raise VnValueError("class_unreadable", MESSAGES["class_unreadable"])
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return clean_text(str(raw))
