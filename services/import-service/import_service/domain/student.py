"""Which student of the roster a row is about.

By Mã học sinh when the row has one (also when Excel turned it into a number
and dropped its leading zeros); otherwise by the exact name within the
class, with the birth date to break ties.

A code wins over the name written beside it, except when that name is
clearly another person's: then the code was probably mistyped, and
activating packages on the wrong child's account is worse than asking.
A small spelling difference, or another class (students move), is a note.
"""

from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher, get_close_matches

from hoclieu_shared.vn.numbers import format_date
from hoclieu_shared.vn.text import fold, name_key

from .context import RosterStudent, SchoolContext, class_key
from .issues import quoted, text_of

# Folded names at least this similar are the same name with a typo.
SAME_NAME_RATIO = 0.8
# A name this close to a classmate's is offered as "did you mean".
CLOSE_RATIO = 0.85


@dataclass(frozen=True, slots=True)
class Identity:
    """What a row says about its student: code text, the name cell as written."""

    code: str
    raw_name: object
    class_raw: str
    birth: date | None

    @property
    def name(self) -> str:
        """The written name, trimmed and NFC."""
        return text_of(self.raw_name)


@dataclass(slots=True)
class Match:
    """The student found (or not), the problem and the notes to show."""

    student: RosterStudent | None = None
    code: str | None = None
    column: str | None = None
    detail: str | None = None
    notes: list[str] = field(default_factory=list)


class StudentFinder:
    """Finds students of one school; caches class names (they repeat)."""

    def __init__(self, context: SchoolContext) -> None:
        self.context = context
        self._classes: dict[str, str | None] = {}

    def class_of(self, raw: str) -> str | None:
        """Canonical class name of a cell text, cached."""
        if raw not in self._classes:
            self._classes[raw] = class_key(raw) if raw else None
        return self._classes[raw]

    def find(self, who: Identity) -> Match:
        """The student a row is about, or why none could be chosen."""
        if who.code:
            return self._by_code(who)
        if not who.name:
            return _problem("full_name", "student_missing", _MISSING)
        return self._by_name(who)

    def _by_code(self, who: Identity) -> Match:
        student = self.context.student_by_code(who.code)
        if student is None:
            return self._unknown_code(who)
        match = Match(student)
        if who.code != student.code:
            match.notes.append(f"Đã hiểu mã {who.code} là {student.code}.")
        self._compare_name(who, student, match)
        if match.detail is None:
            self._compare_class(who, student, match)
            _compare_birth(who, student, match)
        return match

    def _unknown_code(self, who: Identity) -> Match:
        detail = f"Không có học sinh nào mang mã {who.code} trong danh sách trường."
        found = self._by_name(who).student if who.name else None
        if found is not None:
            detail += f" Có phải học sinh {found.full_name} (mã {found.code})?"
        return _problem("student_code", "student_code_unknown", detail)

    def _compare_name(self, who, student: RosterStudent, match: Match) -> None:
        # Most sheets carry the roster's own spelling: compare it first.
        if who.raw_name == student.full_name or not who.name:
            return
        if name_key(who.name) == name_key(student.full_name):
            return
        if _similar(who.name, student.full_name):
            match.notes.append(
                f"Tên ghi {quoted(who.name)} khác tên trong hồ sơ "
                f"{quoted(student.full_name)}; đã nhận theo mã học sinh."
            )
            return
        match.column, match.code = "student_code", "student_code_mismatch"
        match.detail = (
            f"Mã {who.code} là của học sinh {student.full_name} "
            f"({student.class_name}), không phải {quoted(who.name)}. "
            "Hãy kiểm tra lại mã học sinh hoặc họ tên."
        )
        match.student = None

    def _compare_class(self, who, student: RosterStudent, match: Match) -> None:
        written = self.class_of(who.class_raw)
        if written and written != self.class_of(student.class_name):
            match.notes.append(
                f"Lớp ghi {written} nhưng hồ sơ ghi {student.class_name}; "
                "đã nhận theo mã học sinh."
            )

    def _by_name(self, who: Identity) -> Match:
        klass = self.class_of(who.class_raw)
        if klass is None:
            return _problem("class_name", "class_missing", _NO_CLASS)
        if not self.context.has_class(klass):
            detail = f"Trường không có lớp {klass} trong danh sách học sinh."
            return _problem("class_name", "class_unknown", detail)
        found = self.context.students_named(klass, who.name)
        if len(found) > 1 and who.birth is not None:
            found = tuple(s for s in found if s.date_of_birth == who.birth) or found
        if len(found) == 1:
            return Match(found[0])
        if found:
            return _problem("full_name", "student_ambiguous", _ambiguous(klass, found))
        return _problem("full_name", "student_not_found", self._not_found(klass, who))

    def _not_found(self, klass: str, who: Identity) -> str:
        detail = f"Lớp {klass} không có học sinh tên {quoted(who.name)}."
        similar = self.context.students_folded(klass, who.name)
        if similar:
            names = ", ".join(s.full_name for s in similar)
            return f"{detail} Có phải: {names}?"
        elsewhere = self.context.classes_with_name(who.name)
        if elsewhere:
            return f"{detail} Có học sinh tên này ở lớp {', '.join(elsewhere)}."
        close = self._close_names(klass, who.name)
        if close:
            return f"{detail} Có phải: {', '.join(close)}?"
        return detail + " Hãy ghi đúng họ tên như trong danh sách lớp."

    def _close_names(self, klass: str, name: str) -> list[str]:
        # A typo ("Nghĩe" for "Nghĩa") is worth a hint too, when it is close.
        classmates = self.context.students_of(klass)
        names = {fold(s.full_name): s.full_name for s in classmates}
        close = get_close_matches(fold(name), list(names), n=2, cutoff=CLOSE_RATIO)
        return [names[key] for key in close]


_MISSING = "Chưa ghi họ tên hoặc mã học sinh."
_NO_CLASS = "Chưa ghi lớp (ví dụ 6A1); cần lớp để tìm học sinh theo họ tên."


def read_identity(code, name, klass, birth: date | None) -> Identity:
    """The identity cells of a row (the name is cleaned only when needed)."""
    return Identity(text_of(code), name or "", text_of(klass), birth)


def _problem(column: str, code: str, detail: str) -> Match:
    return Match(None, code, column, detail)


def _similar(written: str, on_file: str) -> bool:
    ratio = SequenceMatcher(None, fold(written), fold(on_file)).ratio()
    return ratio >= SAME_NAME_RATIO


def _compare_birth(who: Identity, student: RosterStudent, match: Match) -> None:
    if who.birth and student.date_of_birth and who.birth != student.date_of_birth:
        match.notes.append(
            f"Ngày sinh ghi {format_date(who.birth)} khác hồ sơ "
            f"{format_date(student.date_of_birth)}; đã nhận theo mã học sinh."
        )


def _ambiguous(klass: str, found: tuple[RosterStudent, ...]) -> str:
    codes = ", ".join(s.code for s in found)
    return (
        f"Lớp {klass} có {len(found)} học sinh cùng tên (mã {codes}); "
        "hãy ghi mã học sinh hoặc ngày sinh để phân biệt."
    )
