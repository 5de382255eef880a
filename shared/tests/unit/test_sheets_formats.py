"""The format is judged from the bytes; CSV encodings and delimiters."""

import io
import unicodedata
import zipfile

import openpyxl
import pytest

from hoclieu_shared.sheets import FileKind, SheetError, open_workbook

ROWS = [["Họ và tên", "Lớp", "Số điện thoại"], ["Nguyễn Thị Hoà", "6A1", "0912345678"]]


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258_form(text: str) -> str:
    """Letters with their vowel marks but separate tone marks, as cp1258 has."""
    pieces, base, tones = [], "", ""
    for char in unicodedata.normalize("NFD", text):
        if not unicodedata.combining(char):
            pieces.append(unicodedata.normalize("NFC", base) + tones)
            base, tones = char, ""
        elif char in TONE_MARKS:
            tones += char
        else:
            base += char
    pieces.append(unicodedata.normalize("NFC", base) + tones)
    return "".join(pieces)


def csv_bytes(delimiter: str, encoding: str) -> bytes:
    text = "\r\n".join(delimiter.join(row) for row in ROWS) + "\r\n"
    if encoding == "cp1258":
        text = windows_1258_form(text)
    return text.encode(encoding)


def read(path):
    with open_workbook(path) as book:
        return book.kind, list(book.rows(0))


def refused(path) -> SheetError:
    with pytest.raises(SheetError) as caught:
        open_workbook(path)
    return caught.value


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258", "utf-16"])
def test_csv_in_every_encoding_and_delimiter(tmp_path, delimiter, encoding):
    path = tmp_path / "danh-sach.csv"
    path.write_bytes(csv_bytes(delimiter, encoding))

    assert read(path) == (FileKind.CSV, ROWS)


def test_cp1258_text_comes_back_composed(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes(";", "cp1258"))

    name = read(path)[1][1][0]

    assert name == "Nguyễn Thị Hoà" and len(name) == len("Nguyễn Thị Hoà")


def test_quoted_fields_keep_their_commas(tmp_path):
    path = tmp_path / "form.csv"
    path.write_text('Lớp,Gói\n6A1,"Toán tư duy 6, Kỹ năng sống"\n', encoding="utf-8")

    assert read(path)[1][1] == ["6A1", "Toán tư duy 6, Kỹ năng sống"]


def test_csv_listing_counts_its_rows(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes(",", "utf-8") + b",,\r\n")

    with open_workbook(path) as book:
        info = book.sheets()[0]

    assert (info.name, info.rows, info.columns, info.hidden) == ("CSV", 2, 3, False)


def test_xlsx_named_csv_is_read_as_xlsx(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["x"])
    book.save(tmp_path / "really-xlsx.csv")

    assert read(tmp_path / "really-xlsx.csv") == (FileKind.XLSX, [["x"]])


def test_csv_named_xlsx_is_read_as_csv(tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_bytes(csv_bytes(",", "utf-8-sig"))

    assert read(path) == (FileKind.CSV, ROWS)


def test_plain_text_renamed_xlsx_is_not_a_spreadsheet(tmp_path):
    path = tmp_path / "ghi-chu.xlsx"
    path.write_text("Ghi chú cuộc họp\nKhông có bảng nào ở đây\nHết\n")

    assert refused(path).code == "unsupported_format"


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"\x89PNG\r\n\x1a\n\0\0\0",
        b"<html><body><table><tr><td>x</td></tr></table></body></html>",
        b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com">',
        b"\x00\x01\x02binary\x00",
    ],
)
def test_other_files_dressed_as_spreadsheets_are_refused(tmp_path, content):
    path = tmp_path / "danh-sach.xls"
    path.write_bytes(content)

    error = refused(path)

    assert error.code == "unsupported_format"
    assert "lưu lại tệp dưới dạng .xlsx rồi tải lên lại" in error.message


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"")

    assert refused(path).code == "file_empty"


def test_truncated_xlsx_is_a_damaged_file(tmp_path):
    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(["x"] * 20)
    book.save(buffer)
    path = tmp_path / "a.xlsx"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])

    error = refused(path)

    assert error.code == "damaged_file"
    assert "lưu lại tệp dưới dạng .xlsx rồi tải lên lại" in error.message


def test_corrupted_sheet_data_is_a_damaged_file(tmp_path):
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    with zipfile.ZipFile(buffer) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/worksheets/sheet1.xml"] = b"<worksheet><sheetData><row><c r="
    with zipfile.ZipFile(tmp_path / "a.xlsx", "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)

    path = tmp_path / "a.xlsx"
    with pytest.raises(SheetError) as caught, open_workbook(path) as book:
        list(book.rows(0))

    assert caught.value.code == "damaged_file"


def test_word_document_in_a_zip_is_not_a_spreadsheet(tmp_path):
    with zipfile.ZipFile(tmp_path / "a.xlsx", "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")

    assert refused(tmp_path / "a.xlsx").code == "unsupported_format"


def test_password_protected_xlsx_says_so(tmp_path):
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    plain, locked = io.BytesIO(), io.BytesIO()
    openpyxl.Workbook().save(plain)
    plain.seek(0)
    ooxml.OOXMLFile(plain).encrypt("mat-khau", locked)
    path = tmp_path / "a.xlsx"
    path.write_bytes(locked.getvalue())

    error = refused(path)

    assert error.code == "encrypted_file"
    assert "mật khẩu" in error.message


def test_ole_file_that_is_not_a_workbook_is_refused(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    book, container = xlwt.Workbook(), io.BytesIO()
    book.add_sheet("a")
    book.save(container)
    renamed = container.getvalue().replace(
        "Workbook".encode("utf-16-le"), "Document".encode("utf-16-le")
    )
    (tmp_path / "a.xls").write_bytes(renamed)

    assert refused(tmp_path / "a.xls").code == "unsupported_format"
