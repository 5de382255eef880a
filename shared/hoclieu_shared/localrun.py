"""The whole system on one machine: broker, every service, the web portal.

Used by `make run` (scripts/run_local.py) and by the end-to-end tests, so
both start the system the same way: each service its own process.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

from .kafka import ensure_topics
from .localbroker import LocalBroker, free_port

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServiceSpec:
    """One process of the system."""

    name: str
    package: str
    port: int
    has_database: bool = True


SERVICES = (
    ServiceSpec("activation", "activation_service", 8001),
    ServiceSpec("template", "template_service", 8002),
    ServiceSpec("import", "import_service", 8003),
    ServiceSpec("notification", "notification_service", 8004),
)
PORTAL = ServiceSpec("portal", "web_portal", 8000, has_database=False)
BROKER_PORT = 9092


@dataclass
class LocalSystem:
    """Starts and stops the processes of a local run."""

    data_dir: Path
    postgres_server_url: str | None = None
    kafka_bootstrap: str | None = None
    fixed_ports: bool = True
    topic_prefix: str = ""
    extra_env: dict[str, str] = field(default_factory=dict)
    broker: LocalBroker | None = None
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    databases: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports[PORTAL.name]}"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    def start(self, timeout: float = 90.0) -> LocalSystem:
        """Start everything and wait until the portal says all are ready."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._choose_ports()
        replay = self._start_broker()
        for spec in (*SERVICES, PORTAL):
            self._spawn(spec, replay)
        self.wait_ready(timeout)
        return self

    def _choose_ports(self) -> None:
        for spec in (*SERVICES, PORTAL):
            self.ports[spec.name] = spec.port if self.fixed_ports else free_port()

    def _start_broker(self) -> bool:
        if self.kafka_bootstrap:
            asyncio.run(ensure_topics(self.kafka_bootstrap, prefix=self.topic_prefix))
            return False
        port = BROKER_PORT if self.fixed_ports else free_port()
        self.broker = LocalBroker(port, self.log_dir / "broker.log").start()
        self.kafka_bootstrap = self.broker.bootstrap_servers
        asyncio.run(ensure_topics(self.kafka_bootstrap, prefix=self.topic_prefix))
        return True

    def _spawn(self, spec: ServiceSpec, replay: bool) -> None:
        env = {**os.environ, **self._env(spec, replay), **self.extra_env}
        output = open(self.log_dir / f"{spec.name}.log", "ab")
        self.processes[spec.name] = subprocess.Popen(
            [sys.executable, "-m", spec.package], env=env, stdout=output,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)

    def _env(self, spec: ServiceSpec, replay: bool) -> dict[str, str]:
        env = {
            "HTTP_HOST": "127.0.0.1",
            "HTTP_PORT": str(self.ports[spec.name]),
            "KAFKA_BOOTSTRAP_SERVERS": self.kafka_bootstrap,
            "TOPIC_PREFIX": self.topic_prefix,
            "DATA_DIR": str(self.data_dir),
            "AUTH_DEV_LOGIN": "1",
            "ENVIRONMENT": "local",
            "OUTBOX_REPLAY_ON_START": "1" if replay else "0",
        }
        for other in SERVICES:
            env[f"{other.name.upper()}_URL"] = (
                f"http://127.0.0.1:{self.ports[other.name]}")
        if spec.has_database:
            env["DATABASE_URL"] = self._database_url(spec)
        return env

    def _database_url(self, spec: ServiceSpec) -> str:
        if not self.postgres_server_url:
            return f"sqlite:///{self.data_dir / (spec.name + '.db')}"
        name = f"hoclieu_{spec.name}"
        if not self.fixed_ports:
            name = f"hl_e2e_{spec.name}_{uuid.uuid4().hex[:8]}"
        asyncio.run(_create_database(self.postgres_server_url, name))
        self.databases.append(name)
        return self.postgres_server_url.rpartition("/")[0] + "/" + name

    def wait_ready(self, timeout: float) -> dict:
        """Poll the portal's /readyz until 200; raise with the state if not."""
        deadline, state = time.monotonic() + timeout, {}
        while time.monotonic() < deadline:
            self._check_alive()
            status, state = _get_json(self.url + "/readyz")
            if status == 200:
                return state
            time.sleep(0.5)
        raise TimeoutError(f"system not ready after {timeout} s: {state}")

    def _check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise RuntimeError(
                    f"{name} exited with {process.returncode}; "
                    f"see {self.log_dir / (name + '.log')}")

    def stop(self) -> None:
        """Stop every process this run started, then the broker."""
        for process in self.processes.values():
            _signal_group(process, signal.SIGTERM)
        for process in self.processes.values():
            _wait_or_kill(process)
        self.processes.clear()
        if self.broker:
            self.broker.stop()
        if self.databases and not self.fixed_ports:
            for name in self.databases:
                asyncio.run(_drop_database(self.postgres_server_url, name))

    def __enter__(self) -> LocalSystem:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass


def _wait_or_kill(process: subprocess.Popen) -> None:
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        _signal_group(process, signal.SIGKILL)
        process.wait(5)


def _get_json(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read() or b"{}")
        except ValueError:
            return error.code, {}
    except (OSError, ValueError):
        return 0, {}


async def _create_database(server_url: str, name: str) -> None:
    conn = await asyncpg.connect(server_url)
    try:
        exists = await conn.fetchval(
            "SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def _drop_database(server_url: str, name: str) -> None:
    conn = await asyncpg.connect(server_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
