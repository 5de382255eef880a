"""Why a spreadsheet cannot be read: stable codes, Vietnamese messages."""

SAVE_AS_XLSX = "lưu lại tệp dưới dạng .xlsx rồi tải lên lại"

MESSAGES = {
    "file_empty": "Tệp rỗng, không có dữ liệu.",
    "file_too_large": (
        "Tệp lớn hơn {limit} MB. Hãy xoá các sheet và hình ảnh không cần "
        "thiết hoặc chia nhỏ tệp rồi tải lên lại."
    ),
    "unsupported_format": (
        "Tệp không phải bảng tính Excel (.xlsx, .xlsm, .xls), LibreOffice "
        f"(.ods) hay CSV. Hãy mở tệp bằng Excel, {SAVE_AS_XLSX}."
    ),
    "damaged_file": (
        "Tệp bị hỏng hoặc không đọc được. Hãy mở tệp bằng Excel hoặc "
        f"LibreOffice, {SAVE_AS_XLSX}."
    ),
    "encrypted_file": (
        "Tệp đang được bảo vệ bằng mật khẩu. Hãy mở tệp, gỡ mật khẩu "
        f"(Tệp → Thông tin → Bảo vệ sổ làm việc), {SAVE_AS_XLSX}."
    ),
    "unknown_encoding": (
        "Không nhận ra bảng mã của tệp CSV. Hãy lưu lại dưới dạng "
        "CSV UTF-8 hoặc .xlsx rồi tải lên lại."
    ),
    "unzipped_too_large": (
        "Nội dung tệp sau khi giải nén lớn hơn {limit} MB, vượt mức cho "
        "phép. Hãy chia nhỏ tệp rồi tải lên lại."
    ),
    "compression_ratio_too_high": (
        "Tệp được nén bất thường và có thể không an toàn. Hãy mở tệp, "
        f"{SAVE_AS_XLSX}."
    ),
    "too_many_sheets": "Tệp có hơn {limit} sheet. Hãy xoá các sheet thừa.",
    "too_many_rows": (
        "Sheet «{sheet}» có dữ liệu tới dòng {found}, vượt giới hạn {limit} "
        "dòng. Hãy xoá các dòng thừa hoặc chia nhỏ tệp."
    ),
    "too_many_columns": (
        "Sheet «{sheet}» có dữ liệu tới cột {found}, vượt giới hạn {limit} "
        "cột. Hãy xoá các cột thừa."
    ),
    "too_many_cells": (
        "Sheet «{sheet}» trải trên vùng quá rộng ({rows} dòng × {columns} "
        "cột). Hãy xoá các dòng, cột thừa ở xa vùng dữ liệu."
    ),
    "cell_too_long": (
        "Ô {cell} của sheet «{sheet}» dài hơn {limit} ký tự. Hãy rút gọn "
        "nội dung ô này."
    ),
    "sheet_not_found": "Không có sheet «{sheet}» trong tệp.",
}


class SheetError(Exception):
    """A spreadsheet that cannot be read, with a code and a Vietnamese message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def sheet_error(code: str, **values: object) -> SheetError:
    """The SheetError of a code, its message filled with the values."""
    return SheetError(code, MESSAGES[code].format(**values))


def column_letters(index: int) -> str:
    """Spreadsheet column letters of a 0-based index: 0 -> "A", 27 -> "AB"."""
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_name(row: int, column: int) -> str:
    """The A1 name of a cell from 0-based row and column indexes."""
    return f"{column_letters(column)}{row + 1}"
