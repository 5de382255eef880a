"""File answers: xlsx with a Vietnamese file name that every browser keeps."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str, fallback: str,
                  headers: dict[str, str] | None = None) -> Response:
    """An attachment; `filename*` carries the UTF-8 name (RFC 6266)."""
    disposition = (f'attachment; filename="{fallback}"; '
                   f"filename*=UTF-8''{quote(filename, safe='')}")
    return Response(content, media_type=XLSX, headers={
        "Content-Disposition": disposition, "Cache-Control": "no-store",
        **(headers or {})})
