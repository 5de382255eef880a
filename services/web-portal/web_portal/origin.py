"""Refuse state changes sent from other sites with the user's cookie."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request

from hoclieu_shared.errors import Forbidden


def same_origin(request: Request) -> None:
    """Refuse a request whose Origin (or Referer) is another site."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source or source == "null":
        return
    if urlsplit(source).netloc != request.headers.get("host"):
        raise Forbidden("cross_site", "Yêu cầu đến từ trang khác đã bị từ chối.")
