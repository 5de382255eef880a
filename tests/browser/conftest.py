"""Fixtures of the browser tests: Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PORTAL_TESTS = Path(__file__).resolve().parents[2] / "services" / "web-portal" / "tests"


@pytest.fixture(scope="module")
def system(request):
    """The whole local system; HOCLIEU_BROWSER_FAKES=1 puts the portal's fakes
    behind it instead (to work on the UI without the services)."""
    if os.environ.get("HOCLIEU_BROWSER_FAKES") != "1":
        yield request.getfixturevalue("local_system")
        return
    sys.path.insert(0, str(PORTAL_TESTS))
    from portal_fakes.system import fake_system

    with fake_system() as running:
        yield running


@pytest.fixture(scope="module")
def chromium():
    """A headless Chromium; the tests are skipped where there is none."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
