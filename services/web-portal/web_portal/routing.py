"""The one routing table: which service owns each /api/v1 path."""

from __future__ import annotations

import re

# First match wins; patterns are matched against the path after /api/v1/.
# The school-scoped rows of other owners come before the catch-all "schools".
ROUTES: tuple[tuple[str, str], ...] = (
    (r"schools/[^/]+/templates(/.*)?", "template"),
    (r"schools/[^/]+/(imports|batches)(/.*)?", "import"),
    (r"schools/[^/]+/notifications(/.*)?", "notification"),
    (r"schools(/.*)?", "activation"),
    (r"packages(/.*)?", "activation"),
    (r"(imports|batches|approvals)(/.*)?", "import"),
    (r"students/[^/]+/[^/]+/notifications(/.*)?", "notification"),
)

SERVICE_NAMES_VI = {
    "activation": "dịch vụ kích hoạt",
    "template": "dịch vụ tạo mẫu đăng ký",
    "import": "dịch vụ nhập khẩu",
    "notification": "dịch vụ thông báo",
}

_COMPILED = tuple((re.compile(pattern), owner) for pattern, owner in ROUTES)


def owner_of(api_path: str) -> str | None:
    """The service that owns a path under /api/v1/, or None."""
    path = api_path.lstrip("/")
    for pattern, owner in _COMPILED:
        if pattern.fullmatch(path):
            return owner
    return None
