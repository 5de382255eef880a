"""The Vietnamese text of an activation notification."""

from __future__ import annotations

from collections.abc import Sequence

from .model import ActivatedPackage, Message

NEXT_STEP = "Em hãy vào mục Khóa học để kích hoạt và bắt đầu học."
MAX_COURSES_SHOWN = 8
MAX_TITLE_LENGTH = 300


def compose(packages: Sequence[ActivatedPackage]) -> Message:
    """Title and body naming the packages, their courses and the next step."""
    distinct = unique_packages(packages)
    if not distinct:
        raise ValueError("a notification needs at least one package")
    if len(distinct) == 1:
        return _single(distinct[0])
    return _several(distinct)


def unique_packages(packages: Sequence[ActivatedPackage]) -> list[ActivatedPackage]:
    """Each package code once, in the order it was activated."""
    seen: dict[str, ActivatedPackage] = {}
    for package in packages:
        seen.setdefault(package.package_code, package)
    return list(seen.values())


def _single(package: ActivatedPackage) -> Message:
    title = f"Đã kích hoạt gói học liệu «{package.package_name}»"
    lines = [
        f"Gói học liệu «{package.package_name}» đã được kích hoạt "
        "trong tài khoản Ôn tập của em."
    ]
    if package.courses:
        lines.append(f"Các khóa học trong gói: {courses_text(package.courses)}.")
    lines.append(NEXT_STEP)
    return Message(title[:MAX_TITLE_LENGTH], "\n".join(lines))


def _several(packages: list[ActivatedPackage]) -> Message:
    title = f"Đã kích hoạt {len(packages)} gói học liệu"
    lines = ["Các gói học liệu sau đã được kích hoạt trong tài khoản Ôn tập của em:"]
    for package in packages:
        line = f"• {package.package_name}"
        if package.courses:
            line += f" — khóa học: {courses_text(package.courses)}"
        lines.append(line)
    lines.append(NEXT_STEP)
    return Message(title, "\n".join(lines))


def courses_text(courses: Sequence[str]) -> str:
    """Course names joined with commas, the tail summarised when long."""
    shown = ", ".join(courses[:MAX_COURSES_SHOWN])
    rest = len(courses) - MAX_COURSES_SHOWN
    if rest > 0:
        shown += f" và {rest} khóa học khác"
    return shown
