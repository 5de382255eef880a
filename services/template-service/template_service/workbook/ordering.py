"""Class identity, Vietnamese name order and Excel-safe sheet names."""

import re
import unicodedata
from functools import lru_cache

from hoclieu_shared.vn.classes import normalize_class_name
from hoclieu_shared.vn.errors import VnValueError

_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
# Dictionary order of the tones: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
SHEET_NAME_MAX = 31


def class_key(name: str) -> str:
    """Identity of a class name: "Lớp 6a1" and "6 A1" are both "6A1"."""
    try:
        return normalize_class_name(name)
    except VnValueError:
        return ""


@lru_cache(maxsize=512)
def _letter(char: str) -> tuple[int, int]:
    decomposed = unicodedata.normalize("NFD", char)
    tone = next((_TONES[m] for m in decomposed if m in _TONES), 0)
    shape = "".join(m for m in decomposed if m not in _TONES)
    base = unicodedata.normalize("NFC", shape)
    rank = _ALPHABET.find(base)
    return (rank if rank >= 0 else 100 + ord(base[0]), tone)


def _word_key(word: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    letters = [_letter(c) for c in word.casefold()]
    return tuple(r for r, _ in letters), tuple(t for _, t in letters)


def student_name_key(full_name: str) -> tuple:
    """Vietnamese class-list order: given name first, then family names."""
    words = unicodedata.normalize("NFC", full_name).split()
    given = words[-1] if words else ""
    return _word_key(given), _word_key(" ".join(words[:-1]))


def sheet_names(wanted: list[str], reserved: set[str]) -> list[str]:
    """Excel-safe, unique (case-insensitively) sheet names, in order."""
    taken = {name.casefold() for name in reserved}
    return [_claim(_clean_sheet_name(name), taken) for name in wanted]


def _clean_sheet_name(name: str) -> str:
    cleaned = _SHEET_FORBIDDEN.sub("-", name).strip().strip("'").strip()
    return cleaned[:SHEET_NAME_MAX] or "Lớp"


def _claim(name: str, taken: set[str]) -> str:
    candidate, number = name, 1
    while candidate.casefold() in taken or candidate.casefold() == "history":
        number += 1
        suffix = f" ({number})"
        candidate = name[: SHEET_NAME_MAX - len(suffix)] + suffix
    taken.add(candidate.casefold())
    return candidate
