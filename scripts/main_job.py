"""The main job of Học liệu, walked through the public HTTP API.

Used by the end-to-end test and by `make demo`: create the school and its
catalogue, import the roster, create accounts, download both templates,
upload and check the Google Form export, download the invalid records,
commit, approve as the vendor, and wait for activation and notification.
"""

from __future__ import annotations

import io
import json
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from api_client import ApiClient

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "thcs-nguyen-du"


@dataclass
class Report:
    """What happened at each stage, and how long it took."""

    school: str = ""
    correlation_id: str = ""
    figures: dict[str, object] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    invalid_reasons: Counter = field(default_factory=Counter)

    def print(self) -> None:
        print(f"Main job on {self.school}")
        for name, value in self.figures.items():
            print(f"  {name:<32}{value}")
        print("  invalid rows by reason:")
        for code, count in self.invalid_reasons.most_common():
            print(f"    {code:<34}{count}")
        print("  time per stage (s):")
        for name, value in self.seconds.items():
            print(f"    {name:<34}{value:.2f}")


class Stopwatch:
    def __init__(self, report: Report):
        self.report = report

    def __call__(self, stage: str):
        self.stage = stage
        return self

    def __enter__(self):
        self.started = time.perf_counter()

    def __exit__(self, *exc):
        self.report.seconds[self.stage] = time.perf_counter() - self.started


def poll(check, timeout: float, interval: float = 0.5):
    """Call check until it returns something truthy; raise after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(interval)
    raise TimeoutError(f"gave up after {timeout} s waiting for {check.__name__}")


class MainJob:
    """One walk of the whole loop on a sample school."""

    def __init__(self, url: str, sample: Path = SAMPLE, school_code: str | None = None):
        self.api = ApiClient(url)
        self.sample = sample
        school = json.loads((sample / "school.json").read_text(encoding="utf-8"))
        self.school = {**school, "code": school_code or school["code"],
                       "auto_approve": False}
        self.catalogue = json.loads((sample / "packages.json").read_text("utf-8"))
        self.report = Report(school=self.school["code"])
        self.timer = Stopwatch(self.report)
        self.files: dict[str, bytes] = {}

    @property
    def code(self) -> str:
        return self.school["code"]

    def run(self) -> Report:
        self.operator = self.api.login("misa_operator")
        self.admin = self.api.login("school_admin", self.code)
        for stage in (self.set_up_school, self.import_roster, self.create_accounts,
                      self.download_templates, self.upload_and_check,
                      self.download_invalid, self.commit, self.approve,
                      self.wait_for_activation, self.wait_for_notifications):
            with self.timer(stage.__name__.replace("_", " ")):
                stage()
        return self.report

    def set_up_school(self) -> None:
        self.api.call("POST", "/api/v1/schools", self.operator, json=self.school,
                      ok=(201, 409))
        year = self.catalogue["school_year"]
        for package in self.catalogue["packages"]:
            body = {**package, "school_year": year, "on_sale": True}
            self.api.call("PUT", f"/api/v1/packages/{package['code']}",
                          self.operator, json=body)

    def import_roster(self) -> None:
        answer = self.api.upload(f"/api/v1/schools/{self.code}/roster", self.admin,
                                 self.sample / "roster.xlsx")
        self.report.figures["roster answer"] = _brief(answer)
        students = self.api.call("GET", f"/api/v1/schools/{self.code}/students"
                                 "?limit=1", self.admin)
        self.report.figures["students"] = students["total"]

    def create_accounts(self) -> None:
        slips = self.api.call("POST", f"/api/v1/schools/{self.code}/accounts",
                              self.admin, json={}, raw=True)
        self.files["slips"] = slips
        book = openpyxl.load_workbook(io.BytesIO(slips), read_only=True)
        self.report.figures["account slip sheets"] = len(book.sheetnames)

    def download_templates(self) -> None:
        year = self.catalogue["school_year"]
        for layout in ("per-class", "single-sheet"):
            path = (f"/api/v1/schools/{self.code}/templates/registration.xlsx"
                    f"?layout={layout}&school_year={year}")

            def template(path=path):
                try:
                    return self.api.call("GET", path, self.admin, raw=True)
                except RuntimeError:
                    return None

            self.files[layout] = poll(template, timeout=60)
            book = openpyxl.load_workbook(io.BytesIO(self.files[layout]))
            visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
            self.report.figures[f"template {layout} sheets"] = len(visible)

    def upload_and_check(self) -> None:
        upload = self.api.upload(f"/api/v1/schools/{self.code}/imports", self.admin,
                                 self.sample / "google_form_responses.xlsx")
        self.import_id = upload["id"]
        sheet = upload["sheets"][0]
        answer = self._check({"sheet": sheet["name"]})
        if answer["status"] == "needs_mapping":
            answer = self._check({"sheet": sheet["name"],
                                  "mapping": answer["mapping"]})
        self.counts = answer["counts"]
        header_rows = answer["mapping"]["header_row"] + 1
        self.report.figures["rows read"] = sheet["rows"] - header_rows
        for key in ("valid", "invalid", "skipped", "superseded"):
            self.report.figures[key] = self.counts[key]
        self._tally_reasons()

    def _check(self, body: dict) -> dict:
        answer = self.api.call("POST", f"/api/v1/imports/{self.import_id}/check",
                               self.admin, json=body)
        if answer["status"] != "checking":
            return answer

        def checked():
            state = self.api.call("GET", f"/api/v1/imports/{self.import_id}",
                                  self.admin)
            return state if state["status"] != "checking" else None

        return poll(checked, timeout=300)

    def _tally_reasons(self) -> None:
        path = f"/api/v1/imports/{self.import_id}/rows?status=invalid&limit=10000"
        rows = self.api.call("GET", path, self.admin)
        for row in rows["items"]:
            for issue in row.get("errors", []):
                self.report.invalid_reasons[issue["code"]] += 1

    def download_invalid(self) -> None:
        path = f"/api/v1/imports/{self.import_id}/records.xlsx?only=invalid"
        self.files["invalid"] = self.api.call("GET", path, self.admin, raw=True)
        book = openpyxl.load_workbook(io.BytesIO(self.files["invalid"]),
                                      read_only=True)
        self.report.figures["invalid download sheets"] = len(book.sheetnames)

    def commit(self) -> None:
        answer = self.api.call("POST", f"/api/v1/imports/{self.import_id}/commit",
                               self.admin)
        self.batch_id = answer["batch_id"]
        self.report.figures["committed"] = _imported(answer["counts"])

    def approve(self) -> None:
        self.report.correlation_id = uuid.uuid4().hex
        headers = {"X-Correlation-ID": self.report.correlation_id}
        answer = self.api.call("POST", f"/api/v1/approvals/{self.batch_id}/approve",
                               self.operator, json={}, headers=headers)
        self.report.figures["approved"] = answer.get("approved", answer)

    def wait_for_activation(self) -> None:
        def activated():
            state = self.api.call("GET", f"/api/v1/imports/{self.import_id}",
                                  self.admin)
            counts = (state.get("batch") or {}).get("counts", {})
            done = counts.get("activated") == counts.get("approved") > 0
            return counts if done else None

        counts = poll(activated, timeout=180)
        self.batch_counts = counts
        self.report.figures["activated"] = counts["activated"]

    def wait_for_notifications(self) -> None:
        students = self._activated_students()
        pending = set(students)

        def all_notified():
            for student in list(pending):
                token = self.api.login("student", self.code, student)
                inbox = self.api.call(
                    "GET", f"/api/v1/students/{self.code}/{student}/notifications",
                    token)
                if inbox["total"] > 0:
                    pending.discard(student)
            return not pending

        poll(all_notified, timeout=180, interval=1.0)
        self.report.figures["students notified"] = len(students)

    def _activated_students(self) -> list[str]:
        batch = self.api.call("GET", f"/api/v1/batches/{self.batch_id}"
                              "?limit=100000", self.admin)
        return sorted({r["student_code"] for r in batch["registrations"]["items"]
                       if r["status"] == "activated"})


def _imported(counts: dict) -> int:
    return counts.get("imported", counts.get("registrations", 0))


def _brief(answer) -> str:
    if isinstance(answer, dict):
        return ", ".join(f"{k}={v}" for k, v in answer.items()
                         if isinstance(v, int))
    return str(answer)[:80]
