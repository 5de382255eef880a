"""Column headers of registration sheets, as people and Google Forms write them.

hoclieu_shared.sheets.headers finds the header row and matches these
aliases (folded: no diacritics, case or extra spaces); an alias may also be
found inside a longer header as whole words ("Số điện thoại phụ huynh
(bắt buộc)"). No field is marked required there: a student is found by
code or by name and class, which the proposal judges itself.
"""

from hoclieu_shared.sheets.headers import ColumnSpec

from .context import words

# Field -> the headers that name it.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "student_code": (
        "ma hoc sinh", "ma hs", "ma so hoc sinh", "ma dinh danh hoc sinh",
        "ma dinh danh", "ma so", "ma", "student code", "student id",
    ),
    "full_name": (
        "ho va ten hoc sinh", "ho ten hoc sinh", "ten hoc sinh", "ho va ten",
        "ho ten", "hoc sinh", "full name", "student name",
    ),
    "date_of_birth": (
        "ngay thang nam sinh", "ngay sinh", "sinh ngay", "date of birth", "dob",
    ),
    "class_name": ("ten lop", "lop hoc", "lop", "class"),
    "parent_name": (
        "ho va ten phu huynh", "ho ten phu huynh", "ten phu huynh", "phu huynh",
        "ho ten cha me", "ho ten cha/me", "ho ten bo/me", "cha/me", "cha me",
        "nguoi giam ho", "parent name",
    ),
    "parent_phone": (
        "so dien thoai phu huynh", "sdt phu huynh", "dien thoai phu huynh",
        "so dien thoai", "dien thoai", "sdt", "so dt", "dt", "phone",
    ),
    "submitted_at": ("dau thoi gian", "timestamp", "thoi gian gui"),
    "package_list": (
        "dang ky goi hoc lieu", "goi hoc lieu dang ky", "cac goi dang ky",
        "goi dang ky", "goi hoc lieu", "chon goi hoc lieu", "packages",
        "selected packages",
    ),
    "notes": ("ghi chu", "note", "notes"),
}  # fmt: skip
# Headers that are known and carry nothing the check needs.
IGNORED_HEADERS = frozenset(
    {
        "stt", "tt", "so thu tu", "gioi tinh", "phu huynh ky", "chu ky",
        "ky ten", "chu ky phu huynh", "dia chi email", "email", "diem",
        "score", "email address",
    }
)  # fmt: skip

COLUMN_SPECS = tuple(
    ColumnSpec(name, aliases) for name, aliases in FIELD_ALIASES.items()
)


def header_words(value: object) -> tuple[str, ...]:
    """The folded words of a header cell ("" and None give none)."""
    return words(value) if isinstance(value, str) else words(str(value or ""))


def is_ignored(header: tuple[str, ...]) -> bool:
    """True for headers of columns the check does not read."""
    return " ".join(header) in IGNORED_HEADERS
