"""Load the sample school into a running system through the public API."""

from __future__ import annotations

import json
from pathlib import Path

from api_client import ApiClient

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "thcs-nguyen-du"


def load_demo_school(url: str, sample: Path = SAMPLE) -> dict:
    """Create the school, its catalogue and its roster; returns the roster answer."""
    api = ApiClient(url)
    operator = api.login("misa_operator")
    school = json.loads((sample / "school.json").read_text(encoding="utf-8"))
    api.call("POST", "/api/v1/schools", operator, json=school, ok=(201, 409))
    catalogue = json.loads((sample / "packages.json").read_text(encoding="utf-8"))
    for package in catalogue["packages"]:
        body = {**package, "school_year": catalogue["school_year"], "on_sale": True}
        api.call("PUT", f"/api/v1/packages/{package['code']}", operator, json=body)
    admin = api.login("school_admin", school["code"])
    roster = api.upload(f"/api/v1/schools/{school['code']}/roster", admin,
                        sample / "roster.xlsx")
    print(f"Demo school {school['code']} loaded: {roster.get('created', 0)} students "
          f"new, {roster.get('unchanged', 0)} unchanged, "
          f"{roster.get('invalid', 0)} rows refused.")
    return roster
