"""Fixtures of the portal's tests: fakes of the services on real ports."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest

# The fakes are a helper package beside the tests; pytest's importlib mode
# does not put this folder on the import path by itself.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from portal_fakes.system import fake_system


@pytest.fixture
def system():
    """The four fakes and the portal, all up."""
    with fake_system() as running:
        yield running


@pytest.fixture
def client(system):
    """An HTTP client of the portal that keeps its cookies."""
    with httpx.Client(base_url=system.url, timeout=10) as http:
        yield http
