"""Activation -> notification latency under load, on this machine.

    .venv/bin/python benchmarks/bench_activation_latency.py [--rates 50 200 500]

Starts the whole system as the local run does (each service its own process,
the tansu broker, PostgreSQL from $DATABASE_URL or 127.0.0.1:5432), creates a
school of synthetic students, keeps a live stream open for a sample of them,
then puts RegistrationApproved events on the broker at N per second. The
activation-service activates each package and the notification-service
pushes the notification. For every notification received on an open stream
it prints percentiles of: PackageActivated time -> pushed on the stream
(server clocks), and PackageActivated time -> received here.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from api_client import ApiClient  # noqa: E402

from hoclieu_shared.events import RegistrationApproved  # noqa: E402
from hoclieu_shared.localrun import LocalSystem  # noqa: E402
from hoclieu_shared.testing.events import envelope  # noqa: E402

YEAR = "2025-2026"
SCHOOL = "BENCH-LATENCY"
SECONDS_PER_RATE = {50: 10, 200: 5, 500: 4}
STREAM_EVERY = 10


def roster_csv(count: int) -> bytes:
    """A roster of `count` grade-6 students, 40 per class."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Mã học sinh", "Họ và tên", "Ngày sinh", "Giới tính", "Lớp",
                     "Họ tên phụ huynh", "Số điện thoại"])
    for i in range(count):
        writer.writerow([f"B{i:06d}", f"Học Sinh {i}", "01/09/2014", "Nam",
                         f"6A{i // 40 + 1}", f"Phụ Huynh {i}",
                         f"09{i % 100_000_000:08d}"])
    return out.getvalue().encode("utf-8")


def set_up_school(url: str, students: int, rates: list[int]) -> None:
    api = ApiClient(url)
    operator = api.login("misa_operator")
    api.call("POST", "/api/v1/schools", operator, ok=(201, 409), json={
        "code": SCHOOL, "name": "Trường đo tải", "province": "Hà Nội",
        "auto_approve": False})
    for rate in rates:
        api.call("PUT", f"/api/v1/packages/BENCH-{rate}", operator, json={
            "name": f"Gói đo tải {rate}", "school_year": YEAR, "grades": [6],
            "price": 100000, "courses": ["Khóa đo tải"], "on_sale": True})
    admin = api.login("school_admin", SCHOOL)
    with tempfile.NamedTemporaryFile(suffix=".csv") as handle:
        handle.write(roster_csv(students))
        handle.flush()
        api.upload(f"/api/v1/schools/{SCHOOL}/roster", admin, Path(handle.name))


class Streams:
    """Open live streams of a sample of students; collect what they receive."""

    def __init__(self, url: str, students: list[str]):
        self.url = url
        self.students = students
        self.received: list[dict] = []
        self.ready = 0

    async def follow(self, http: httpx.AsyncClient, student: str) -> None:
        token = (await http.post("/api/v1/auth/dev-token", json={
            "role": "student", "school_code": SCHOOL,
            "student_code": student})).json()["access_token"]
        path = f"/api/v1/students/{SCHOOL}/{student}/notifications/stream"
        headers = {"Authorization": f"Bearer {token}"}
        async with http.stream("GET", path, headers=headers) as response:
            async for line in response.aiter_lines():
                if line.startswith("event: ready"):
                    self.ready += 1
                if line.startswith("data:") and '"pushed_at"' in line:
                    data = json.loads(line[5:])
                    data["received_at"] = datetime.now(UTC).isoformat()
                    self.received.append(data)


async def produce_at_rate(bootstrap: str, prefix: str, rate: int, seconds: int,
                          students: list[str]) -> None:
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=2)
    await producer.start()
    started, batch = time.perf_counter(), uuid.uuid4()
    try:
        for i, student in enumerate(students[: rate * seconds]):
            await asyncio.sleep(max(started + i / rate - time.perf_counter(), 0))
            item = envelope(RegistrationApproved(
                registration_id=uuid.uuid4(), batch_id=batch, school_year=YEAR,
                student_code=student, package_codes=[f"BENCH-{rate}"],
                approved_by="benchmark"), SCHOOL)
            await producer.send(prefix + item.type, item.to_bytes(),
                                key=item.key().encode(), headers=item.headers())
        await producer.flush()
    finally:
        await producer.stop()


def percentiles(values: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def seconds_between(later: str, earlier: str) -> float:
    return (datetime.fromisoformat(later) - datetime.fromisoformat(earlier)
            ).total_seconds()


async def run_rates(system: LocalSystem, rates: list[int], students: list[str]):
    sample = students[::STREAM_EVERY]
    streams = Streams(system.url, sample)
    notifier = f"http://127.0.0.1:{system.ports['notification']}"
    limits = httpx.Limits(max_connections=len(sample) + 10)
    async with httpx.AsyncClient(base_url=notifier, timeout=None,
                                 limits=limits) as http:
        tasks = [asyncio.create_task(streams.follow(http, s)) for s in sample]
        while streams.ready < len(sample):
            await asyncio.sleep(0.2)
        rows = []
        for rate in rates:
            before = len(streams.received)
            seconds = SECONDS_PER_RATE.get(rate, 5)
            await produce_at_rate(system.kafka_bootstrap, system.topic_prefix, rate,
                                  seconds, students)
            expected = len(students[: rate * seconds][::STREAM_EVERY])
            deadline = time.monotonic() + 60
            while len(streams.received) - before < expected and \
                    time.monotonic() < deadline:
                await asyncio.sleep(0.2)
            rows.append((rate, streams.received[before:], expected))
        for task in tasks:
            task.cancel()
    return rows


def print_table(rows) -> None:
    print(f"{'N/s':>5} {'seen':>6} {'push p50':>9} {'p95':>7} {'p99':>7}"
          f" {'recv p50':>9} {'p95':>7} {'p99':>7}   (seconds after PackageActivated)")
    for rate, got, expected in rows:
        if len(got) < 2:
            print(f"{rate:>5} {len(got):>4}/{expected:<4} too few notifications")
            continue
        push = percentiles([seconds_between(g["pushed_at"], g["activated_at"])
                            for g in got])
        recv = percentiles([seconds_between(g["received_at"], g["activated_at"])
                            for g in got])
        print(f"{rate:>5} {len(got):>3}/{expected:<3} {push[0]:9.3f} {push[1]:7.3f}"
              f" {push[2]:7.3f} {recv[0]:9.3f} {recv[1]:7.3f} {recv[2]:7.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", type=int, nargs="+", default=[50, 200, 500])
    parser.add_argument("--database-url",
                        default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    count = max(r * SECONDS_PER_RATE.get(r, 5) for r in args.rates)
    students = [f"B{i:06d}" for i in range(count)]
    with tempfile.TemporaryDirectory() as data_dir:
        system = LocalSystem(data_dir=Path(data_dir), fixed_ports=False,
                             postgres_server_url=args.database_url,
                             topic_prefix=f"bench{uuid.uuid4().hex[:6]}.",
                             extra_env={"LOG_LEVEL": "WARNING"})
        with system:
            set_up_school(system.url, count, args.rates)
            time.sleep(3)
            print_table(asyncio.run(run_rates(system, args.rates, students)))


if __name__ == "__main__":
    main()
