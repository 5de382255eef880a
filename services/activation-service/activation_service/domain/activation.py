"""Which packages a student may have, and which are new."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Package


@dataclass(frozen=True)
class PackageProblem:
    """Why one chosen package cannot be activated."""

    package_code: str
    code: str
    message: str

    def as_dict(self) -> dict:
        return {"package_code": self.package_code, "code": self.code,
                "message": self.message}


def package_problems(codes: list[str], catalogue: dict[str, Package],
                     grade: int, school_year: str) -> list[PackageProblem]:
    """The reasons chosen packages cannot go to a student of this grade."""
    problems = []
    for code in codes:
        problem = _problem(code, catalogue.get(code), grade, school_year)
        if problem:
            problems.append(problem)
    return problems


def _problem(code: str, package: Package | None, grade: int,
             school_year: str) -> PackageProblem | None:
    if package is None:
        return PackageProblem(code, "package_unknown",
                              f"Gói {code} không có trong danh mục năm học "
                              f"{school_year}.")
    if not package.on_sale:
        return PackageProblem(code, "package_not_on_sale",
                              f"Gói \"{package.name}\" hiện không mở bán.")
    if not package.fits(grade):
        return PackageProblem(code, "package_wrong_grade",
                              f"Gói \"{package.name}\" không dành cho khối "
                              f"{grade}.")
    return None


def unique_codes(codes: list[str]) -> list[str]:
    """Package codes trimmed, without repeats, in the order given."""
    seen: dict[str, None] = {}
    for code in codes:
        if code and code.strip():
            seen.setdefault(code.strip(), None)
    return list(seen)
