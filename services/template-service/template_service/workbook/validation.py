"""The drop-down of tick values on the package cells."""

from openpyxl.utils.cell import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

# Excel refuses a typed-in list source longer than this.
LITERAL_LIST_MAX = 255


def literal_list(values: tuple[str, ...]) -> str | None:
    """The values as a quoted list formula, or None when it cannot be one."""
    if any("," in v or '"' in v for v in values):
        return None
    formula = '"' + ",".join(values) + '"'
    return formula if len(formula) <= LITERAL_LIST_MAX else None


def tick_validation(values: tuple[str, ...], source_range: str) -> DataValidation:
    """A drop-down of the values; a range on a sheet when a list won't fit."""
    return DataValidation(
        type="list",
        formula1=literal_list(values) or source_range,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="Giá trị không hợp lệ",
        error='Chỉ đánh dấu "x" vào gói muốn đăng ký, hoặc để trống.',
        showInputMessage=True,
        promptTitle="Đăng ký gói",
        prompt='Đánh dấu "x" nếu đăng ký gói này.',
    )


def cell_ranges(areas: list[tuple[int, int, int, int]]) -> list[str]:
    """Rectangles (min col, min row, max col, max row) as "H8:J46" ranges."""
    return [_rectangle(*area) for area in areas]


def _rectangle(min_col: int, min_row: int, max_col: int, max_row: int) -> str:
    first = f"{get_column_letter(min_col)}{min_row}"
    return f"{first}:{get_column_letter(max_col)}{max_row}"
