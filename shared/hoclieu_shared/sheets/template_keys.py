"""What the registration template and the import agree on.

The template-service writes these keys into a hidden sheet; the
import-service reads them back to recognise its own template exactly.
"""

TEMPLATE_VERSION = 1
HIDDEN_SHEET = "_hoclieu"
TITLE = "DANH SÁCH ĐĂNG KÝ HỌC LIỆU"

# Rows of the hidden sheet: key in column A, value in column B.
KEY_TEMPLATE_VERSION = "template_version"
KEY_SCHOOL_CODE = "school_code"
KEY_SCHOOL_YEAR = "school_year"
KEY_LAYOUT = "layout"
# Below a row reading COLUMNS_MARKER: sheet name | header row | column | code.
COLUMNS_MARKER = "package_columns"

LAYOUT_PER_CLASS = "per-class"
LAYOUT_SINGLE_SHEET = "single-sheet"

HEADER_STT = "STT"
HEADER_STUDENT_CODE = "Mã học sinh"
HEADER_FULL_NAME = "Họ và tên"
HEADER_BIRTH_DATE = "Ngày sinh"
HEADER_CLASS = "Lớp"
HEADER_PARENT_NAME = "Họ tên phụ huynh"
HEADER_PARENT_PHONE = "Số điện thoại"
HEADER_SIGNATURE = "Phụ huynh ký"
HEADER_NOTES = "Ghi chú"

# Values offered in the drop-down of package cells.
TICK_CHOICES = ("x", "")

# Added for the template generator; the import reads them back.
# Key row: the allowed non-empty tick values, one per column from B on.
KEY_TICK_CHOICES = "tick_choices"
# Below a row reading SHEETS_MARKER:
# sheet name | header row | first data row | last data row.
SHEETS_MARKER = "sheets"
# Below a row reading CLASSES_MARKER:
# sheet name | class name | grade | first row | last row.
CLASSES_MARKER = "classes"
# Below a row reading FIELD_COLUMNS_MARKER:
# sheet name | header row | column letter | field key | column index.
FIELD_COLUMNS_MARKER = "field_columns"
# The package_columns rows also carry the 1-based column index in column E.

# Field keys of the fixed columns, as written in the field_columns section.
FIELD_STT = "stt"
FIELD_STUDENT_CODE = "student_code"
FIELD_FULL_NAME = "full_name"
FIELD_BIRTH_DATE = "date_of_birth"
FIELD_CLASS = "class_name"
FIELD_PARENT_NAME = "parent_name"
FIELD_PARENT_PHONE = "parent_phone"
FIELD_SIGNATURE = "signature"
FIELD_NOTES = "notes"
