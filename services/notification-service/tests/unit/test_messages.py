"""The Vietnamese text of activation notifications."""

import uuid
from datetime import UTC, datetime

import pytest

from notification_service.domain.messages import NEXT_STEP, compose
from notification_service.domain.model import ActivatedPackage

WHEN = datetime(2025, 9, 5, 8, 0, tzinfo=UTC)


def package(code: str, name: str, courses=()) -> ActivatedPackage:
    return ActivatedPackage(uuid.uuid4(), code, name, tuple(courses), WHEN)


def test_single_package_names_package_courses_and_next_step():
    message = compose([package("TA6", "Tiếng Anh 6 nâng cao",
                               ["Ngữ pháp 6", "Từ vựng 6"])])

    assert message.title == "Đã kích hoạt gói học liệu «Tiếng Anh 6 nâng cao»"
    assert "Ngữ pháp 6, Từ vựng 6" in message.body
    assert "vào mục Khóa học để kích hoạt và bắt đầu học" in message.body
    assert message.body.endswith(NEXT_STEP)


def test_single_package_without_courses_skips_the_course_line():
    message = compose([package("TA6", "Tiếng Anh 6")])

    assert "Các khóa học" not in message.body


def test_several_packages_are_counted_and_each_listed_once():
    message = compose([package("TA6", "Tiếng Anh 6", ["Nghe"]),
                       package("T10", "Luyện thi vào 10 – Toán"),
                       package("TA6", "Tiếng Anh 6", ["Nghe"])])

    assert message.title == "Đã kích hoạt 2 gói học liệu"
    assert message.body.count("Tiếng Anh 6") == 1
    assert "• Tiếng Anh 6 — khóa học: Nghe" in message.body
    assert "• Luyện thi vào 10 – Toán" in message.body


def test_long_course_list_is_summarised():
    courses = [f"Bài {i}" for i in range(12)]

    message = compose([package("TA6", "Tiếng Anh 6", courses)])

    assert "Bài 7 và 4 khóa học khác" in message.body
    assert "Bài 8" not in message.body


def test_notification_without_package_is_refused():
    with pytest.raises(ValueError):
        compose([])
