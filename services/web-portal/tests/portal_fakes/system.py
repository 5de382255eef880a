"""The fakes and the portal started together on real 127.0.0.1 ports."""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from web_portal.main import create_app
from web_portal.settings import PortalSettings

from .fakes import World, build_fakes
from .servers import ServerThread, stop_all, unused_port

# The repository's copy of the sample school.
SAMPLE = Path(__file__).resolve().parents[4] / "samples" / "thcs-nguyen-du"


@dataclass
class FakeSystem:
    """What the tests see: the portal's URL and the fakes' shared state."""

    url: str
    world: World
    services: dict
    log_dir: Path | None = None


def portal_settings(urls: dict[str, str], **overrides) -> PortalSettings:
    """Portal settings pointed at the given service URLs."""
    values = {"auth_dev_login": True, "activation_url": urls["activation"],
              "template_url": urls["template"], "import_url": urls["import"],
              "notification_url": urls["notification"],
              "school_year": "2025-2026", "readiness_timeout_seconds": 1.0}
    return PortalSettings(**{**values, **overrides})


@contextmanager
def fake_system(down: tuple[str, ...] = (), log_dir: Path | None = None,
                **portal_overrides):
    """Start the fakes (except those `down`) and the portal in front of them."""
    world = World()
    servers = {name: ServerThread(app).start()
               for name, app in build_fakes(world).items() if name not in down}
    urls = {name: (servers[name].url if name in servers
                   else f"http://127.0.0.1:{unused_port()}")
            for name in ("activation", "template", "import", "notification")}
    settings = portal_settings(urls, **portal_overrides)
    portal = ServerThread(create_app(settings)).start()
    try:
        yield FakeSystem(portal.url, world, servers, log_dir)
    finally:
        stop_all([portal, *servers.values()])


def seed_sample(world: World, school_year: str = "2025-2026") -> None:
    """The sample school's record and catalogue, as the operator would set."""
    school = json.loads((SAMPLE / "school.json").read_text(encoding="utf-8"))
    world.schools[school["code"]] = {**school, "auto_approve": False}
    catalogue = json.loads((SAMPLE / "packages.json").read_text(encoding="utf-8"))
    for package in catalogue["packages"]:
        world.packages[package["code"]] = {
            **package, "school_year": catalogue["school_year"], "on_sale": True}


def sign_in(http, role: str, school: str = "", student: str = ""):
    """Sign in through the portal's form, as a person would."""
    return http.post("/login", data={"role": role, "school_code": school,
                                     "student_code": student})
