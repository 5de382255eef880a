"""Hostile files: zip bombs, far-apart cells, lying counts, entity tricks.

Each file is made here. calamine aborts the whole process when one of these
reaches it, so these tests pass only when the guards stop them first.
"""

import functools
import struct
import zipfile
import zlib

import pytest

from hoclieu_shared.sheets import DEFAULT_LIMITS, SheetError, SheetLimits, open_workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)
PACKAGE_RELS = (
    f'<Relationships xmlns="{RELS}"><Relationship Id="r1" Target="xl/workbook.xml"'
    f' Type="{DOC_RELS}/officeDocument"/></Relationships>'
)
WORKBOOK = (
    f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>'
    '<sheet name="Lớp 6A1" sheetId="1" r:id="r1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<Relationships xmlns="{RELS}">'
    f'<Relationship Id="r1" Type="{DOC_RELS}/worksheet" Target="worksheets/s1.xml"/>'
    f'<Relationship Id="r2" Type="{DOC_RELS}/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
FIRST_ROW = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'


def xlsx(path, rows_xml=FIRST_ROW, strings='count="1" uniqueCount="1"'):
    """A minimal workbook whose sheet data is given as raw XML."""
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData>{rows_xml}</sheetData></worksheet>'
    shared = f'<sst xmlns="{MAIN}" {strings}><si><t>Mã học sinh</t></si></sst>'
    parts = {
        "[Content_Types].xml": TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/sharedStrings.xml": shared,
        "xl/worksheets/s1.xml": sheet,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode())
    return path


def refused(path, limits=DEFAULT_LIMITS) -> SheetError:
    with pytest.raises(SheetError) as caught, open_workbook(path, limits) as book:
        for sheet in book.sheets():
            list(book.rows(sheet.name))
    return caught.value


def read(path, limits=DEFAULT_LIMITS):
    with open_workbook(path, limits) as book:
        return list(book.rows(0))


def test_minimal_workbook_reads(tmp_path):
    assert read(xlsx(tmp_path / "a.xlsx")) == [["Mã học sinh"]]


BOMB_MB = 60


@functools.cache
def zeros_deflated(megabytes: int) -> tuple[bytes, int]:
    """Raw deflate data of that many megabytes of zeros, and their CRC."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block, crc, body = bytes(1024 * 1024), 0, []
    for _ in range(megabytes):
        body.append(squeeze.compress(block))
        crc = zlib.crc32(block, crc)
    return b"".join(body) + squeeze.flush(), crc


def zip_bomb(path, parts: int = 1, lie_about_size: bool = False):
    """Parts of zeros; a lying part's headers claim it holds 1 KB."""
    body, crc = zeros_deflated(BOMB_MB)
    size = BOMB_MB * 1024 * 1024
    if lie_about_size:
        size, crc = 1024, zlib.crc32(bytes(1024))
    xlsx(path)
    for index in range(parts):
        with zipfile.ZipFile(path, "a") as archive:
            info = zipfile.ZipInfo(f"xl/media/padding{index}.bin")
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, b"")
        _replace_last_part(path, body, size, crc)
    return path


def _replace_last_part(path, body: bytes, size: int, crc: int) -> None:
    """Put raw deflate data in the last (empty) part, with chosen headers."""
    data = path.read_bytes()
    local = data.rindex(b"PK\x03\x04")
    central = data.index(b"PK\x01\x02", local)
    name_length, extra_length = struct.unpack_from("<HH", data, local + 26)
    header = bytearray(data[local : local + 30 + name_length + extra_length])
    struct.pack_into("<III", header, 14, crc, len(body), size)
    entries = bytearray(data[central:])
    struct.pack_into("<III", entries, entries.rindex(b"PK\x01\x02") + 16, crc,
                     len(body), size)
    footer = entries.rindex(b"PK\x05\x06")
    shift = len(header) + len(body) - (central - local)
    offset = struct.unpack_from("<I", entries, footer + 16)[0]
    struct.pack_into("<I", entries, footer + 16, offset + shift)
    path.write_bytes(data[:local] + bytes(header) + body + bytes(entries))


def test_zip_bomb_that_admits_its_size_is_refused_before_inflating(tmp_path):
    path = zip_bomb(tmp_path / "bomb.xlsx", parts=4)

    error = refused(path)

    assert path.stat().st_size < 1024 * 1024
    assert error.code == "unzipped_too_large"
    assert "200 MB" in error.message


def test_zip_bomb_that_hides_its_size_is_stopped_while_streaming(tmp_path):
    path = zip_bomb(tmp_path / "bomb.xlsx", lie_about_size=True)
    declared = zipfile.ZipFile(path).getinfo("xl/media/padding0.bin").file_size

    error = refused(path)

    assert declared == 1024 and path.stat().st_size < 200 * 1024
    assert error.code == "compression_ratio_too_high"


def test_total_unzipped_size_is_capped_while_streaming(tmp_path):
    path = zip_bomb(tmp_path / "big.xlsx", parts=1)
    limits = SheetLimits(max_unzipped_bytes=50 * 2**20, max_compression_ratio=5000)

    assert refused(path, limits).code == "unzipped_too_large"


def test_part_whose_crc_is_wrong_is_damaged(tmp_path):
    path = xlsx(tmp_path / "a.xlsx")
    data = bytearray(path.read_bytes())
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 16, 12345)
    path.write_bytes(bytes(data))

    assert refused(path).code == "damaged_file"


@pytest.mark.parametrize(
    "far_cell",
    [
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
        '<row r="2"><c r="XFD2"><v>1</v></c></row>',
        '<row r="900000"><c r="A900000"><v>1</v></c></row>',
        '<row r="2"><c r="xfd1048576"><v>1</v></c></row>',
        '<row r="2"><c t="n" r="XFD1048576"><v>1</v></c></row>',
        '<row r="2"><c r="A2" r="Z900000"><v>1</v></c></row>',
        '<row r="2"><c r="A2" r = "XFD9"><v>1</v></c></row>',
        '<row r="2"><x:c xmlns:x="urn:x" r="XFD2"><v>1</v></x:c></row>',
        "<row r='2'><c r='XFD1048576'><v>1</v></c></row>",
    ],
)
def test_far_apart_cells_are_refused_before_calamine(tmp_path, far_cell):
    path = xlsx(tmp_path / "far.xlsx", FIRST_ROW + far_cell)

    error = refused(path)

    assert error.code in ("too_many_rows", "too_many_columns", "too_many_cells")
    assert "Lớp 6A1" in error.message


def test_cells_without_references_are_placed_like_calamine_does(tmp_path):
    row = '<row r="2">' + "<c><v>1</v></c>" * 300 + "</row>"
    path = xlsx(tmp_path / "wide.xlsx", FIRST_ROW + row)

    assert refused(path).code == "too_many_columns"


def test_unreferenced_cells_within_limits_still_read(tmp_path):
    row = '<row r="2">' + "<c><v>7</v></c>" * 3 + "</row>"
    path = xlsx(tmp_path / "plain.xlsx", FIRST_ROW + row)

    assert read(path) == [["Mã học sinh"], [7, 7, 7]]


def test_sheet_as_wide_as_the_limit_reads(tmp_path):
    row = '<row r="2"><c r="GR2"><v>5</v></c></row>'
    path = xlsx(tmp_path / "wide.xlsx", FIRST_ROW + row)

    assert read(path)[1][199] == 5


def test_empty_formatted_far_cells_do_not_count(tmp_path):
    row = '<row r="1048576" ht="20" customHeight="1"><c r="A1048576" s="1"/></row>'
    path = xlsx(tmp_path / "styled.xlsx", FIRST_ROW + row)

    assert read(path) == [["Mã học sinh"]]


def test_shared_strings_that_overstate_their_count_are_refused(tmp_path):
    path = xlsx(tmp_path / "sst.xlsx", strings='count="1" uniqueCount="2000000000"')

    assert refused(path).code == "damaged_file"


def test_encrypted_zip_part_is_refused(tmp_path):
    path = xlsx(tmp_path / "a.xlsx")
    data = bytearray(path.read_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x1
    path.write_bytes(bytes(data))

    assert refused(path).code == "encrypted_file"


MANIFEST = (
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
    'manifest:1.0"><manifest:file-entry manifest:full-path="content.xml"'
    ' manifest:media-type="text/xml"/></manifest:manifest>'
)


def ods(path, body: str, prolog: str = ""):
    content = (
        f'<?xml version="1.0"?>{prolog}<office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        '<office:body><office:spreadsheet><table:table table:name="Đăng ký">'
        f"{body}</table:table></office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content.encode())
        archive.writestr("META-INF/manifest.xml", MANIFEST)
    return path


def ods_row(value: str, rows: int = 1, columns: int = 1) -> str:
    return (
        f'<table:table-row table:number-rows-repeated="{rows}">'
        f'<table:table-cell office:value-type="string"'
        f' table:number-columns-repeated="{columns}">'
        f"<text:p>{value}</text:p></table:table-cell></table:table-row>"
    )


def test_ods_rows_repeated_past_the_limit_are_refused(tmp_path):
    path = ods(tmp_path / "a.ods", ods_row("x", rows=3_000_000))

    assert refused(path).code == "too_many_rows"


def test_ods_cells_repeated_past_the_limit_are_refused(tmp_path):
    path = ods(tmp_path / "a.ods", ods_row("x", columns=20_000))

    assert refused(path).code == "too_many_columns"


def test_ods_trailing_empty_repeats_are_harmless(tmp_path):
    empty = (
        '<table:table-row table:number-rows-repeated="1048570">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    )
    path = ods(tmp_path / "a.ods", ods_row("x", columns=3) + empty)

    assert read(path) == [["x", "x", "x"]]


def test_ods_with_entity_declarations_is_refused(tmp_path):
    laughs = (
        '<!DOCTYPE d [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    )
    path = ods(tmp_path / "a.ods", ods_row("&b;"), prolog=laughs)

    assert refused(path).code == "damaged_file"


def test_xlsx_with_external_entity_does_not_leak_the_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("bí mật")
    doctype = f'<!DOCTYPE x [<!ENTITY s SYSTEM "file://{secret}">]>'
    path = xlsx(tmp_path / "xxe.xlsx", '<row r="1"><c r="A1" t="inlineStr"><is>'
                "<t>&s;</t></is></c></row>")
    _prepend_doctype(path, "xl/worksheets/s1.xml", doctype)

    try:
        rows = read(path)
    except SheetError as error:
        assert error.code == "damaged_file"
    else:
        assert "bí mật" not in repr(rows)


def _prepend_doctype(path, part, doctype):
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts[part] = doctype.encode() + parts[part]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def xls_with_cells(path, cells):
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    sheet = book.add_sheet("Lop 6A1")
    for row, column, value in cells:
        sheet.write(row, column, value)
    book.save(str(path))
    return path


def test_sparse_xls_is_refused_before_calamine(tmp_path):
    path = xls_with_cells(tmp_path / "a.xls", [(0, 0, "x"), (65535, 255, "y")])

    assert refused(path).code == "too_many_cells"


def test_xls_whose_string_table_overstates_its_count_is_refused(tmp_path):
    path = xls_with_cells(tmp_path / "a.xls", [(0, 0, "x")])
    data = bytearray(path.read_bytes())
    sst = data.index(struct.pack("<H", 0x00FC) + struct.pack("<H", 8 + 4))
    struct.pack_into("<i", data, sst + 8, 2_000_000_000)
    path.write_bytes(bytes(data))

    assert refused(path).code == "damaged_file"


def test_small_xls_within_limits_reads(tmp_path):
    path = xls_with_cells(tmp_path / "a.xls", [(0, 0, "x"), (2, 1, 3.5)])

    assert read(path) == [["x"], [], [None, 3.5]]


def test_zip_with_a_thousand_parts_over_the_limit_is_refused(tmp_path):
    path = xlsx(tmp_path / "a.xlsx")
    with zipfile.ZipFile(path, "a") as archive:
        for index in range(30):
            archive.writestr(f"xl/media/{index}.bin", b"")

    assert refused(path, SheetLimits(max_zip_members=20)).code == "damaged_file"
