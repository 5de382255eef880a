"""Every part of a zip container inflated under byte caps, before any parser.

The parts are inflated here from their raw bytes to the real end of each
deflate stream, so a part whose header understates its size is measured in
full and then refused (its size and CRC no longer match).
"""

import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from .detect import FileKind
from .errors import SheetError, sheet_error
from .limits import MB, SheetLimits
from .ods_guard import OdsContentScan
from .part_names import sheet_names_by_part
from .xlsx_guard import ExactExtent, SharedStringsCheck, WorksheetScreen

_READ = 256 * 1024
_OUT = 1 * MB
_TAIL = 32
_LOCAL_HEADER = struct.Struct("<4s22xHH")
_SHEET_FOLDERS = ("xl/worksheets/", "xl/dialogsheets/", "xl/macrosheets/")
_DATE1904 = (b'date1904="1"', b'date1904="true"', b"date1904='1'", b"date1904='true'")


class _Inspector(Protocol):
    def feed(self, chunk: bytes) -> None: ...


@dataclass(frozen=True)
class ArchiveFacts:
    """What the container's parts say about the workbook."""

    date1904: bool = False


def inspect_archive(path: Path, kind: FileKind, limits: SheetLimits) -> ArchiveFacts:
    """Inflate every part under the limits and check the sheets' areas."""
    try:
        with zipfile.ZipFile(path) as archive, path.open("rb") as raw:
            return _Inspection(archive, raw, kind, limits).run()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, struct.error):
        raise sheet_error("damaged_file") from None


class _Inspection:
    def __init__(
        self,
        archive: zipfile.ZipFile,
        raw: BinaryIO,
        kind: FileKind,
        limits: SheetLimits,
    ) -> None:
        self._archive = archive
        self._raw = raw
        self._kind = kind
        self._limits = limits
        self._budget = limits.max_unzipped_bytes
        self._date1904 = _Date1904Search()
        self._names: dict[str, str] = {}

    def run(self) -> ArchiveFacts:
        infos = self._archive.infolist()
        _check_declared(infos, self._limits)
        if self._kind is not FileKind.ODS:
            self._names = sheet_names_by_part(self._archive)
        for info in infos:
            self._inspect(info)
        return ArchiveFacts(date1904=self._date1904.found)

    def _inspect(self, info: zipfile.ZipInfo) -> None:
        name = info.filename.lower()
        if self._kind is FileKind.ODS:
            scan = OdsContentScan(self._limits) if name == "content.xml" else None
            self._consume(info, scan, close=scan is not None)
        elif name.startswith(_SHEET_FOLDERS):
            self._inspect_worksheet(info)
        elif name == "xl/sharedstrings.xml":
            self._consume(info, SharedStringsCheck(), close=True)
        elif name == "xl/workbook.xml":
            self._consume(info, self._date1904)
        else:
            self._consume(info, None)

    def _inspect_worksheet(self, info: zipfile.ZipInfo) -> None:
        screen = WorksheetScreen(self._limits)
        self._consume(info, screen, close=True)
        if screen.needs_exact:
            sheet = self._names.get(info.filename, info.filename)
            exact = ExactExtent(sheet, self._limits)
            for chunk in _inflate(self._raw, info, *self._cap(info, None)):
                exact.feed(chunk)

    def _consume(self, info, inspector: _Inspector | None, *, close=False) -> None:
        for chunk in _inflate(self._raw, info, *self._cap(info, self._budget)):
            self._budget -= len(chunk)
            if inspector is not None:
                inspector.feed(chunk)
        if close:
            inspector.close()

    def _cap(self, info: zipfile.ZipInfo, budget: int | None) -> tuple:
        """The most bytes the part may inflate to, and the error past them."""
        by_ratio = _ratio_cap(info, self._limits)
        if budget is not None and budget < by_ratio:
            limit = self._limits.max_unzipped_bytes // MB
            return budget, sheet_error("unzipped_too_large", limit=limit)
        return by_ratio, sheet_error("compression_ratio_too_high")


class _Date1904Search:
    """Whether the workbook part switches to the 1904 date system."""

    def __init__(self) -> None:
        self.found = False
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        data = self._tail + chunk
        self.found = self.found or any(flag in data for flag in _DATE1904)
        self._tail = data[-_TAIL:]


def _check_declared(infos: list[zipfile.ZipInfo], limits: SheetLimits) -> None:
    if len(infos) > limits.max_zip_members:
        raise sheet_error("damaged_file")
    if sum(info.file_size for info in infos) > limits.max_unzipped_bytes:
        raise sheet_error("unzipped_too_large", limit=limits.max_unzipped_bytes // MB)
    for info in infos:
        if info.flag_bits & 0x1:
            raise sheet_error("encrypted_file")
        if info.file_size > _ratio_cap(info, limits):
            raise sheet_error("compression_ratio_too_high")


def _ratio_cap(info: zipfile.ZipInfo, limits: SheetLimits) -> int:
    by_ratio = info.compress_size * limits.max_compression_ratio
    return min(max(limits.ratio_floor_bytes, by_ratio), limits.max_unzipped_bytes)


def _inflate(
    raw: BinaryIO, info: zipfile.ZipInfo, cap: int, breach: SheetError
) -> Iterator[bytes]:
    """The part's bytes, refused past the cap or when size or CRC disagree."""
    produced, crc = 0, 0
    for chunk in _decoded(raw, info):
        produced += len(chunk)
        if produced > cap:
            raise breach
        crc = zlib.crc32(chunk, crc)
        yield chunk
    if produced != info.file_size or crc != info.CRC:
        raise sheet_error("damaged_file")


def _decoded(raw: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    compressed = _compressed(raw, info)
    if info.compress_type == zipfile.ZIP_STORED:
        return compressed
    if info.compress_type == zipfile.ZIP_DEFLATED:
        return _deflated(compressed)
    raise sheet_error("damaged_file")


def _compressed(raw: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    raw.seek(info.header_offset)
    magic, name_length, extra_length = _LOCAL_HEADER.unpack(raw.read(30))
    if magic != b"PK\x03\x04":
        raise sheet_error("damaged_file")
    raw.seek(info.header_offset + 30 + name_length + extra_length)
    left = info.compress_size
    while left > 0:
        piece = raw.read(min(_READ, left))
        if not piece:
            raise sheet_error("damaged_file")
        left -= len(piece)
        yield piece


def _deflated(compressed: Iterator[bytes]) -> Iterator[bytes]:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        for piece in compressed:
            yield from _drained(inflater, piece)
    except zlib.error:
        raise sheet_error("damaged_file") from None
    if not inflater.eof:
        raise sheet_error("damaged_file")


def _drained(inflater, piece: bytes) -> Iterator[bytes]:
    """Inflate one piece in bounded steps, output zlib still holds included."""
    while not inflater.eof:
        out = inflater.decompress(piece, _OUT)
        piece = inflater.unconsumed_tail
        if not out and not piece:
            return
        if out:
            yield out
