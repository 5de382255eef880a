"""Rows of the hidden sheet through which the import recognises the template."""

from openpyxl.utils.cell import get_column_letter, quote_sheetname

from hoclieu_shared.sheets import template_keys as keys

from .layout import SheetPlan
from .model import TemplateRequest

TICK_CHOICES_ROW = 5


def tick_values(request: TemplateRequest) -> tuple[str, ...]:
    """The non-empty tick values offered in the package drop-downs."""
    return tuple(choice for choice in request.tick_choices if choice)


def tick_source(request: TemplateRequest) -> str:
    """Absolute range of the tick values on the hidden sheet."""
    last = get_column_letter(1 + len(tick_values(request)))
    sheet = quote_sheetname(keys.HIDDEN_SHEET)
    return f"{sheet}!$B${TICK_CHOICES_ROW}:${last}${TICK_CHOICES_ROW}"


def hidden_rows(request: TemplateRequest, sheets: list[SheetPlan]) -> list:
    """Every row of the hidden sheet, top to bottom."""
    return [
        *_key_rows(request),
        (keys.SHEETS_MARKER, "header_row", "first_data_row", "last_data_row"),
        *(_sheet_row(sheet) for sheet in sheets),
        (keys.CLASSES_MARKER, "class_name", "grade", "first_row", "last_row"),
        *(row for sheet in sheets for row in _class_rows(sheet)),
        (keys.FIELD_COLUMNS_MARKER, "header_row", "column", "field", "index"),
        *(row for sheet in sheets for row in _field_rows(sheet)),
        (keys.COLUMNS_MARKER, "header_row", "column", "package_code", "index"),
        *(row for sheet in sheets for row in _package_rows(sheet)),
    ]


def _key_rows(request: TemplateRequest) -> list[tuple]:
    return [
        (keys.KEY_TEMPLATE_VERSION, keys.TEMPLATE_VERSION),
        (keys.KEY_SCHOOL_CODE, request.school.code),
        (keys.KEY_SCHOOL_YEAR, request.school_year),
        (keys.KEY_LAYOUT, request.layout),
        (keys.KEY_TICK_CHOICES, *tick_values(request)),  # TICK_CHOICES_ROW
    ]


def _sheet_row(sheet: SheetPlan) -> tuple:
    return sheet.name, sheet.header_row, sheet.first_data_row, sheet.last_data_row


def _class_rows(sheet: SheetPlan) -> list[tuple]:
    return [
        (sheet.name, b.school_class.name, b.school_class.grade, b.first_row, b.last_row)
        for b in sheet.blocks
    ]


def _field_rows(sheet: SheetPlan) -> list[tuple]:
    return [
        (sheet.name, sheet.header_row, get_column_letter(index), field.key, index)
        for field, index in sheet.field_columns()
    ]


def _package_rows(sheet: SheetPlan) -> list[tuple]:
    columns = (sheet.package_column(i) for i in range(len(sheet.packages)))
    return [
        (sheet.name, sheet.header_row, get_column_letter(c), p.code, c)
        for p, c in zip(sheet.packages, columns, strict=True)
    ]
