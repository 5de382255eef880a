"""Reading real spreadsheet files of every accepted format, made in the test."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from hoclieu_shared.sheets import (
    DEFAULT_LIMITS,
    FileKind,
    SheetError,
    SheetLimits,
    open_workbook,
)


def save_xlsx(path, rows, sheet="Danh sách", hidden=()):
    book = openpyxl.Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    for name in hidden:
        book.create_sheet(name).sheet_state = "hidden"
    book.save(path)
    return path


def read_all(path, sheet=0, limits=DEFAULT_LIMITS):
    with open_workbook(path, limits) as book:
        return list(book.rows(sheet))


def rewrite_part(path, part, change):
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts:
            target.writestr(info, change(data) if info.filename == part else data)


def test_xlsx_cells_come_back_as_plain_python_values(tmp_path):
    born = dt.date(2013, 10, 2)
    path = save_xlsx(tmp_path / "a.xlsx", [[1, "0160000001", born, 2.5, True, None]])

    assert read_all(path) == [[1, "0160000001", born, 2.5, True]]


def test_integral_floats_become_ints_but_text_digits_stay_text(tmp_path):
    path = save_xlsx(tmp_path / "a.xlsx", [[912345678.0, "0912345678", 1e20]])

    row = read_all(path)[0]

    assert row == [912345678, "0912345678", 1e20]
    assert isinstance(row[0], int) and isinstance(row[2], float)


def test_empty_and_blank_cells_are_none_and_trailing_ones_dropped(tmp_path):
    path = save_xlsx(tmp_path / "a.xlsx", [["a", "", "   ", "b", None, " "]])

    assert read_all(path) == [["a", None, None, "b"]]


def test_rows_keep_their_place_when_data_starts_away_from_a1(tmp_path):
    book = openpyxl.Workbook()
    book.active["C3"], book.active["D4"] = "x", 5
    book.save(tmp_path / "a.xlsx")

    rows = read_all(tmp_path / "a.xlsx")

    assert rows == [[], [], [None, None, "x"], [None, None, None, 5]]


def test_times_of_day_come_back_as_text(tmp_path):
    path = save_xlsx(tmp_path / "a.xlsx", [[dt.time(7, 30)]])

    assert read_all(path) == [["07:30:00"]]


def test_hidden_sheets_are_listed_with_a_flag_and_stay_readable(tmp_path):
    path = save_xlsx(tmp_path / "a.xlsx", [["Mã học sinh"]], hidden=["_hoclieu"])

    with open_workbook(path) as book:
        sheets = book.sheets()
        visible = book.visible_sheets()
        hidden_rows = list(book.rows("_hoclieu"))

    assert [(s.name, s.hidden) for s in sheets] == [
        ("Danh sách", False),
        ("_hoclieu", True),
    ]
    assert [s.name for s in visible] == ["Danh sách"]
    assert hidden_rows == []


def test_row_count_comes_from_the_cells_not_the_stated_dimension(tmp_path):
    path = save_xlsx(tmp_path / "a.xlsx", [["a"], ["b"], [None, "c"]])
    rewrite_part(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'ref="A1:B3"', b'ref="A1:XFD1048576"'),
    )

    with open_workbook(path) as book:
        info = book.sheets()[0]

    assert (info.rows, info.columns) == (3, 2)


def test_sheets_are_read_by_name_or_index(tmp_path):
    path = save_xlsx(tmp_path / "a.xlsx", [["x"]], sheet="Lớp 6A1")

    assert read_all(path, "Lớp 6A1") == read_all(path, 0) == [["x"]]


def test_unknown_sheet_is_a_clear_error(tmp_path):
    path = save_xlsx(tmp_path / "a.xlsx", [["x"]])

    with pytest.raises(SheetError) as caught:
        read_all(path, "Không có")

    assert caught.value.code == "sheet_not_found"


def test_xlsm_is_recognised_from_its_content_types(tmp_path):
    path = save_xlsx(tmp_path / "macro.bin", [["x"]])
    rewrite_part(
        path,
        "[Content_Types].xml",
        lambda xml: xml.replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml"),
    )

    with open_workbook(path) as book:
        assert book.kind is FileKind.XLSM
        assert list(book.rows(0)) == [["x"]]


def test_1904_date_system_is_reported(tmp_path):
    path = save_xlsx(tmp_path / "a.xlsx", [["x"]])
    rewrite_part(
        path,
        "xl/workbook.xml",
        lambda xml: xml.replace(b"<workbookPr", b'<workbookPr date1904="1"'),
    )

    with open_workbook(path) as book:
        assert book.date1904 is True


def test_xls_is_read_with_types_and_hidden_sheets(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    sheet = book.add_sheet("Lop 6A1")
    sheet.write(0, 0, "Mã học sinh")
    sheet.write(1, 0, 912345678)
    sheet.write(1, 1, dt.date(2013, 10, 2), xlwt.easyxf(num_format_str="dd/mm/yyyy"))
    book.add_sheet("_hoclieu").visibility = 1
    book.save(str(tmp_path / "old.xlsx"))

    with open_workbook(tmp_path / "old.xlsx") as opened:
        kinds_and_flags = (opened.kind, [s.hidden for s in opened.sheets()])
        rows = list(opened.rows(0))

    assert kinds_and_flags == (FileKind.XLS, [False, True])
    assert rows == [["Mã học sinh"], [912345678, dt.date(2013, 10, 2)]]


def save_ods(path, rows, hidden_table=None):
    opendocument = pytest.importorskip("odf.opendocument")
    from odf.style import Style, TableProperties
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = opendocument.OpenDocumentSpreadsheet()
    table = Table(name="Đăng ký")
    for values in rows:
        row = TableRow()
        for value in values:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    if hidden_table:
        style = Style(name="hiddenTable", family="table")
        style.addElement(TableProperties(display="false"))
        document.automaticstyles.addElement(style)
        document.spreadsheet.addElement(Table(name=hidden_table, stylename=style))
    document.save(str(path))
    return path


def test_ods_is_read_and_hidden_tables_flagged(tmp_path):
    path = save_ods(tmp_path / "lo.xlsx", [["Họ và tên", "Lớp"], ["An", "6A1"]], "_k")

    with open_workbook(path) as book:
        assert book.kind is FileKind.ODS
        assert [(s.name, s.hidden) for s in book.sheets()] == [
            ("Đăng ký", False),
            ("_k", True),
        ]
        assert list(book.rows(0)) == [["Họ và tên", "Lớp"], ["An", "6A1"]]


def test_too_many_rows_is_refused_with_the_sheet_name(tmp_path):
    path = save_xlsx(tmp_path / "a.xlsx", [[i] for i in range(30)])

    with pytest.raises(SheetError) as caught:
        read_all(path, limits=SheetLimits(max_rows=20))

    assert caught.value.code == "too_many_rows"
    assert "Danh sách" in caught.value.message


def test_too_many_columns_is_refused(tmp_path):
    path = save_xlsx(tmp_path / "a.xlsx", [list(range(8))])

    with pytest.raises(SheetError) as caught:
        read_all(path, limits=SheetLimits(max_columns=5))

    assert caught.value.code == "too_many_columns"


def test_overlong_cell_is_refused_with_its_address(tmp_path):
    path = save_xlsx(tmp_path / "a.xlsx", [["ok"], ["ok", "x" * 2001]])

    with pytest.raises(SheetError) as caught:
        read_all(path)

    assert caught.value.code == "cell_too_long"
    assert "B2" in caught.value.message


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = save_xlsx(tmp_path / "a.xlsx", [["x" * 1000] for _ in range(50)])

    with pytest.raises(SheetError) as caught:
        open_workbook(path, SheetLimits(max_file_bytes=1000))

    assert caught.value.code == "file_too_large"


def test_workbook_with_too_many_sheets_is_refused(tmp_path):
    path = save_xlsx(tmp_path / "a.xlsx", [["x"]], hidden=["b", "c"])

    with pytest.raises(SheetError) as caught:
        open_workbook(path, SheetLimits(max_sheets=2))

    assert caught.value.code == "too_many_sheets"


def test_reading_from_an_in_memory_upload_copy(tmp_path):
    buffer = io.BytesIO()
    save_xlsx(buffer, [["x"]])
    (tmp_path / "upload").write_bytes(buffer.getvalue())

    assert read_all(tmp_path / "upload") == [["x"]]
