"""Schools, catalogue, roster changes, individual and approved activation."""

from __future__ import annotations

import uuid

import pytest
from hoclieu_shared.events import RegistrationApproved
from hoclieu_shared.testing.events import collect, envelope, produce, wait_until

from activation_service.adapters.hashing import PasswordHashing

YEAR = "2025-2026"
HEADER = "Mã học sinh,Họ và tên,Ngày sinh,Giới tính,Lớp,Họ tên phụ huynh,Số điện thoại"
ROWS = [
    "HS01,Nguyễn Văn An,02/10/2013,Nam,6A1,,",
    "HS02,Trần Thị Bình,15/03/2013,Nữ,6A1,Trần Văn Cả,0987654321",
    "HS03,Lê Minh Châu,01/01/2010,Nữ,9A2,,",
]


def roster_csv(*rows: str, title: bool = True) -> bytes:
    lines = (["DANH SÁCH HỌC SINH,,,,,,", ",,,,,,"] if title else []) + \
        [HEADER, *rows]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def put_roster(service, school: str, content: bytes):
    return service.client.post(f"/api/v1/schools/{school}/roster",
                               headers=service.admin(school),
                               files={"file": ("danh sách.csv", content)})


def put_package(service, code: str, grades=(6,), on_sale=True,
                year=YEAR, body_code=None):
    return service.client.put(
        f"/api/v1/packages/{code}", headers=service.operator(),
        json={"code": body_code or code, "name": f"Gói {code}",
              "school_year": year, "grades": list(grades),
              "price": 150000, "courses": [f"Khóa {code} 1", f"Khóa {code} 2"],
              "on_sale": on_sale})


@pytest.fixture
def school(service) -> str:
    """A school of its own with three students."""
    code = service.new_code()
    service.make_school(code)
    assert put_roster(service, code, roster_csv(*ROWS)).status_code == 200
    return code


@pytest.fixture(scope="module")
def packages(service) -> dict[str, str]:
    """Packages of their own: one for grade 6, one for grade 9, one off sale."""
    codes = {"six": service.new_code("P6"), "nine": service.new_code("P9"),
             "off": service.new_code("PX")}
    put_package(service, codes["six"])
    put_package(service, codes["nine"], grades=(9,))
    put_package(service, codes["off"], on_sale=False)
    return codes


def activate(service, school: str, student: str, codes: list[str],
             **parent):
    return service.client.put(
        f"/api/v1/schools/{school}/students/{student}/packages",
        headers=service.admin(school),
        json={"package_codes": codes, "school_year": YEAR, **parent})


def test_school_is_created_once_and_announced(service):
    code = service.new_code()

    service.make_school(code, auto_approve=True)
    again = service.client.post("/api/v1/schools", headers=service.operator(),
                                json={"code": code, "name": "X"})

    assert again.status_code == 409
    assert again.json()["error"]["code"] == "school_exists"


async def test_school_change_is_announced_with_auto_approval(service):
    code = service.new_code()
    service.make_school(code)

    changed = service.client.patch(f"/api/v1/schools/{code}",
                                   headers=service.operator(),
                                   json={"auto_approve": True})
    events = await service.events("SchoolUpdated", code, want=2)

    assert changed.json()["auto_approve"] is True
    assert [e.data["auto_approve"] for e in events] == [False, True]
    assert events[0].key() == f"{code}:-"


def test_admin_lists_only_their_own_school(service, school):
    mine = service.client.get("/api/v1/schools", headers=service.admin(school))
    every = service.client.get("/api/v1/schools?limit=1",
                               headers=service.operator())

    assert [s["code"] for s in mine.json()["items"]] == [school]
    assert mine.json()["total"] == 1
    assert len(every.json()["items"]) == 1 and every.json()["total"] >= 2


async def test_catalogue_put_is_announced_only_when_it_changes(service):
    code = service.new_code("P")

    first = put_package(service, code, grades=(6, 7))
    same = put_package(service, code, grades=(7, 6))
    changed = put_package(service, code, grades=(6, 7), on_sale=False)
    mismatch = put_package(service, code, body_code="OTHER")
    listed = service.client.get(f"/api/v1/packages?school_year={YEAR}&grade=7",
                                headers=service.admin("ANY"))
    rows = await service.sql("SELECT payload FROM outbox_messages WHERE "
                             "topic = 'PackageCatalogUpdated' AND payload LIKE $1",
                             f"%{code}%")

    assert (first.status_code, same.status_code, changed.status_code) == \
        (201, 200, 200)
    assert mismatch.json()["error"]["code"] == "package_code_mismatch"
    assert code in [p["code"] for p in listed.json()["items"]]
    assert len(rows) == 2


async def test_individual_activation_normalises_phone_and_announces_once(
        service, school, packages):
    six = packages["six"]

    first = activate(service, school, "HS01", [six], parent_name="Phạm Thị Dung",
                     parent_phone="0912.345.678")
    again = activate(service, school, "HS01", [six])
    events = await service.events("PackageActivated", school, want=1)
    await_more = await service.events("PackageActivated", school, want=2,
                                      timeout=3)

    body = first.json()
    assert first.status_code == 200, first.text
    assert body["parent_phone"] == "0912345678"
    assert (body["activated"], body["packages"]) == ([six], [six])
    assert body["account"]["status"] == "active" and body["account_created"]
    assert (again.json()["activated"], again.json()["already_active"]) == \
        ([], [six])
    assert len(events) == len(await_more) == 1
    data = events[0].data
    assert data["package_name"] == f"Gói {six}"
    assert data["courses"] == [f"Khóa {six} 1", f"Khóa {six} 2"]
    assert data["via"] == "manual" and data["registration_id"] is None
    stored = await service.sql("SELECT a.id::text, s.parent_phone FROM accounts a "
                               "JOIN students s ON s.id = a.student_id "
                               "WHERE s.school_code = $1 AND s.code = 'HS01'",
                               school)
    assert [tuple(r) for r in stored] == [(data["account_id"], "0912345678")]


def test_activation_refuses_packages_that_do_not_fit(service, school, packages):
    refused = activate(service, school, "HS01",
                       [packages["nine"], packages["off"], "NOPE"],
                       parent_name="Phạm Thị Dung", parent_phone="0912345678")

    error = refused.json()["error"]
    assert refused.status_code == 422
    assert [d["code"] for d in error["details"]] == [
        "package_wrong_grade", "package_not_on_sale", "package_unknown"]


def test_activation_needs_a_parent_when_none_is_on_record(service, school,
                                                          packages):
    missing = activate(service, school, "HS01", [packages["six"]])
    bad_phone = activate(service, school, "HS01", [packages["six"]],
                         parent_name="Phạm Thị Dung", parent_phone="12345")
    on_record = activate(service, school, "HS02", [packages["six"]])

    assert missing.json()["error"]["code"] == "parent_name_required"
    assert bad_phone.json()["error"]["code"] == "invalid_phone"
    assert on_record.status_code == 200


def approval(school_year: str, student: str, codes: list[str], **extra):
    return RegistrationApproved(
        registration_id=uuid.uuid4(), batch_id=uuid.uuid4(),
        school_year=school_year, student_code=student, package_codes=codes,
        approved_by="operator-1", **extra)


async def test_approval_delivered_twice_activates_once(service, school, packages):
    first = envelope(approval(YEAR, "HS03", [packages["nine"]],
                              parent_name="Lê Văn Đức",
                              parent_phone="0912345678"), school)
    marker = envelope(approval(YEAR, "HS03", [packages["nine"]]), school)

    await produce(service.broker, service.prefix, first, first, marker)
    await wait_until(lambda: _processed(service, marker.id), timeout=30)
    events = await service.events("PackageActivated", school, want=1)
    student = service.client.get(f"/api/v1/schools/{school}/students/HS03",
                                 headers=service.admin(school)).json()

    assert len(events) == 1
    assert events[0].data["via"] == "import"
    assert events[0].data["registration_id"] == str(first.body().registration_id)
    assert events[0].data["activated_by"] == "operator-1"
    assert student["packages"] == [packages["nine"]]
    assert student["account"]["status"] == "active"
    assert (student["parent_name"], student["parent_phone"]) == \
        ("Lê Văn Đức", "0912345678")


async def _processed(service, event_id) -> bool:
    rows = await service.sql("SELECT 1 FROM processed_events WHERE event_id = $1",
                             event_id)
    return bool(rows)


async def test_approval_of_unknown_package_goes_to_the_dead_letter_topic(
        service, school):
    poison = envelope(approval(YEAR, "HS01", ["NO-SUCH-PACKAGE"]), school)

    await produce(service.broker, service.prefix, poison)
    dead = await collect(service.broker,
                         service.prefix + "RegistrationApproved.DLQ", 1)

    ids = {str(e.id) for e in dead}
    assert str(poison.id) in ids


async def test_roster_change_publishes_one_update_and_reports_bad_rows(
        service, school):
    changed = ROWS[0].replace("6A1", "6A2")
    bad = "HS09,Đỗ Hà,31/02/2013,X,Lớp ?,,12345"

    answer = put_roster(service, school, roster_csv(changed, *ROWS[1:], bad))
    events = await service.events("StudentAccountUpdated", school, want=4)

    body = answer.json()
    assert (body["created"], body["updated"], body["unchanged"], body["invalid"]) \
        == (0, 1, 2, 1)
    problems = body["invalid_rows"][0]["problems"]
    assert body["invalid_rows"][0]["row"] == 7
    assert {p["field"] for p in problems} == {"date_of_birth", "gender",
                                              "class_name", "parent_phone"}
    assert {p["column"] for p in problems} >= {"Ngày sinh", "Số điện thoại"}
    mine = [e.data["class_name"] for e in events
            if e.data["student_code"] == "HS01"]
    assert mine == ["6A1", "6A2"] and len(events) == 4


async def test_password_reset_and_lock(service, school, packages):
    activate(service, school, "HS02", [packages["six"]])

    reset = service.client.post(
        f"/api/v1/schools/{school}/students/HS02/password-reset",
        headers=service.admin(school))
    locked = service.client.patch(f"/api/v1/schools/{school}/students/HS02/account",
                                  headers=service.admin(school),
                                  json={"status": "locked"})
    stored = await service.sql(
        "SELECT a.password_hash FROM accounts a JOIN students s ON "
        "s.id = a.student_id WHERE s.school_code = $1 AND s.code = 'HS02'", school)
    events = await service.events("StudentAccountUpdated", school, want=5)

    password = reset.json()["password"]
    assert reset.headers["cache-control"] == "no-store"
    assert PasswordHashing(memory_kib=19_456, time_cost=2, workers=1).verify(
        stored[0][0], password)
    assert locked.json()["account"]["status"] == "locked"
    # One student's events share a partition, so they are in order.
    mine = [e.data for e in events if e.data["student_code"] == "HS02"]
    assert [e["account_status"] for e in mine] == ["none", "active", "locked"]


def test_new_accounts_for_one_class_include_those_never_handed_out(
        service, school, packages):
    activate(service, school, "HS02", [packages["six"]])

    answer = service.client.post(f"/api/v1/schools/{school}/accounts",
                                 headers=service.admin(school),
                                 json={"class_name": "lớp 6a1"})

    assert answer.status_code == 200, answer.text
    assert answer.headers["x-accounts-issued"] == "2"


def test_summary_counts_students_accounts_and_packages(service, school,
                                                       packages):
    activate(service, school, "HS02", [packages["six"]])

    summary = service.client.get(
        f"/api/v1/schools/{school}/summary?school_year={YEAR}",
        headers=service.admin(school)).json()

    assert (summary["students"], summary["classes"], summary["accounts"]) == \
        (3, 2, 1)
    assert summary["active_packages"] == {packages["six"]: 1}
