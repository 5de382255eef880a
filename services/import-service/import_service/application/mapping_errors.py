"""A mapping the user sent back, refused with reasons in Vietnamese.

Pydantic explains a bad mapping in English ("Field required"); the user
fixing columns on the mapping page reads each reason here instead: which
part of the mapping, and what is wrong with it.
"""

from __future__ import annotations

from typing import get_args

from hoclieu_shared.errors import AppError
from pydantic import ValidationError

from ..domain.issues import letter, quoted
from ..domain.mapping import MAX_COLUMN, FieldName, Kind
from ..domain.proposal import FIELD_LABELS

CODE = "invalid_mapping"
MESSAGE = "Cách ghép cột chưa hợp lệ; hãy chọn lại cột cho từng thông tin."
_PARTS = {
    "header_row": "Dòng tiêu đề",
    "kind": "Loại bảng tính",
    "columns": "Các cột thông tin",
    "package_columns": "Các cột gói",
    "ignored_columns": "Các cột bỏ qua",
    "certain": "Đánh dấu đã xác nhận",
    "problems": "Ghi chú về cách ghép",
}
_INTEGER = "phải là một số nguyên."
_PROBLEMS = {
    "missing": "thiếu, cần chọn thông tin này.",
    "int_type": _INTEGER,
    "int_parsing": _INTEGER,
    "int_from_float": _INTEGER,
    "string_type": "phải là chữ.",
    "dict_type": "phải là một bảng dạng {tên: số thứ tự cột}.",
    "list_type": "phải là một danh sách.",
    "bool_type": "phải là true hoặc false.",
    "bool_parsing": "phải là true hoặc false.",
    "extra_forbidden": "không có trong cách ghép cột; hãy bỏ đi.",
}
_ALLOWED = {"columns": get_args(FieldName), "kind": get_args(Kind)}
_COLUMN_LISTS = ("columns", "ignored_columns")


def invalid_mapping(error: ValidationError) -> AppError:
    """The API's error for a mapping pydantic refused, one detail per problem."""
    return _refused([_from_pydantic(e) for e in error.errors()])


def header_row_outside(header_row: int, rows: int) -> AppError:
    """The error for a header row below the last row of the sheet."""
    size = f"sheet chỉ có {rows} dòng" if rows else "sheet không có dòng nào"
    problem = (f"dòng {header_row + 1} nằm ngoài sheet ({size}); hãy chọn "
               "dòng chứa tên các cột.")
    return _refused([_entry("header_row", "invalid_header_row", problem)])


def _refused(details: list[dict]) -> AppError:
    """The invalid_mapping error with the given details."""
    return AppError(CODE, MESSAGE, status=422, details=details)


def _entry(field: str, code: str, problem: str) -> dict:
    """One problem: the mapping's key path, its Vietnamese name and reason."""
    label = _label(field.split(".") if field else [])
    return {"field": field, "label": label, "code": code, "problem": problem,
            "message": f"{label}: {problem}"}


def _from_pydantic(error: dict) -> dict:
    path = [str(part) for part in error["loc"] if part != "[key]"]
    problem = (_unknown_key(path) if "[key]" in error["loc"]
               else _problem(error, path))
    return _entry(".".join(path), error["type"], problem)


def _unknown_key(path: list[str]) -> str:
    allowed = ", ".join(_ALLOWED.get(path[0], ()))  # a key always has a parent
    return f"không có thông tin nào tên {quoted(path[-1], 40)}; chỉ nhận: {allowed}."


def _problem(error: dict, path: list[str]) -> str:
    kind, context = error["type"], error.get("ctx") or {}
    part = path[0] if path else ""
    if kind == "value_error" and "error" in context:
        # The domain's own validators already speak Vietnamese.
        return f"{context['error']}."
    if part in _COLUMN_LISTS and kind.startswith("int"):
        return "phải là số thứ tự cột (số nguyên từ 0)."
    if kind == "greater_than_equal":
        return f"phải là số từ {context.get('ge', 0)} trở lên."
    if kind == "literal_error":
        allowed = ", ".join(_ALLOWED.get(part, ()))
        return f"không dùng được; chỉ nhận một trong: {allowed}."
    return _PROBLEMS.get(kind, "giá trị không hợp lệ.")


def _column_number(text: str) -> bool:
    return text.isdigit() and int(text) <= MAX_COLUMN


def _label(path: list[str]) -> str:
    if not path:
        return "Cách ghép cột"
    head, rest = path[0], path[1:]
    if head == "columns" and rest and rest[0] in FIELD_LABELS:
        return f"Cột «{FIELD_LABELS[rest[0]]}»"
    if head == "package_columns" and rest and _column_number(rest[0]):
        return f"Cột gói (cột {letter(int(rest[0]))})"
    if head == "ignored_columns" and rest and rest[0].isdigit():
        return f"Cột bỏ qua thứ {int(rest[0]) + 1}"
    return _PARTS.get(head) or quoted(head, 40)
