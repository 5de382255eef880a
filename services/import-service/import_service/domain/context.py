"""What the check knows about a school: its roster and its package catalogue.

The import-service builds a SchoolContext from its read model (the events of
the activation-service); the check only reads it. Every index is built once,
so checking a row is a handful of dictionary look-ups.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from hoclieu_shared.vn.classes import grade_of, normalize_class_name
from hoclieu_shared.vn.errors import VnValueError
from hoclieu_shared.vn.text import clean_text, fold, name_key


@dataclass(frozen=True)
class RosterStudent:
    """One student of the school as the activation-service last announced."""

    code: str
    full_name: str
    date_of_birth: date | None
    class_name: str
    grade: int | None
    parent_name: str | None = None
    parent_phone: str | None = None
    active_packages: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CataloguePackage:
    """One package of the catalogue, for one school year."""

    code: str
    name: str
    school_year: str
    grades: tuple[int, ...]
    on_sale: bool = True


@dataclass(frozen=True)
class SchoolContext:
    """The roster and catalogue a sheet is checked against, with its indexes."""

    school_code: str
    school_year: str
    students: Sequence[RosterStudent]
    packages: Sequence[CataloguePackage]
    _index: "_Indexes" = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", _Indexes(self.students, self.packages))

    def student_by_code(self, raw: str) -> RosterStudent | None:
        """The student with this code, also when its leading zeros were lost."""
        index = self._index
        found = index.by_code.get(raw)
        if found is None and raw.isdigit():
            found = index.by_bare_code.get(raw.lstrip("0"))
        return found

    def students_named(self, class_key: str, name: str) -> tuple[RosterStudent, ...]:
        """Students of a class whose name is exactly this one (NFC, case, spaces)."""
        return self._index.by_class_name.get((class_key, name_key(name)), ())

    def students_folded(self, class_key: str, name: str) -> tuple[RosterStudent, ...]:
        """Students of a class whose name matches once diacritics are ignored."""
        return self._index.by_class_fold.get((class_key, fold(name)), ())

    def students_of(self, class_key: str) -> tuple[RosterStudent, ...]:
        """Every student of a class, in roster order."""
        return self._index.by_class.get(class_key, ())

    def classes_with_name(self, name: str) -> tuple[str, ...]:
        """Classes (sorted) where a student of exactly this name studies."""
        return self._index.classes_by_name.get(name_key(name), ())

    def has_class(self, class_key: str) -> bool:
        """True when some student of the roster is in this class."""
        return class_key in self._index.by_class

    def package(self, code: str) -> CataloguePackage | None:
        """The package with this code (case- and diacritics-insensitive)."""
        return self._index.packages_by_code.get(fold(code))

    def package_by_name(self, name: str) -> CataloguePackage | None:
        """The package whose name or code matches this text once folded."""
        key = fold(name)
        index = self._index
        return index.packages_by_name.get(key) or index.packages_by_code.get(key)

    @property
    def package_labels(self) -> tuple[tuple[tuple[str, ...], CataloguePackage], ...]:
        """Word sequences of every package name and code, longest first."""
        return self._index.labels


def class_key(raw: object) -> str | None:
    """The canonical class name of a cell, or None when it names no class."""
    try:
        return normalize_class_name(raw)
    except VnValueError:
        return None


def grade_of_student(student: RosterStudent) -> int | None:
    """The student's grade, from the roster or else from the class name."""
    return student.grade if student.grade is not None else grade_of(student.class_name)


def words(text: str) -> tuple[str, ...]:
    """The folded words of a text, punctuation dropped: "Toán, Văn" -> toan van."""
    folded = fold(text)
    cleaned = "".join(ch if ch.isalnum() else " " for ch in folded)
    return tuple(cleaned.split())


class _Indexes:
    """Look-up tables over the roster and the catalogue, built once."""

    def __init__(self, students, packages) -> None:
        self.by_code: dict[str, RosterStudent] = {}
        self.by_bare_code: dict[str, RosterStudent] = {}
        self.by_class_name: dict[tuple, tuple[RosterStudent, ...]] = {}
        self.by_class_fold: dict[tuple, tuple[RosterStudent, ...]] = {}
        self.classes_by_name: dict[str, tuple[str, ...]] = {}
        self.by_class: dict[str, tuple[RosterStudent, ...]] = {}
        for student in students:
            self._add_student(student)
        self._index_packages(packages)

    def _add_student(self, student: RosterStudent) -> None:
        code = clean_text(student.code)
        self.by_code[code] = student
        if code.isdigit():
            self.by_bare_code.setdefault(code.lstrip("0"), student)
        klass = class_key(student.class_name) or ""
        self.by_class[klass] = (*self.by_class.get(klass, ()), student)
        exact = name_key(student.full_name)
        _append(self.by_class_name, (klass, exact), student)
        _append(self.by_class_fold, (klass, fold(student.full_name)), student)
        seen = self.classes_by_name.get(exact, ())
        if klass not in seen:
            self.classes_by_name[exact] = tuple(sorted((*seen, klass)))

    def _index_packages(self, packages) -> None:
        self.packages_by_code = {fold(p.code): p for p in packages}
        self.packages_by_name = {fold(p.name): p for p in packages}
        labels = [(words(p.name), p) for p in packages]
        labels += [(words(p.code), p) for p in packages]
        labels = [(seq, p) for seq, p in labels if seq]
        self.labels = tuple(sorted(labels, key=lambda item: -len(item[0])))


def _append(index: dict, key: tuple, student: RosterStudent) -> None:
    index[key] = (*index.get(key, ()), student)
