"""Guessing which column holds what, from the first rows of a sheet.

The system's own template is recognised exactly from its hidden sheet.
Anything else is read by its headers (aliases, folded) and, for a Google
Forms checkbox question, by its answers: the column whose cells read as
catalogue packages. The guess is "certain" only when nothing was left to
doubt; otherwise `problems` says, in Vietnamese, what the user should check.
"""

from dataclasses import dataclass, field

from hoclieu_shared.sheets import template_keys as keys
from hoclieu_shared.sheets.headers import find_header, map_columns

from .context import SchoolContext
from .headers import COLUMN_SPECS, header_words, is_ignored
from .issues import letter, quoted, text_of
from .packages import ListReader
from .records import own_columns
from .template import template_problems, template_sheet

# Enough data rows under a header to judge a column by its answers.
SAMPLE_ROWS = 30
LIST_SHARE = 0.5
_TEMPLATE_FIELDS = {
    keys.FIELD_STUDENT_CODE: "student_code",
    keys.FIELD_FULL_NAME: "full_name",
    keys.FIELD_BIRTH_DATE: "date_of_birth",
    keys.FIELD_CLASS: "class_name",
    keys.FIELD_PARENT_NAME: "parent_name",
    keys.FIELD_PARENT_PHONE: "parent_phone",
    keys.FIELD_NOTES: "notes",
}


@dataclass
class Proposal:
    """The parts of a ColumnMapping, while they are being worked out."""

    kind: str = "plain"
    header_row: int = 0
    columns: dict[str, int] = field(default_factory=dict)
    package_columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[int] = field(default_factory=list)
    certain: bool = False
    problems: list[str] = field(default_factory=list)
    # Columns no header explained, until their answers are looked at.
    unknown: dict[int, str] = field(default_factory=dict, repr=False)


def propose(
    head_rows: list[list], context: SchoolContext, found_keys: dict | None, sheet_name
) -> Proposal:
    """The best guess of the columns of a sheet from its first rows."""
    problems: list[str] = []
    if found_keys:
        sheet = template_sheet(head_rows, context, found_keys, sheet_name)
        if sheet is not None:
            problems = template_problems(found_keys, context)
            return _from_template(head_rows, sheet, problems)
        problems.append(_CHANGED_TEMPLATE)
    proposal = _from_headers(head_rows, context)
    proposal.problems[:0] = problems
    proposal.certain = proposal.certain and not problems
    return proposal


_CHANGED_TEMPLATE = (
    "Tệp là mẫu đăng ký của hệ thống nhưng các cột đã bị thêm, xoá hoặc đổi "
    "tên; hãy kiểm tra lại cột nào là thông tin nào."
)


def _from_template(head_rows, sheet: dict, problems: list[str]) -> Proposal:
    row = sheet["header_row"]
    columns = {
        _TEMPLATE_FIELDS[key]: column
        for key, column in sheet["fields"].items()
        if key in _TEMPLATE_FIELDS
    }
    return Proposal(
        kind="template",
        header_row=row,
        columns=columns,
        package_columns=dict(sheet["packages"]),
        ignored_columns=own_columns(head_rows[row]),
        certain=not problems,
        problems=problems,
    )


def _from_headers(head_rows: list[list], context: SchoolContext) -> Proposal:
    reader = ListReader(context)
    found = find_header(head_rows, COLUMN_SPECS, search_rows=len(head_rows))
    if found.row_index is None:
        return Proposal(problems=[_NO_HEADER])
    row = found.row_index
    proposal = Proposal(header_row=row)
    header = head_rows[row]
    proposal.ignored_columns = own_columns(header)
    _map_header(proposal, header, reader)
    _find_list_column(proposal, head_rows[row + 1 : row + 1 + SAMPLE_ROWS], reader)
    _judge(proposal)
    return proposal


_NO_HEADER = (
    "Không tìm thấy dòng tiêu đề (Mã học sinh, Họ và tên, Lớp, các gói…) trong "
    "40 dòng đầu; hãy chọn dòng tiêu đề và cột của từng thông tin."
)


def _map_header(proposal: Proposal, header: list, reader: ListReader) -> None:
    """Package columns first (their names may hold words like "lớp"), then fields."""
    skip = set(proposal.ignored_columns)
    for column, value in enumerate(header):
        package = None if column in skip else _package_of(value, reader)
        if package is not None:
            proposal.package_columns[str(column)] = package.code
            skip.add(column)
    rest = [None if i in skip else value for i, value in enumerate(header)]
    found = map_columns(rest, COLUMN_SPECS, row_index=proposal.header_row)
    proposal.columns = dict(found.columns)
    for named, columns in found.ambiguous.items():
        proposal.problems.append(_twice(named, columns))
    for column in found.unmapped:
        if not is_ignored(header_words(header[column])):
            proposal.unknown[column] = _unknown_column(column, header[column])


def _package_of(value: object, reader: ListReader):
    """The one package a header names ("Toán tư duy 6 (120.000đ)"), or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    reading = reader.read(value)
    if len(reading.packages) == 1 and not reading.unknown:
        return reading.packages[0]
    return None


def _unknown_column(column: int, value) -> str:
    return (
        f"Cột {letter(column)} {quoted(text_of(value))} không khớp thông tin nào "
        "hay gói nào trong danh mục; cột này sẽ bị bỏ qua nếu không chọn lại."
    )


def _twice(named: str, columns: tuple[int, ...]) -> str:
    letters = ", ".join(letter(column) for column in columns)
    return (
        f"Các cột {letters} đều giống cột “{FIELD_LABELS[named]}”; đang dùng "
        f"cột {letter(columns[0])}, hãy kiểm tra lại."
    )


def _find_list_column(proposal: Proposal, data: list[list], reader) -> None:
    """A column of answers that read as packages is the checkbox question."""
    if proposal.package_columns or "package_list" in proposal.columns:
        return
    shares = {}
    for column in range(max((len(row) for row in data), default=0)):
        cells = [row[column] for row in data if column < len(row) and row[column]]
        listed = [c for c in cells if _reads_as_packages(c, reader)]
        if cells and len(listed) / len(cells) >= LIST_SHARE:
            shares[column] = len(listed) / len(cells)
    if shares:
        column = max(shares, key=shares.get)
        proposal.columns = {k: v for k, v in proposal.columns.items() if v != column}
        proposal.columns["package_list"] = column


def _reads_as_packages(value: object, reader: ListReader) -> bool:
    if not isinstance(value, str):
        return False
    reading = reader.read(value)
    return bool(reading.packages) and not reading.unknown


def _judge(proposal: Proposal) -> None:
    columns = proposal.columns
    listed = columns.get("package_list")
    proposal.problems += [m for c, m in proposal.unknown.items() if c != listed]
    if "submitted_at" in columns:
        proposal.kind = "google-form"
    elif proposal.package_columns:
        proposal.kind = "retyped"
    by_name = {"full_name", "class_name"} <= columns.keys()
    if "student_code" not in columns and not by_name:
        proposal.problems.append(_NO_STUDENT)
    if not proposal.package_columns and "package_list" not in columns:
        proposal.problems.append(_NO_PACKAGES)
    proposal.certain = not proposal.problems


_NO_STUDENT = (
    "Không tìm thấy cột Mã học sinh, hoặc cột Họ và tên cùng cột Lớp; hãy chọn "
    "các cột này để nhận ra học sinh."
)
_NO_PACKAGES = (
    "Không tìm thấy cột gói học liệu nào (cột mang tên gói, hoặc cột liệt kê "
    "các gói đã chọn); hãy chọn các cột gói."
)
FIELD_LABELS = {
    "student_code": "Mã học sinh",
    "full_name": "Họ và tên",
    "date_of_birth": "Ngày sinh",
    "class_name": "Lớp",
    "parent_name": "Họ tên phụ huynh",
    "parent_phone": "Số điện thoại",
    "submitted_at": "Dấu thời gian",
    "package_list": "Gói đăng ký",
    "notes": "Ghi chú",
}
