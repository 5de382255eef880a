"""The whole loop in a real browser, on the sample school.

Set-up through the API as the operator (school and catalogue), then in the
browser: the school's IT officer imports the roster, creates accounts,
downloads the template, uploads the Google Form answers, checks them,
downloads the invalid rows and imports; the operator approves; a student of
the batch, whose inbox is open all along, sees the notification arrive
without reloading the page. A screenshot of each step goes to
test-artifacts/browser/.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = Path(os.environ.get("HOCLIEU_SAMPLE_DIR",
                             ROOT / "samples" / "thcs-nguyen-du"))
ARTIFACTS = ROOT / "test-artifacts" / "browser"
SCHOOL = json.loads((SAMPLE / "school.json").read_text(encoding="utf-8"))
CATALOGUE = json.loads((SAMPLE / "packages.json").read_text(encoding="utf-8"))
CODE = SCHOOL["code"]
WAIT_MS = 300_000


class Api:
    """The public API as the operator and the officer call it in the set-up."""

    def __init__(self, url: str):
        self.http = httpx.Client(base_url=url, timeout=60)

    def token(self, role: str, school: str | None = None) -> dict:
        body = {"role": role, "school_code": school}
        answer = self.http.post("/api/v1/auth/dev-token", json=body)
        answer.raise_for_status()
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}

    def set_up_sample_school(self) -> None:
        operator = self.token("misa_operator")
        created = self.http.post("/api/v1/schools", headers=operator,
                                 json={**SCHOOL, "auto_approve": False})
        assert created.status_code in (200, 201, 409), created.text
        for package in CATALOGUE["packages"]:
            body = {k: v for k, v in package.items() if k != "code"}
            body.update(school_year=CATALOGUE["school_year"], on_sale=True)
            saved = self.http.put(f"/api/v1/packages/{package['code']}",
                                  headers=operator, json=body)
            assert saved.status_code in (200, 201), saved.text

    def wait_for_template(self, timeout: float) -> None:
        officer = self.token("school_admin", CODE)
        path = f"/api/v1/schools/{CODE}/templates/registration.xlsx"
        params = {"layout": "per-class", "school_year": CATALOGUE["school_year"]}
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.http.get(path, params=params, headers=officer).is_success:
                return
            time.sleep(3)
        raise AssertionError("the template-service never had the roster")

    def batch_of(self, import_id: str) -> dict:
        officer = self.token("school_admin", CODE)
        found = self.http.get(f"/api/v1/imports/{import_id}", headers=officer)
        batch_id = found.json()["batch"]["id"]
        operator = self.token("misa_operator")
        return self.http.get(f"/api/v1/batches/{batch_id}", headers=operator,
                             params={"limit": 5}).json()


class Steps:
    """Screenshots numbered in the order the loop takes them."""

    def __init__(self):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def shot(self, page, name: str, *, full: bool = True) -> None:
        self.count += 1
        page.screenshot(path=ARTIFACTS / f"{self.count:02d}-{name}.png",
                        full_page=full)


def sign_in(page, url: str, role_label: str, school: str = "",
            student: str = "") -> None:
    page.goto(f"{url}/login")
    page.get_by_label(role_label, exact=True).check()
    page.get_by_label("Mã trường", exact=True).fill(school)
    page.get_by_label("Mã học sinh", exact=True).fill(student)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def download(page, click) -> bytes:
    with page.expect_download(timeout=WAIT_MS) as info:
        click()
    return Path(info.value.path()).read_bytes()


def template_when_ready(page, url: str, api: Api) -> bytes:
    """The template from the page, once the template-service has the roster:
    it learns the roster from events, so it may first answer "not ready"."""
    api.wait_for_template(timeout=600)
    page.goto(f"{url}/school/{CODE}/template")
    page.get_by_label("Mỗi lớp 1 sheet").check()
    return download(page, page.get_by_role(
        "button", name=re.compile("Tải mẫu đăng ký")).click)


def new_page(chromium, steps_console: list):
    context = chromium.new_context(viewport={"width": 1280, "height": 860},
                                   locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.on("console", lambda m: m.type == "error" and steps_console.append(m.text))
    return page


def officer_prepares_the_school(page, url: str, steps: Steps, api: Api) -> None:
    sign_in(page, url, "Cán bộ tin học của trường", CODE)
    steps.shot(page, "truong-tong-quan")
    page.goto(f"{url}/school/{CODE}/roster")
    page.get_by_label("Tệp danh sách học sinh").set_input_files(SAMPLE / "roster.xlsx")
    page.get_by_role("button", name="Tải lên danh sách").click()
    page.get_by_role("heading", name=re.compile("Đã cập nhật danh sách")).wait_for()
    steps.shot(page, "danh-sach-hoc-sinh")
    page.goto(f"{url}/school/{CODE}/accounts")
    slips = download(page, page.get_by_role(
        "button", name=re.compile("Tạo tài khoản")).click)
    assert slips[:2] == b"PK"
    steps.shot(page, "tai-khoan")
    workbook = template_when_ready(page, url, api)
    assert workbook[:2] == b"PK"
    steps.shot(page, "buoc-1-mau-dang-ky")


def officer_imports_the_answers(page, url: str, steps: Steps) -> str:
    page.goto(f"{url}/school/{CODE}/imports/new")
    page.get_by_label("Tệp phiếu đăng ký").set_input_files(
        SAMPLE / "google_form_responses.xlsx")
    page.get_by_role("button", name="Tải lên").click()
    page.get_by_role("heading", name="Chọn sheet cần nhập").wait_for()
    import_id = page.url.rstrip("/").rsplit("/", 1)[1]
    steps.shot(page, "buoc-2-chon-sheet")
    page.get_by_role("button", name="Tiếp tục").click()
    result = page.get_by_role("heading", name="Kết quả kiểm tra")
    mapping = page.get_by_role("heading", name="Xác nhận cột dữ liệu")
    result.or_(mapping).wait_for()
    if mapping.is_visible():
        steps.shot(page, "buoc-2-xac-nhan-cot")
        page.get_by_role("button", name="Kiểm tra").click()
    result.wait_for()
    steps.shot(page, "buoc-2-ket-qua-hop-le", full=False)
    return import_id


def officer_downloads_invalid_and_commits(page, steps: Steps) -> None:
    page.get_by_role("link", name=re.compile("^Không hợp lệ")).click()
    page.locator(".cell-error").first.wait_for()
    steps.shot(page, "buoc-2-khong-hop-le")
    invalid = download(page, page.get_by_role(
        "link", name="Chỉ tải những bản ghi không hợp lệ").click)
    assert invalid[:2] == b"PK"
    page.get_by_role("button", name="Nhập khẩu").click()
    page.get_by_role("heading", name="Đã nhập khẩu").wait_for()
    steps.shot(page, "buoc-2-da-nhap-khau")


def test_whole_loop_from_roster_to_a_live_notification(system, chromium):
    api, steps, console = Api(system.url), Steps(), []
    api.set_up_sample_school()
    officer = new_page(chromium, console)

    officer_prepares_the_school(officer, system.url, steps, api)
    import_id = officer_imports_the_answers(officer, system.url, steps)
    officer_downloads_invalid_and_commits(officer, steps)
    batch = api.batch_of(import_id)
    student = batch["registrations"]["items"][0]["student_code"]

    learner = new_page(chromium, console)
    sign_in(learner, system.url, "Học sinh", CODE, student)
    learner.evaluate("window.__sameDocument = true")
    before = int(learner.locator("#unread-count").get_attribute("data-unread"))
    steps.shot(learner, "hoc-sinh-truoc-khi-duyet")

    operator = officer
    sign_in(operator, system.url, "Nhân viên vận hành MISA")
    steps.shot(operator, "misa-cho-duyet")
    operator.goto(f"{system.url}/operator/batches/{batch['id']}")
    steps.shot(operator, "misa-dot-dang-ky", full=False)
    operator.get_by_role("button", name="Duyệt tất cả").click()
    operator.get_by_text("Đã duyệt các đăng ký đã chọn.").wait_for()
    steps.shot(operator, "misa-da-duyet")

    learner.locator(".note.fresh").first.wait_for(timeout=WAIT_MS)
    steps.shot(learner, "hoc-sinh-nhan-thong-bao")
    assert learner.evaluate("window.__sameDocument") is True
    after = int(learner.locator("#unread-count").get_attribute("data-unread"))
    assert after > before
    assert "kích hoạt" in learner.locator(".note.fresh").first.inner_text()
    sign_in(operator, system.url, "Cán bộ tin học của trường", CODE)
    steps.shot(operator, "truong-tong-quan-sau-kich-hoat")
    for phone, name in ((learner, "hoc-sinh-dien-thoai"),
                        (operator, "truong-dien-thoai")):
        phone.set_viewport_size({"width": 390, "height": 844})
        steps.shot(phone, name, full=False)
    (ARTIFACTS / "console-errors.txt").write_text("\n".join(console),
                                                  encoding="utf-8")
