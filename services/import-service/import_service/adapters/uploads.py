"""Receiving an uploaded file: streamed to disk, chunk by chunk, with a cap.

The multipart body is parsed as it arrives, so a file is never held whole in
memory and an oversized upload stops at the cap instead of filling the disk.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from hoclieu_shared.errors import AppError
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

# Multipart framing and the other fields of a form are small; this is slack
# for them when judging a request by its Content-Length alone.
FORM_OVERHEAD = 64 * 1024
MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class Received:
    """An uploaded file now on disk."""

    file_name: str
    size: int


def file_too_large(max_bytes: int) -> AppError:
    """The error of an upload over the size cap."""
    mib = max_bytes / (1024 * 1024)
    return AppError("file_too_large",
                    f"Tệp quá lớn: tối đa {mib:.0f} MB. Hãy chia nhỏ tệp "
                    "hoặc xoá các trang tính không cần thiết.", status=413)


async def receive_file(request: Request, destination: Path, *, max_bytes: int,
                       field: str = "file") -> Received:
    """Write the form's file field to `destination`; the caller owns the file."""
    boundary = _boundary(request)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes + FORM_OVERHEAD:
        raise file_too_large(max_bytes)
    sink = _FileSink(destination, field, max_bytes)
    parser = MultipartParser(boundary, sink.callbacks())
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError:
        raise AppError(
            "upload_damaged",
            "Dữ liệu tải lên bị lỗi; vui lòng chọn tệp và tải lại.") from None
    finally:
        sink.close()
    return sink.result()


def _boundary(request: Request) -> bytes:
    kind, options = parse_options_header(request.headers.get("content-type"))
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise AppError("upload_not_multipart",
                       "Hãy gửi tệp trong biểu mẫu (multipart/form-data), "
                       "trường \"file\".", status=415)
    return boundary


class _FileSink:
    """Multipart callbacks that stream one named file part to disk."""

    def __init__(self, destination: Path, field: str, max_bytes: int):
        self.destination = destination
        self.field = field
        self.max_bytes = max_bytes
        self.size = 0
        self.file_name: str | None = None
        self._out = None
        self._headers: dict[bytes, bytes] = {}
        self._header_field = b""
        self._header_value = b""

    def callbacks(self) -> dict:
        """The parser's callbacks, bound to this sink."""
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": self._on_field,
            "on_header_value": self._on_value,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _part_begin(self) -> None:
        self._headers = {}

    def _on_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _on_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._header_field.lower()] = self._header_value
        self._header_field = self._header_value = b""

    def _headers_finished(self) -> None:
        disposition = self._headers.get(b"content-disposition", b"")
        _, options = parse_options_header(disposition.decode("latin-1"))
        is_ours = options.get(b"name") == self.field.encode()
        if is_ours and self.file_name is None and b"filename" in options:
            self.file_name = clean_file_name(options[b"filename"])
            self.destination.parent.mkdir(parents=True, exist_ok=True)
            self._out = open(self.destination, "xb")

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._out is None:
            return
        self.size += end - start
        if self.size > self.max_bytes:
            raise file_too_large(self.max_bytes)
        self._out.write(data[start:end])

    def _part_end(self) -> None:
        self.close()

    def close(self) -> None:
        """Close the file on disk, if one is open."""
        if self._out is not None:
            self._out.close()
            self._out = None

    def result(self) -> Received:
        """The received file; refused when there was none or it was empty."""
        if self.file_name is None:
            raise AppError("file_missing",
                           "Chưa có tệp nào được gửi lên; hãy chọn tệp Excel "
                           "hoặc CSV rồi tải lên.", status=422)
        if self.size == 0:
            raise AppError("file_empty", "Tệp tải lên không có nội dung.")
        return Received(self.file_name, self.size)


def clean_file_name(raw: bytes) -> str:
    """The file's own name (no folders, no control characters), NFC."""
    try:
        name = raw.decode("utf-8")
    except UnicodeDecodeError:
        name = raw.decode("latin-1")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = unicodedata.normalize("NFC", name).strip()
    return name[-MAX_NAME_LENGTH:] or "tep-tai-len"
