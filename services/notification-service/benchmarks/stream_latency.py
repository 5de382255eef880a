"""Print how long notifications take to reach a student's live stream.

    python benchmarks/stream_latency.py http://127.0.0.1:8004 SCHOOL STUDENT -n 20

Keeps the student's stream open and, for each notification, prints the
seconds from activation to push (server clocks) and to receipt here. The
token comes from $HOCLIEU_TOKEN, else from the dev login (AUTH_DEV_LOGIN=1).
Activate packages for the student meanwhile (e.g. an import with
auto-approval); it stops after -n notifications and prints the medians.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
from datetime import UTC, datetime

import httpx


def _seconds(later: datetime, earlier: str) -> float:
    return (later - datetime.fromisoformat(earlier)).total_seconds()


async def _token(http: httpx.AsyncClient, school: str, student: str) -> str:
    if os.environ.get("HOCLIEU_TOKEN"):
        return os.environ["HOCLIEU_TOKEN"]
    response = await http.post("/api/v1/auth/dev-token", json={
        "role": "student", "school_code": school, "student_code": student})
    response.raise_for_status()
    return response.json()["access_token"]


async def measure(base: str, school: str, student: str, count: int) -> None:
    """Follow the stream until `count` notifications arrived; print figures."""
    figures: list[tuple[float, float]] = []
    async with httpx.AsyncClient(base_url=base, timeout=None) as http:
        headers = {"Authorization": f"Bearer {await _token(http, school, student)}"}
        path = f"/api/v1/students/{school}/{student}/notifications/stream"
        async with http.stream("GET", path, headers=headers) as response:
            response.raise_for_status()
            async for line in response.aiter_lines():
                if line.startswith("data:") and '"pushed_at"' in line:
                    figures.append(_report(json.loads(line[5:]), len(figures) + 1))
                    if len(figures) >= count:
                        break
    _summary(figures)


def _report(data: dict, number: int) -> tuple[float, float]:
    now = datetime.now(UTC)
    to_push = _seconds(datetime.fromisoformat(data["pushed_at"]),
                       data["activated_at"])
    to_receipt = _seconds(now, data["activated_at"])
    print(f"{number:4d} seq {data['seq']:<6d} activation->push {to_push:7.3f} s"
          f"  activation->receipt {to_receipt:7.3f} s")
    return to_push, to_receipt


def _summary(figures: list[tuple[float, float]]) -> None:
    if figures:
        print(f"median activation->push "
              f"{statistics.median(f[0] for f in figures):.3f} s, "
              f"activation->receipt {statistics.median(f[1] for f in figures):.3f} s"
              f" over {len(figures)} notifications")


def main() -> None:
    """Parse the arguments and measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("school")
    parser.add_argument("student")
    parser.add_argument("-n", "--count", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(measure(args.base_url, args.school, args.student, args.count))


if __name__ == "__main__":
    main()
