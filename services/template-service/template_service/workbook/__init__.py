"""The registration workbook (Bước 1): pure layout plus an openpyxl writer."""

from .builder import build_registration_workbook
from .layout import HEADER_ROW, SheetPlan
from .model import (
    Package,
    School,
    SchoolClass,
    Student,
    TemplateError,
    TemplateRequest,
)

__all__ = [
    "HEADER_ROW",
    "Package",
    "School",
    "SchoolClass",
    "SheetPlan",
    "Student",
    "TemplateError",
    "TemplateRequest",
    "build_registration_workbook",
]
