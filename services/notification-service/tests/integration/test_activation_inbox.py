"""PackageActivated becomes one notification in the student's inbox."""

import json
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from hoclieu_shared.events import NOTIFICATION_DELIVERED, utcnow
from hoclieu_shared.messaging_tables import outbox_messages
from hoclieu_shared.testing.events import collect, envelope, wait_until
from notification_service.adapters import store
from notification_service.adapters.tables import NotificationActivation

pytestmark = pytest.mark.asyncio(loop_scope="module")
# Wide enough that two events of one produce call always share a notification.
SERVICE_SETTINGS = {"group_window_seconds": 2.0}


def inbox_path(school: str, student: str) -> str:
    return f"/api/v1/students/{school}/{student}/notifications"


async def inbox(client, service, school, student, **params) -> dict:
    response = await client.get(inbox_path(school, student), params=params,
                                headers=service.student(school, student))
    assert response.status_code == 200, response.text
    return response.json()


async def wait_for_inbox(client, service, school, student, check) -> dict:
    async def reached():
        page = await inbox(client, service, school, student)
        return page if check(page) else None
    return await wait_until(reached, timeout=30)


async def read(client, service, school, student, notification_id, headers=None):
    return await client.post(
        f"{inbox_path(school, student)}/{notification_id}/read",
        headers=headers or service.student(school, student))


async def arrange(service, kit, school, student, *package_codes) -> None:
    """Notifications written as the consumer would, one per package."""
    for code in package_codes:
        async with service.db.session() as session, session.begin():
            await store.record_activation(
                session, school, uuid.uuid4(), kit.activation(student, code),
                window=timedelta(0), now=utcnow())


async def delivered_events_in_outbox(service, notification_id) -> int:
    async with service.db.session() as session:
        return (await session.execute(
            select(func.count()).select_from(outbox_messages).where(
                outbox_messages.c.topic == NOTIFICATION_DELIVERED,
                outbox_messages.c.payload.contains(str(notification_id))))).scalar()


async def test_package_activated_delivered_twice_creates_one_notification(
        client, service, kit):
    school, student = kit.codes("DUP")
    first = kit.activation(student, "TA6")
    sent = envelope(first, school)
    await service.produce(sent, sent)
    page = await wait_for_inbox(client, service, school, student,
                                lambda p: p["total"] >= 1)
    await read(client, service, school, student, page["items"][0]["id"])

    await service.produce(sent)
    await service.activate(school, first, kit.activation(student, "T10"))
    page = await wait_for_inbox(client, service, school, student,
                                lambda p: p["total"] >= 2)

    assert page["total"] == 2
    assert [i["package_codes"] for i in page["items"]] == [["T10"], ["TA6"]]
    async with service.db.session() as session:
        told = await session.get(NotificationActivation, first.activation_id)
    assert told.event_id == sent.id


async def test_activations_close_together_are_grouped_into_one_notification(
        client, service, kit):
    school, student = kit.codes("GRP")

    await service.activate(
        school, kit.activation(student, "TA6", "Tiếng Anh 6 nâng cao", ("Nghe",)),
        kit.activation(student, "T10", "Luyện thi vào 10 – Toán", ("Đại số",)))
    page = await wait_for_inbox(client, service, school, student,
                                lambda p: p["items"] and
                                len(p["items"][0]["package_codes"]) == 2)

    [item] = page["items"]
    assert item["title"] == "Đã kích hoạt 2 gói học liệu"
    assert item["package_code"] == "TA6"
    assert item["package_codes"] == ["TA6", "T10"]
    assert item["package_names"] == ["Tiếng Anh 6 nâng cao",
                                     "Luyện thi vào 10 – Toán"]
    assert "Tiếng Anh 6 nâng cao — khóa học: Nghe" in item["body"]
    assert "Luyện thi vào 10 – Toán — khóa học: Đại số" in item["body"]
    assert "vào mục Khóa học để kích hoạt và bắt đầu học" in item["body"]


async def test_inbox_is_newest_first_paginated_with_unread_count(
        client, service, kit):
    school, student = kit.codes("INB")
    await arrange(service, kit, school, student, "A1", "B2", "C3")

    first = await inbox(client, service, school, student, limit=2, offset=0)
    await read(client, service, school, student, first["items"][1]["id"])
    second = await inbox(client, service, school, student, limit=2, offset=2)

    assert [i["package_code"] for i in first["items"]] == ["C3", "B2"]
    assert [i["package_code"] for i in second["items"]] == ["A1"]
    assert (first["total"], first["unread"]) == (3, 3)
    assert (second["total"], second["unread"]) == (3, 2)
    assert second["last_event_id"] == 3
    assert {"id", "title", "body", "package_code", "created_at",
            "read_at"} <= set(first["items"][0])


async def test_read_is_idempotent_and_publishes_one_delivery(client, service, kit):
    school, student = kit.codes("RD")
    await arrange(service, kit, school, student, "TA6")
    [item] = (await inbox(client, service, school, student))["items"]

    once = await read(client, service, school, student, item["id"])
    twice = await read(client, service, school, student, item["id"])
    published = await wait_until(lambda: _delivered_on_broker(service, item["id"]))

    assert once.status_code == twice.status_code == 200
    assert once.json()["read_at"] == twice.json()["read_at"] is not None
    assert await delivered_events_in_outbox(service, item["id"]) == 1
    assert published.school_code == school
    assert published.data["channel"] == "inbox"
    assert published.data["package_codes"] == ["TA6"]


async def _delivered_on_broker(service, notification_id):
    topic = service.settings.topic_prefix + NOTIFICATION_DELIVERED
    events = await collect(service.broker, topic, want=1000, timeout=1.0)
    return next((e for e in events
                 if e.data["notification_id"] == notification_id), None)


async def test_reading_an_unknown_notification_is_404(client, service, kit):
    school, student = kit.codes("NF")

    response = await read(client, service, school, student, uuid.uuid4())

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "notification_not_found"


async def test_student_cannot_reach_another_students_notifications(
        client, service, kit, open_stream):
    school, student_a = kit.codes("A")
    student_b = student_a.replace("HSA", "HSB")
    await arrange(service, kit, school, student_b, "TA6")
    [item] = (await inbox(client, service, school, student_b))["items"]
    token_a = service.student(school, student_a)

    listing = await client.get(inbox_path(school, student_b), headers=token_a)
    reading = await read(client, service, school, student_b, item["id"], token_a)
    async with open_stream(school, student_b, token_a) as stream:
        streaming = stream.response

    for response in (listing, reading, streaming):
        assert response.status_code == 403
        assert json.loads(response.text)["error"]["code"] == "forbidden_student"


async def test_school_admin_lists_but_does_not_stream_or_read(
        client, service, kit, open_stream):
    school, student = kit.codes("ADM")
    await arrange(service, kit, school, student, "TA6")
    [item] = (await inbox(client, service, school, student))["items"]
    admin = service.headers("school_admin", school)
    other_admin = service.headers("school_admin", "OTHER" + school)

    listing = await client.get(inbox_path(school, student), headers=admin)
    foreign = await client.get(inbox_path(school, student), headers=other_admin)
    reading = await read(client, service, school, student, item["id"], admin)
    async with open_stream(school, student, admin) as stream:
        streaming = stream.response
    anonymous = await client.get(inbox_path(school, student))

    assert listing.status_code == 200 and listing.json()["total"] == 1
    assert foreign.status_code == 403
    assert reading.status_code == streaming.status_code == 403
    assert anonymous.status_code == 401


async def test_school_delivery_counts_and_median_delay(client, service, kit):
    school, _ = kit.codes("DLV")
    students = [f"HS{i}{school}" for i in range(3)]
    for student in students:
        await arrange(service, kit, school, student, "TA6")
    await _deliver_after(service, school, students[0], seconds=2)
    await _deliver_after(service, school, students[1], seconds=4)
    [item] = (await inbox(client, service, school, students[0]))["items"]
    await read(client, service, school, students[0], item["id"])
    path = f"/api/v1/schools/{school}/notifications/delivery"

    mine = await client.get(path, headers=service.headers("school_admin", school))
    operator = await client.get(path, headers=service.headers("misa_operator"))
    foreign = await client.get(
        path, headers=service.headers("school_admin", "X" + school))
    student = await client.get(path, headers=service.student(school, students[2]))

    assert mine.status_code == operator.status_code == 200
    assert mine.json() == {"school_code": school, "created": 3, "delivered": 2,
                           "delivered_live": 2, "read": 1,
                           "median_seconds_to_delivery": 3.0}
    assert foreign.status_code == student.status_code == 403


async def _deliver_after(service, school, student, *, seconds: float) -> None:
    async with service.db.session() as session, session.begin():
        [row] = await store.after(session, school, student, 0)
        await store.mark_delivered(
            session, [row], channel=store.LIVE,
            now=row.activated_at + timedelta(seconds=seconds), source="test")


async def test_operator_sees_delivery_over_all_schools(client, service, kit):
    school, student = kit.codes("ALL")
    await arrange(service, kit, school, student, "TA6")

    everyone = await client.get("/api/v1/notifications/delivery",
                                headers=service.headers("misa_operator"))
    admin = await client.get("/api/v1/notifications/delivery",
                             headers=service.headers("school_admin", school))

    assert everyone.status_code == 200 and everyone.json()["created"] >= 1
    assert admin.status_code == 403
