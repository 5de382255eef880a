"""Vietnamese text, names, phones, dates, classes and number formats."""

from .classes import grade_of, normalize_class_name
from .dates import excel_serial_to_datetime, parse_date, parse_timestamp
from .errors import VnValueError
from .numbers import format_date, format_number, format_vnd
from .phones import PhoneNumber, normalize_phone
from .text import (
    clean_text,
    fold,
    mask_name,
    mask_phone,
    name_key,
    natural_key,
    nfc,
)

__all__ = [
    "PhoneNumber",
    "VnValueError",
    "clean_text",
    "excel_serial_to_datetime",
    "fold",
    "format_date",
    "format_number",
    "format_vnd",
    "grade_of",
    "mask_name",
    "mask_phone",
    "name_key",
    "natural_key",
    "nfc",
    "normalize_class_name",
    "normalize_phone",
    "parse_date",
    "parse_timestamp",
]
