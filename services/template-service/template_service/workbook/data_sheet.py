"""Writes one print-ready data sheet of the registration workbook."""

import math

from openpyxl.utils.cell import get_column_letter
from openpyxl.worksheet.dimensions import SheetFormatProperties
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from hoclieu_shared.sheets import template_keys as keys
from hoclieu_shared.vn.numbers import format_date, format_vnd

from . import layout
from .cells import TEXT, Palette
from .layout import ClassBlock, SheetPlan
from .model import Package, Student
from .validation import cell_ranges, tick_validation

PAPER_A4 = "9"
FOOTER = "Trang &P / &N"
ROW_HEIGHT = 20
LINE_HEIGHT = 15
HEADER_CHARS_PER_LINE = 12
TEXT_FIELDS = (keys.FIELD_STUDENT_CODE, keys.FIELD_PARENT_PHONE)
FITTED_FIELDS = {keys.FIELD_FULL_NAME: 32, keys.FIELD_PARENT_NAME: 30}


class SheetWriter:
    """Streams one SheetPlan into a write-only worksheet, then closes it."""

    def __init__(self, ws, palette: Palette, sheet: SheetPlan):
        self.ws, self.palette, self.sheet = ws, palette, sheet

    def write(self, titles: list[str], ticks: tuple[str, ...], source: str):
        """Page set-up, columns, title rows, header, students, drop-downs."""
        self._set_up_page()
        self._set_up_columns()
        self._write_titles(titles)
        self._write_header()
        self._write_students()
        self._add_drop_down(ticks, source)
        self.ws.close()

    def _cell(self, kind, value=None, class_start=False):
        return self.palette.cell(self.ws, kind, value, class_start)

    def _set_up_page(self):
        ws, header = self.ws, self.sheet.header_row
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = PAPER_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_margins = PageMargins(0.4, 0.4, 0.5, 0.6, 0.3, 0.3)
        ws.print_options.horizontalCentered = True
        ws.print_title_rows = f"{header}:{header}"
        ws.oddFooter.left.text = "&A"
        ws.oddFooter.center.text = FOOTER
        ws.freeze_panes = f"D{self.sheet.first_data_row}"
        ws.sheet_format = SheetFormatProperties(
            defaultRowHeight=ROW_HEIGHT, customHeight=True
        )

    def _set_up_columns(self):
        fitted = fitted_widths(self.sheet)
        for field, index in self.sheet.field_columns():
            column = self.ws.column_dimensions[get_column_letter(index)]
            column.width = fitted.get(field.key, field.width)
            if field.key in TEXT_FIELDS:
                column.number_format = TEXT
        for position in range(len(self.sheet.packages)):
            letter = get_column_letter(self.sheet.package_column(position))
            self.ws.column_dimensions[letter].width = layout.PACKAGE_WIDTH

    def _write_titles(self, titles: list[str]):
        kinds = ("school", "title", "year", "heading", "note")
        self.ws.row_dimensions[layout.TITLE_ROW].height = 26
        self.ws.row_dimensions[layout.INSTRUCTION_ROW].height = 32
        for row, (kind, text) in enumerate(zip(kinds, titles, strict=True), 1):
            self.ws.append([self._cell(kind, text)])
            self._merge(row, 1)
        self._write_legend()

    def _write_legend(self):
        if not self.sheet.has_blocked_cells:
            self.ws.append([])
            return
        self.ws.append([self._cell("blocked"), self._cell("note", layout.LEGEND)])
        self._merge(layout.LEGEND_ROW, 2)

    def _merge(self, row: int, first_column: int):
        last = get_column_letter(self.sheet.column_count)
        first = get_column_letter(first_column)
        self.ws.merged_cells.add(f"{first}{row}:{last}{row}")

    def _write_header(self):
        labels = [field.label for field in layout.LEADING_FIELDS]
        labels += [package_header(p) for p in self.sheet.packages]
        labels += [field.label for field in layout.TRAILING_FIELDS]
        height = header_height(self.sheet.packages)
        self.ws.row_dimensions[self.sheet.header_row].height = height
        self.ws.append([self._cell("header", label) for label in labels])

    def _write_students(self):
        number = 0
        for block in self.sheet.blocks:
            fits = [p.fits(block.school_class.grade) for p in self.sheet.packages]
            starts_class = block is not self.sheet.blocks[0]
            for student in block.students:
                number += 1
                row = self._student_row(number, block, student, starts_class)
                self.ws.append(row + self._tick_row(fits, starts_class))
                starts_class = False

    def _student_row(self, number, block: ClassBlock, student: Student, start):
        def cell(kind, value=None):
            return self._cell(kind, value, start)

        return [
            cell("stt", number),
            cell("code", student.code),
            cell("text", student.full_name),
            cell("date", format_date(student.date_of_birth)),
            cell("class", block.school_class.name),
            cell("text", student.parent_name),
            cell("phone", student.parent_phone),
        ]

    def _tick_row(self, fits: list[bool], start: bool):
        ticks = [self._cell("tick" if ok else "blocked", None, start) for ok in fits]
        return ticks + [self._cell("blank", None, start) for _ in range(2)]

    def _add_drop_down(self, ticks: tuple[str, ...], source: str):
        areas = self.sheet.tick_areas()
        if not (ticks and areas):
            return
        validation = tick_validation(ticks, source)
        for cell_range in cell_ranges(areas):
            validation.add(cell_range)
        self.ws.data_validations.append(validation)


def package_header(package: Package) -> str:
    """Header of a package column: its name over its price."""
    return f"{package.name}\n{format_vnd(package.price)}"


def header_height(packages: tuple[Package, ...]) -> float:
    """Row height that shows every wrapped package header in full."""
    lines = [math.ceil(len(p.name) / HEADER_CHARS_PER_LINE) + 1 for p in packages]
    return LINE_HEIGHT * max([2, *lines]) + 4


def fitted_widths(sheet: SheetPlan) -> dict[str, float]:
    """Widths of the name columns from their longest text, capped."""
    longest = dict.fromkeys(FITTED_FIELDS, 0)
    for block in sheet.blocks:
        for student in block.students:
            _stretch(longest, keys.FIELD_FULL_NAME, student.full_name)
            _stretch(longest, keys.FIELD_PARENT_NAME, student.parent_name)
    fields = {field.key: field.width for field in layout.LEADING_FIELDS}
    return {
        key: min(cap, max(fields[key], longest[key] + 3))
        for key, cap in FITTED_FIELDS.items()
    }


def _stretch(longest: dict[str, int], key: str, text: str | None):
    if text and len(text) > longest[key]:
        longest[key] = len(text)
