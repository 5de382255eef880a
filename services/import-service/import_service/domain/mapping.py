"""Which column of a sheet holds what: the mapping the user may confirm or fix."""

from dataclasses import asdict
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .context import SchoolContext
from .proposal import propose
from .template import read_template_keys

FieldName = Literal[
    "student_code",
    "full_name",
    "date_of_birth",
    "class_name",
    "parent_name",
    "parent_phone",
    "submitted_at",
    "package_list",
    "notes",
]
Kind = Literal["template", "retyped", "google-form", "plain"]
# Far beyond any registration sheet; bounds what a user may send back.
MAX_COLUMN = 16383


class ColumnMapping(BaseModel):
    """Where each field is: 0-based row of the header, 0-based columns.

    `package_columns` maps a column index, written as text because JSON keys
    are text, to a package code. `ignored_columns` are the status and reasons
    columns of a records file downloaded earlier.
    """

    model_config = ConfigDict(extra="forbid")

    kind: Kind = "plain"
    header_row: int = Field(ge=0)
    columns: dict[FieldName, int] = Field(default_factory=dict)
    package_columns: dict[str, str] = Field(default_factory=dict)
    ignored_columns: list[int] = Field(default_factory=list)
    certain: bool = False
    problems: list[str] = Field(default_factory=list)

    @field_validator("columns")
    @classmethod
    def _columns_in_range(cls, columns: dict[str, int]) -> dict[str, int]:
        for index in columns.values():
            _check_index(index)
        return columns

    @field_validator("package_columns")
    @classmethod
    def _package_keys_are_indexes(cls, columns: dict[str, str]) -> dict[str, str]:
        for key, code in columns.items():
            if not key.isdigit():
                raise ValueError(f"cột gói phải là số thứ tự cột, không phải {key!r}")
            _check_index(int(key))
            if not code.strip():
                raise ValueError(f"cột {key} chưa có mã gói")
        return columns

    @model_validator(mode="after")
    def _no_column_twice(self) -> "ColumnMapping":
        used = [*self.columns.values(), *map(int, self.package_columns)]
        if len(used) != len(set(used)):
            raise ValueError("một cột được ghép cho hai thông tin khác nhau")
        return self

    def package_column_items(self) -> list[tuple[int, str]]:
        """(column, package code) pairs, left to right."""
        return sorted((int(key), code) for key, code in self.package_columns.items())


def _check_index(index: int) -> None:
    if not 0 <= index <= MAX_COLUMN:
        raise ValueError(f"số thứ tự cột {index} nằm ngoài bảng tính")


def propose_mapping(
    head_rows: list[list],
    context: SchoolContext,
    template_keys: dict | None,
    *,
    sheet_name: str | None = None,
) -> ColumnMapping:
    """The best guess of a sheet's columns from its first rows (about 40).

    `template_keys` is read_template_keys() of the file's hidden sheet, when
    it has one; `sheet_name` helps pick the sheet's entry among several.
    """
    proposal = propose(head_rows, context, template_keys, sheet_name)
    parts = asdict(proposal)
    del parts["unknown"]
    return ColumnMapping(**parts)


__all__ = ["ColumnMapping", "propose_mapping", "read_template_keys"]
