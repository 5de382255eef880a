"""What kind of spreadsheet a file is, judged from its bytes, never its name."""

import io
import struct
import zipfile
from enum import StrEnum
from pathlib import Path

from xlrd.compdoc import CompDoc, CompDocError

from .errors import sheet_error
from .limits import MB, SheetLimits

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_OTHER_BINARY = (
    b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"Rar!", b"7z\xbc\xaf",
    b"\x1f\x8b", b"BM",
)
_MARKUP = (b"<?xml", b"<!doctype", b"<html", b"<table", b"<head", b"<body")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_CFB_ERRORS = (CompDocError, AssertionError, IndexError, struct.error, ValueError)


class FileKind(StrEnum):
    """The spreadsheet formats the readers accept."""

    XLSX = "xlsx"
    XLSM = "xlsm"
    XLS = "xls"
    ODS = "ods"
    CSV = "csv"


def detect_kind(path: Path, limits: SheetLimits) -> FileKind:
    """The format of a file, from its magic bytes and container members."""
    size = path.stat().st_size
    if size == 0:
        raise sheet_error("file_empty")
    if size > limits.max_file_bytes:
        raise sheet_error("file_too_large", limit=limits.max_file_bytes // MB)
    with path.open("rb") as handle:
        head = handle.read(4096)
    return _kind_of(path, head, limits)


def _kind_of(path: Path, head: bytes, limits: SheetLimits) -> FileKind:
    if head.startswith(ZIP_MAGIC):
        return _zip_kind(path, limits)
    if head.startswith(EMPTY_ZIP_MAGIC):
        raise sheet_error("damaged_file")
    if head.startswith(CFB_MAGIC):
        return _cfb_kind(path.read_bytes())
    if head.startswith(_OTHER_BINARY) or _looks_like_markup(head):
        raise sheet_error("unsupported_format")
    if b"\0" in head and not head.startswith(_UTF16_BOMS):
        raise sheet_error("unsupported_format")
    return FileKind.CSV


def _looks_like_markup(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:16].lower()
    return start.startswith(_MARKUP)


def _zip_kind(path: Path, limits: SheetLimits) -> FileKind:
    try:
        with zipfile.ZipFile(path) as archive:
            return _members_kind(archive, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError):
        raise sheet_error("damaged_file") from None


def _members_kind(archive: zipfile.ZipFile, limits: SheetLimits) -> FileKind:
    infos = archive.infolist()
    if len(infos) > limits.max_zip_members:
        raise sheet_error("damaged_file")
    names = {info.filename.lower(): info for info in infos}
    if "mimetype" in names:
        return _opendocument_kind(archive, names["mimetype"])
    if "xl/workbook.xml" in names:
        return _ooxml_kind(archive, names.get("[content_types].xml"))
    raise sheet_error("unsupported_format")


def _opendocument_kind(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> FileKind:
    if _read_small(archive, info, 256).strip() == ODS_MIMETYPE:
        return FileKind.ODS
    raise sheet_error("unsupported_format")


def _ooxml_kind(archive: zipfile.ZipFile, info: zipfile.ZipInfo | None) -> FileKind:
    if info is None:
        raise sheet_error("damaged_file")
    types = _read_small(archive, info, 1 * MB)
    return FileKind.XLSM if b"macroEnabled" in types else FileKind.XLSX


def _read_small(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    if info.flag_bits & 0x1:
        raise sheet_error("encrypted_file")
    with archive.open(info) as member:
        data = member.read(cap + 1)
    if len(data) > cap:
        raise sheet_error("damaged_file")
    return data


def _cfb_kind(data: bytes) -> FileKind:
    """An OLE container is either a legacy .xls or an encrypted OOXML file."""
    try:
        container = CompDoc(data, logfile=io.StringIO())
        names = {entry.name for entry in container.dirlist}
    except _CFB_ERRORS:
        raise sheet_error("damaged_file") from None
    if {"EncryptedPackage", "EncryptionInfo"} & names:
        raise sheet_error("encrypted_file")
    if {"Workbook", "Book"} & names:
        return FileKind.XLS
    raise sheet_error("unsupported_format")
