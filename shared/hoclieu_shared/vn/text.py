"""Vietnamese text: normal forms, comparison keys, sort keys and log masks."""

import re
import unicodedata
from functools import lru_cache

# Invisible characters that copy-paste from web pages and forms leaves behind.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff]")
_D_BAR = str.maketrans({"đ": "d", "Đ": "D"})
_TONES = "\u0300\u0301\u0303\u0309\u0323"
# "hòa" and "hoà", "thủy" and "thuỷ" are the same name typed with the old
# and the new tone placement; keys put the tone on the second vowel.
_TONE_ON_FIRST = re.compile(
    f"(o)([{_TONES}])([ae])(?![\\w\u0300-\u036f])"
    f"|(u)([{_TONES}])(y)(?![\\w\u0300-\u036f])"
)
_NUMBER_RUNS = re.compile(r"(\d+)")


def nfc(text: str) -> str:
    """The text in Unicode NFC, the form every stored name uses."""
    return unicodedata.normalize("NFC", text)


def clean_text(text: str) -> str:
    """NFC, without invisible characters, spaces collapsed and trimmed."""
    return " ".join(nfc(text).translate(_INVISIBLE).split())


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """A key that ignores diacritics, case and spacing: "Lớp  6A1" -> "lop 6a1"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_INVISIBLE))
    bare = _MARKS.sub("", decomposed).translate(_D_BAR)
    return " ".join(bare.casefold().split())


def name_key(text: str) -> str:
    """A key for exact names: NFC, spacing and case folded, diacritics kept."""
    lowered = unicodedata.normalize("NFD", clean_text(text).casefold())
    return nfc(_TONE_ON_FIRST.sub(_tone_to_second, lowered))


def _tone_to_second(match: re.Match) -> str:
    groups = [g for g in match.groups() if g is not None]
    first, tone, second = groups
    return first + second + tone


def natural_key(text: str) -> tuple:
    """A sort key where numbers count as numbers: "6A2" sorts before "6A10"."""
    parts = _NUMBER_RUNS.split(fold(text))
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))


def mask_name(name: str) -> str:
    """A person's name for logs: "Nguyễn Văn An" -> "N*** V*** A***"."""
    return " ".join(word[0] + "***" for word in clean_text(name).split())


def mask_phone(phone: object) -> str:
    """A phone number for logs, only the last three digits shown."""
    digits = "".join(ch for ch in str(phone) if ch.isdigit())
    if len(digits) < 6:
        return "***"
    return "*" * (len(digits) - 3) + digits[-3:]
