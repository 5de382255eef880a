"""Recognising the system's own registration template from its hidden sheet.

The template-service writes the sheet (see hoclieu_shared.sheets.
template_keys): key rows, then sections of rows, each introduced by a marker
row. read_template_keys turns it into plain, JSON-safe data with 0-based
rows and columns, the convention of ColumnMapping.
"""

from hoclieu_shared.sheets import template_keys as keys
from hoclieu_shared.vn.text import fold
from openpyxl.utils.cell import column_index_from_string

from .context import SchoolContext
from .issues import text_of

# Field keys of the hidden sheet that the check reads; the rest (STT, the
# signature column) are there for people only.
FIELD_LABELS = {
    keys.FIELD_STUDENT_CODE: keys.HEADER_STUDENT_CODE,
    keys.FIELD_FULL_NAME: keys.HEADER_FULL_NAME,
    keys.FIELD_BIRTH_DATE: keys.HEADER_BIRTH_DATE,
    keys.FIELD_CLASS: keys.HEADER_CLASS,
    keys.FIELD_PARENT_NAME: keys.HEADER_PARENT_NAME,
    keys.FIELD_PARENT_PHONE: keys.HEADER_PARENT_PHONE,
    keys.FIELD_NOTES: keys.HEADER_NOTES,
}
_MARKERS = (
    keys.SHEETS_MARKER,
    keys.CLASSES_MARKER,
    keys.FIELD_COLUMNS_MARKER,
    keys.COLUMNS_MARKER,
)
_SCALARS = (keys.KEY_SCHOOL_CODE, keys.KEY_SCHOOL_YEAR, keys.KEY_LAYOUT)


def read_template_keys(rows: list[list]) -> dict | None:
    """The hidden sheet's content, or None when it is not one we can read.

    {"template_version", "school_code", "school_year", "layout",
     "tick_choices": [...], "sheets": {name: {"header_row": 0-based,
     "fields": {field: column}, "packages": {"column": code}}}}
    """
    found: dict = {"sheets": {}, "tick_choices": []}
    section = None
    for row in rows:
        cells = [text_of(value) for value in row]
        if not cells or not cells[0]:
            continue
        if cells[0] in _MARKERS:
            section = cells[0]
        elif section is None:
            _read_key(found, cells)
        else:
            _read_section_row(found, section, cells)
    return found if _usable(found) else None


def _read_key(found: dict, cells: list[str]) -> None:
    key, values = cells[0], [c for c in cells[1:] if c]
    if key == keys.KEY_TEMPLATE_VERSION and values:
        found["template_version"] = _number(values[0])
    elif key == keys.KEY_TICK_CHOICES:
        found["tick_choices"] = values
    elif key in _SCALARS and values:
        found[key] = values[0]


def _read_section_row(found: dict, section: str, cells: list[str]) -> None:
    if section == keys.SHEETS_MARKER:
        _sheet(found, cells[0], cells[1:2])
    elif section in (keys.FIELD_COLUMNS_MARKER, keys.COLUMNS_MARKER):
        _column_row(found, section, cells)


def _column_row(found: dict, section: str, cells: list[str]) -> None:
    cells = cells + [""] * (5 - len(cells))
    sheet_name, header, letter, key, index = cells[:5]
    sheet = _sheet(found, sheet_name, [header])
    column = _column(letter, index)
    if sheet is None or column is None or not key:
        return
    if section == keys.COLUMNS_MARKER:
        sheet["packages"][str(column)] = key
    elif key in FIELD_LABELS:
        sheet["fields"][key] = column


def _sheet(found: dict, name: str, header: list[str]) -> dict | None:
    row = _number(header[0]) if header else None
    if not name or row is None or row < 1:
        return None
    entry = found["sheets"].setdefault(
        name, {"header_row": row - 1, "fields": {}, "packages": {}}
    )
    return entry


def _column(letter: str, index: str) -> int | None:
    number = _number(index)
    if number is not None and number >= 1:
        return number - 1
    try:
        return column_index_from_string(letter.upper()) - 1
    except ValueError:
        return None


def _number(text: str) -> int | None:
    try:
        return int(float(text))
    except (TypeError, ValueError):
        return None


def _usable(found: dict) -> bool:
    version = found.get("template_version")
    return (
        version is not None
        and 1 <= version <= keys.TEMPLATE_VERSION
        and bool(found.get("school_code"))
        and any(sheet["fields"] for sheet in found["sheets"].values())
    )


def template_sheet(
    head_rows: list[list], context: SchoolContext, found: dict, sheet_name=None
) -> dict | None:
    """The hidden sheet's entry whose header matches these rows, or None."""
    sheets = found["sheets"]
    names = [sheet_name] if sheet_name in sheets else list(sheets)
    for name in names:
        if _header_matches(head_rows, sheets[name], context):
            return sheets[name]
    return None


def _header_matches(head_rows: list[list], sheet: dict, context) -> bool:
    row = sheet["header_row"]
    if row >= len(head_rows):
        return False
    header = [fold(text_of(value)) for value in head_rows[row]]
    return _fields_match(header, sheet["fields"]) and _packages_match(
        header, sheet["packages"], context
    )


def _fields_match(header: list[str], fields: dict[str, int]) -> bool:
    return all(
        column < len(header) and header[column] == fold(FIELD_LABELS[field])
        for field, column in fields.items()
    )


def _packages_match(header: list[str], packages: dict[str, str], context) -> bool:
    for column, code in packages.items():
        index = int(column)
        if index >= len(header) or not header[index]:
            return False
        package = context.package(code)
        if package is not None and not header[index].startswith(fold(package.name)):
            return False
    return True


def template_problems(found: dict, context: SchoolContext) -> list[str]:
    """Why a recognised template cannot be trusted for this school and year."""
    problems = []
    if found.get("school_code") != context.school_code:
        problems.append(
            f"Tệp là mẫu đăng ký của trường mã {found.get('school_code')}, "
            f"không phải của trường {context.school_code}."
        )
    if found.get("school_year") != context.school_year:
        problems.append(
            f"Tệp là mẫu của năm học {found.get('school_year')}, "
            f"không phải năm học {context.school_year}."
        )
    return problems
