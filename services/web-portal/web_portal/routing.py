"""The one routing table: which service owns each /api/v1 path."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from hoclieu_shared.errors import AppError

# First match wins; patterns are matched against the path after /api/v1/, in
# the percent-encoded form that is forwarded (see `forwarded_path`).
# The school-scoped rows of other owners come before the catch-all "schools".
ROUTES: tuple[tuple[str, str], ...] = (
    (r"schools/[^/]+/templates(/.*)?", "template"),
    (r"schools/[^/]+/(imports|batches)(/.*)?", "import"),
    (r"schools/[^/]+/notifications(/.*)?", "notification"),
    (r"schools(/.*)?", "activation"),
    (r"packages(/.*)?", "activation"),
    (r"(imports|batches|approvals)(/.*)?", "import"),
    (r"students/[^/]+/[^/]+/notifications(/.*)?", "notification"),
    (r"notifications/delivery", "notification"),
)

SERVICE_NAMES_VI = {
    "activation": "dịch vụ kích hoạt",
    "template": "dịch vụ tạo mẫu đăng ký",
    "import": "dịch vụ nhập khẩu",
    "notification": "dịch vụ thông báo",
}

_COMPILED = tuple((re.compile(pattern), owner) for pattern, owner in ROUTES)
# A separator or a control character inside one segment, once decoded.
_UNSAFE = re.compile(r"[/\\\x00-\x1f\x7f-\x9f]")


class InvalidPath(AppError):
    """A path that could step out of the routing table, or no URL at all."""

    status = 400

    def __init__(self) -> None:
        super().__init__("invalid_path", "Địa chỉ yêu cầu không hợp lệ.")


def owner_of(api_path: str) -> str | None:
    """The service that owns a path under /api/v1/, or None."""
    path = api_path.lstrip("/")
    for pattern, owner in _COMPILED:
        if pattern.fullmatch(path):
            return owner
    return None


def checked_segments(api_path: str) -> tuple[str, ...]:
    """The segments of a decoded path; InvalidPath when one is unsafe."""
    return _checked(api_path.removeprefix("/").split("/"))


def wire_segments(raw_path: bytes) -> tuple[str, ...]:
    """The checked, percent-decoded segments of a path as it came on the wire.

    Each segment is decoded on its own, so an encoded "/" stays inside its
    segment (and is refused there) instead of becoming a separator."""
    try:
        text = raw_path.decode("ascii")
        segments = [unquote(s, errors="strict") for s in text.split("/")]
    except UnicodeDecodeError as error:
        raise InvalidPath() from error
    if segments[0] != "":
        raise InvalidPath()
    return _checked(segments[1:])


def _checked(segments: list[str]) -> tuple[str, ...]:
    for segment in segments:
        if segment in ("", ".", "..") or _UNSAFE.search(segment):
            raise InvalidPath()
    return tuple(segments)


def forwarded_path(segments: tuple[str, ...]) -> str:
    """Checked segments as they are sent on: each one percent-encoded."""
    return "/".join(quote(segment, safe="") for segment in segments)
