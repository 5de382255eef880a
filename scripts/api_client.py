"""A small client of the public HTTP API for scripts (demo, benchmarks)."""

from __future__ import annotations

from pathlib import Path

import httpx


class ApiError(RuntimeError):
    """The API answered with an unexpected status."""


class ApiClient:
    """Calls /api/v1 with a bearer token and checks the status."""

    def __init__(self, url: str, timeout: float = 120.0):
        self.http = httpx.Client(base_url=url, timeout=timeout)

    def login(self, role: str, school: str | None = None,
              student: str | None = None) -> str:
        body = {"role": role, "school_code": school, "student_code": student}
        answer = self.call("POST", "/api/v1/auth/dev-token", None,
                           json={k: v for k, v in body.items() if v})
        return answer["access_token"]

    def call(self, method: str, path: str, token: str | None, *,
             ok=(200, 201, 202), raw: bool = False, **kwargs):
        headers = {**kwargs.pop("headers", {})}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        response = self.http.request(method, path, headers=headers, **kwargs)
        if response.status_code not in ok:
            raise ApiError(f"{method} {path} -> {response.status_code}: "
                           f"{response.text[:500]}")
        if raw or not response.headers.get("content-type", "").startswith(
                "application/json"):
            return response.content
        return response.json()

    def upload(self, path: str, token: str, file: Path, **kwargs):
        with file.open("rb") as handle:
            files = {"file": (file.name, handle, "application/octet-stream")}
            return self.call("POST", path, token, files=files, **kwargs)
