"""Builds the registration workbook (Bước 1) with openpyxl write-only mode."""

import os
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from hoclieu_shared.sheets import template_keys as keys

from .cells import Palette, write_value
from .data_sheet import SheetWriter
from .keys import hidden_rows, tick_source, tick_values
from .layout import SheetPlan, plan_sheets, title_lines
from .model import TemplateRequest

CREATOR = "Học liệu"


def build_registration_workbook(
    request: TemplateRequest, out: str | os.PathLike | BinaryIO
) -> list[SheetPlan]:
    """Write the workbook to a path or binary file; return its data sheets."""
    sheets = plan_sheets(request)
    workbook = Workbook(write_only=True)
    workbook.properties.title = keys.TITLE
    workbook.properties.creator = CREATOR
    _write_data_sheets(workbook, request, sheets)
    _write_hidden_sheet(workbook, hidden_rows(request, sheets))
    workbook.save(out)
    return sheets


def _write_data_sheets(workbook, request, sheets: list[SheetPlan]) -> None:
    palette, ticks, source = None, tick_values(request), tick_source(request)
    for sheet in sheets:
        ws = workbook.create_sheet(sheet.name)
        palette = palette or Palette(ws)
        writer = SheetWriter(ws, palette, sheet)
        writer.write(title_lines(request, sheet), ticks, source)


def _write_hidden_sheet(workbook, rows: list[tuple]) -> None:
    ws = workbook.create_sheet(keys.HIDDEN_SHEET)
    ws.sheet_state = "hidden"
    for row in rows:
        ws.append([_plain_cell(ws, value) for value in row])
    ws.close()


def _plain_cell(ws, value):
    cell = WriteOnlyCell(ws)
    write_value(cell, value)
    return cell
