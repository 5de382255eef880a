"""The user-facing errors of the activation-service: stable code, Vietnamese text."""

from __future__ import annotations

from hoclieu_shared.errors import AppError, Conflict, NotFound


def school_not_found(code: str) -> NotFound:
    return NotFound("school_not_found", f"Không tìm thấy trường có mã {code}.")


def school_exists(code: str) -> Conflict:
    return Conflict("school_exists", f"Trường có mã {code} đã tồn tại.")


def student_not_found(code: str) -> NotFound:
    return NotFound("student_not_found",
                    f"Không tìm thấy học sinh có mã {code} trong trường.")


def class_not_found(name: str) -> NotFound:
    return NotFound("class_not_found", f"Trường không có lớp {name}.")


def account_not_found(student_code: str) -> NotFound:
    return NotFound("account_not_found",
                    f"Học sinh {student_code} chưa có tài khoản Ôn tập.")


def school_year_unknown() -> AppError:
    return AppError("school_year_unknown",
                    "Chưa có năm học nào trong danh mục gói học liệu.",
                    status=409)


def invalid_school_year(value: str) -> AppError:
    return AppError("invalid_school_year",
                    f"Năm học \"{value}\" không hợp lệ; hãy viết dạng 2025-2026.",
                    status=422)


def parent_required(field: str, message: str) -> AppError:
    return AppError(f"{field}_required", message, status=422)


def package_code_mismatch(path_code: str, body_code: str) -> AppError:
    return AppError("package_code_mismatch",
                    f"Mã gói trong đường dẫn ({path_code}) khác mã gói trong "
                    f"nội dung ({body_code}).", status=422)


def invalid_phone(message: str) -> AppError:
    return AppError("invalid_phone", message, status=422)


def packages_refused(problems: list[dict]) -> AppError:
    return AppError("packages_not_allowed",
                    "Có gói học liệu không kích hoạt được cho học sinh này.",
                    status=422, details=problems)
