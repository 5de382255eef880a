"""The sample school end to end: roster, second import, accounts and slips."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from collections import Counter

import openpyxl
import pytest
from hoclieu_shared.testing.samples import SAMPLE_SCHOOL

from activation_service.adapters.hashing import PasswordHashing

SAMPLE = SAMPLE_SCHOOL
SCHOOL = json.loads((SAMPLE / "school.json").read_text()) if SAMPLE.exists() \
    else {}
CODE = SCHOOL.get("code", "")

pytestmark = pytest.mark.skipif(not SAMPLE.exists(),
                                reason="the sample school is not beside the repo")


def roster_facts() -> tuple[int, Counter, int]:
    """Students, students per class and parents' phones in the sample file."""
    sheet = openpyxl.load_workbook(SAMPLE / "roster.xlsx", read_only=True).active
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[1]]
    return len(rows), Counter(r[5] for r in rows), sum(bool(r[7]) for r in rows)


def upload(service):
    with (SAMPLE / "roster.xlsx").open("rb") as handle:
        return service.client.post(
            f"/api/v1/schools/{CODE}/roster", headers=service.admin(CODE),
            files={"file": ("roster.xlsx", handle)})


@pytest.fixture(scope="module")
def first_import(service) -> dict:
    """The sample school with its roster imported once."""
    created = service.client.post("/api/v1/schools", headers=service.operator(),
                                  json={**SCHOOL, "auto_approve": False})
    assert created.status_code == 201, created.text
    answer = upload(service)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def outbox_count(service, topic: str) -> int:
    rows = await service.sql(
        "SELECT count(*) FROM outbox_messages WHERE topic = $1", topic)
    return rows[0][0]


def test_roster_gives_every_student_in_every_class(service, first_import):
    students, per_class, _ = roster_facts()

    classes = service.client.get(f"/api/v1/schools/{CODE}/classes",
                                 headers=service.admin(CODE)).json()

    assert (students, len(per_class)) == (1051, 28)
    assert first_import["created"] == 1051
    assert first_import["invalid"] == 0 and first_import["invalid_rows"] == []
    assert classes["total"] == 28
    assert {c["name"]: c["students"] for c in classes["items"]} == dict(per_class)


async def test_roster_keeps_dates_and_parents(service, first_import):
    _, _, phones = roster_facts()

    first = service.client.get(f"/api/v1/schools/{CODE}/students/0160000001",
                               headers=service.admin(CODE)).json()
    stored = await service.sql(
        "SELECT count(*) FROM students WHERE parent_phone IS NOT NULL "
        "AND parent_name IS NOT NULL")
    no_birth = await service.sql(
        "SELECT count(*) FROM students WHERE date_of_birth IS NULL")

    assert first == {
        "code": "0160000001", "full_name": "Nguyễn Đăng Cường",
        "date_of_birth": "2013-10-02", "gender": "Nam", "class_name": "6A1",
        "grade": 6, "parent_name": "Phạm Quỳnh Diệp",
        "parent_phone": "0820166131", "account": None, "packages": []}
    assert stored[0][0] == phones
    assert no_birth[0][0] == 0


async def test_second_import_changes_and_publishes_nothing(service, first_import):
    before = await outbox_count(service, "StudentAccountUpdated")

    again = upload(service).json()

    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 1051)
    assert await outbox_count(service, "StudentAccountUpdated") == before == 1051


@pytest.fixture(scope="module")
def slips(service, first_import) -> bytes:
    """The credential slips of the accounts made for every student."""
    answer = service.client.post(f"/api/v1/schools/{CODE}/accounts",
                                 headers=service.admin(CODE))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert "filename*=UTF-8''Phi%E1%BA%BFu%20t%C3%A0i%20kho%E1%BA%A3n" in \
        answer.headers["content-disposition"]
    return answer.content


def slip_passwords(book) -> dict[str, str]:
    """username -> password as printed on the slips."""
    found = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        for index, row in enumerate(rows):
            if row[0] == "Tên đăng nhập:":
                found[row[1]] = rows[index + 1][1]
    return found


def test_slips_have_one_sheet_per_class_and_one_slip_per_student(service, slips):
    _, per_class, _ = roster_facts()

    book = openpyxl.load_workbook(io.BytesIO(slips))

    assert book.sheetnames == sorted(per_class, key=lambda n: (len(n), n))
    for sheet in book.worksheets:
        titles = [r for r in sheet.iter_rows(values_only=True)
                  if r[0] == "PHIẾU TÀI KHOẢN ÔN TẬP"]
        assert len(titles) == per_class[sheet.title]
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
        assert sheet.row_breaks.count == (per_class[sheet.title] - 1) // 6
    assert len(slip_passwords(book)) == 1051


async def test_no_password_is_stored_anywhere(service, slips):
    printed = slip_passwords(openpyxl.load_workbook(io.BytesIO(slips)))

    dump = await database_dump(service)
    hashes = dict(await service.sql(
        "SELECT username, password_hash FROM accounts"))

    assert len(hashes) == 1051
    assert not [p for p in printed.values() if p in dump]
    hasher = PasswordHashing(memory_kib=4096, time_cost=1, workers=1)
    username, password = next(iter(printed.items()))
    assert hashes[username].startswith("$argon2id$")
    assert hasher.verify(hashes[username], password)


async def database_dump(service) -> str:
    """Every row of every table of the service, as one text."""
    tables = await service.sql("SELECT table_name FROM information_schema.tables "
                               "WHERE table_schema = 'public'")
    parts = []
    for (table,) in tables:
        rows = await service.sql(f'SELECT * FROM "{table}"')
        parts.extend(str(tuple(r)) for r in rows)
    return "\n".join(parts)


def test_second_request_has_no_new_accounts(service, slips):
    answer = service.client.post(f"/api/v1/schools/{CODE}/accounts",
                                 headers=service.admin(CODE), json={})

    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    assert answer.status_code == 200
    assert answer.headers["x-accounts-issued"] == "0"
    assert book.sheetnames == ["Không có tài khoản mới"]


def test_account_list_shows_usernames_and_never_passwords(service, slips):
    printed = slip_passwords(openpyxl.load_workbook(io.BytesIO(slips)))

    answer = service.client.get(f"/api/v1/schools/{CODE}/accounts.xlsx?class=6a1",
                                headers=service.admin(CODE))
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    rows = [r for r in sheet.iter_rows(min_row=5, values_only=True)]

    assert answer.status_code == 200 and rows
    assert {r[1] for r in rows} == {"6A1"}
    assert all(r[5] in printed and r[6] == "Đang hoạt động" for r in rows)
    cells = {str(v) for r in sheet.iter_rows(values_only=True) for v in r}
    assert not cells & set(printed.values())


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice is not installed")
def test_slips_of_two_classes_print_whole_in_libreoffice(slips, tmp_path):
    _, per_class, _ = roster_facts()
    book = openpyxl.load_workbook(io.BytesIO(slips))
    # Two classes keep the rendering short; every sheet has the same layout.
    for sheet in book.worksheets[2:]:
        book.remove(sheet)
    book.save(tmp_path / "slips.xlsx")

    subprocess.run(["soffice", "--headless", "--norestore",
                    f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(tmp_path / "slips.xlsx")], check=True, timeout=240,
                   capture_output=True)
    pdf = (tmp_path / "slips.pdf").read_bytes()

    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == sum(-(-per_class[s] // 6) for s in book.sheetnames)
