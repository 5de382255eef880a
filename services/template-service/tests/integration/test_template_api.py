"""The template route on the read model fed through the real broker."""

import asyncio
import io
import uuid
from datetime import date

import openpyxl
import pytest

from hoclieu_shared.events import (
    PackageCatalogUpdated,
    SchoolUpdated,
    StudentAccountUpdated,
)
from hoclieu_shared.testing.events import envelope, produce
from hoclieu_shared.testing.service import bearer, running, test_settings, unique_prefix
from template_service.main import create_app
from template_service.settings import TemplateSettings

YEAR = "2025-2026"


@pytest.fixture(scope="module")
def service(broker, postgres):
    from hoclieu_shared.testing.infrastructure import create_database, drop_database

    url = create_database(postgres, "template")
    prefix = unique_prefix()
    settings = test_settings(TemplateSettings, database_url=url, broker=broker,
                             prefix=prefix)
    with running(create_app, settings) as client:
        yield client, settings, broker, prefix
    drop_database(postgres, url)


def school_events(school: str, classes: dict[str, int], per_class: int):
    events = [envelope(SchoolUpdated(code=school, name="Trường THCS Thử",
                                     auto_approve=False), school)]
    for class_name, grade in classes.items():
        for i in range(per_class):
            events.append(envelope(StudentAccountUpdated(
                student_code=f"{school}-{class_name}-{i:02d}",
                full_name=f"Nguyễn Văn {class_name} {i}",
                date_of_birth=date(2014, 1, 1 + i), class_name=class_name,
                grade=grade, account_status="none",
                parent_name="=HYPERLINK(\"x\")" if i == 0 else None), school))
    return events


def catalogue_events():
    return [envelope(PackageCatalogUpdated(
        code=code, name=name, school_year=YEAR, grades=grades, price=150000,
        courses=["Khóa 1"], on_sale=True))
        for code, name, grades in (("TA6", "Tiếng Anh 6", [6]),
                                   ("TA7", "Tiếng Anh 7", [7]))]


def fetch(client, settings, school, **params):
    headers = bearer(settings, "school_admin", school)
    return client.get(f"/api/v1/schools/{school}/templates/registration.xlsx",
                      params=params, headers=headers)


def wait_for_template(client, settings, school, **params):
    for _ in range(150):
        response = fetch(client, settings, school, **params)
        if response.status_code == 200:
            return response
        asyncio.run(asyncio.sleep(0.2))
    return response


def test_template_of_a_school_fed_by_events_has_one_sheet_per_class(service):
    client, settings, broker, prefix = service
    school = f"S{uuid.uuid4().hex[:6]}"
    classes = {"6A2": 6, "6A10": 6, "7A1": 7}
    asyncio.run(produce(broker, prefix, *school_events(school, classes, 3),
                        *catalogue_events()))

    response = wait_for_template(client, settings, school, layout="per-class",
                                 school_year=YEAR)

    assert response.status_code == 200, response.text
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    visible = [ws.title for ws in book.worksheets if ws.sheet_state == "visible"]
    assert visible == ["6A2", "6A10", "7A1"]


def test_single_sheet_template_lists_every_student(service):
    client, settings, broker, prefix = service
    school = f"S{uuid.uuid4().hex[:6]}"
    asyncio.run(produce(broker, prefix, *school_events(school, {"6A1": 6, "7A1": 7},
                                                       4), *catalogue_events()))

    response = wait_for_template(client, settings, school, layout="single-sheet",
                                 school_year=YEAR)

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = [ws for ws in book.worksheets if ws.sheet_state == "visible"][0]
    codes = [c.value for c in sheet["B"] if str(c.value or "").startswith(school)]
    assert len(codes) == 8


def test_template_before_the_roster_arrives_is_a_clear_error(service):
    client, settings, broker, prefix = service
    school = f"S{uuid.uuid4().hex[:6]}"

    response = fetch(client, settings, school)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "school_not_ready"


def test_admin_of_another_school_is_refused(service):
    client, settings, _, _ = service
    headers = bearer(settings, "school_admin", "OTHER")

    response = client.get("/api/v1/schools/MINE/templates/registration.xlsx",
                          headers=headers)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden_school"
