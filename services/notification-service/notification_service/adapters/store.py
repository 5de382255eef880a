"""Queries on notifications: record activations, the inbox, delivery."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from hoclieu_shared.events import NotificationDelivered, PackageActivated
from hoclieu_shared.outbox import add_event

from ..domain.delivery import median_of_middle, median_window, seconds_since
from ..domain.grouping import may_join
from ..domain.messages import compose, unique_packages
from ..domain.model import ActivatedPackage, Latest, as_utc
from .tables import Notification, NotificationActivation

LIVE = "live"
INBOX = "inbox"


@dataclass(frozen=True)
class Change:
    """A student's notification was created or grew; its seq is now `seq`."""

    school_code: str
    student_code: str
    seq: int
    grouped: bool


@dataclass(frozen=True)
class InboxPage:
    """One page of a student's inbox with its counts."""

    items: list[Notification]
    total: int
    unread: int
    last_seq: int


@dataclass(frozen=True)
class Delivery:
    """A notification's first delivery, as recorded and announced."""

    notification: Notification
    channel: str
    seconds: float


async def record_activation(session: AsyncSession, school: str, event_id: uuid.UUID,
                            body: PackageActivated, *, window: timedelta,
                            now: datetime) -> Change | None:
    """Tell the student about one activation; None when it was told already."""
    if await session.get(NotificationActivation, body.activation_id):
        return None
    package = ActivatedPackage.from_event(body)
    latest = await _latest(session, school, body.student_code)
    seq = latest.seq + 1 if latest else 1
    grouped = latest is not None and may_join(_grouping_view(latest), now, window)
    if grouped:
        grouped = await _join(session, latest, package, seq, now)
    target = latest.id if grouped else await _create(
        session, school, body.student_code, package, seq, now)
    session.add(_link(target, event_id, package))
    return Change(school, body.student_code, seq, grouped)


async def _latest(session: AsyncSession, school: str,
                  student: str) -> Notification | None:
    query = (select(Notification).where(*_of_student(school, student))
             .order_by(Notification.seq.desc()).limit(1))
    return (await session.execute(query)).scalar_one_or_none()


def _grouping_view(row: Notification) -> Latest:
    return Latest(row.created_at, row.delivered_at, row.read_at)


async def _create(session: AsyncSession, school: str, student: str,
                  package: ActivatedPackage, seq: int, now: datetime) -> uuid.UUID:
    message = compose([package])
    row = Notification(
        id=uuid.uuid4(), school_code=school, student_code=student, seq=seq,
        title=message.title, body=message.body,
        package_codes=[package.package_code], activated_at=package.activated_at,
        created_at=now, changed_at=now)
    session.add(row)
    await session.flush()
    return row.id


async def _join(session: AsyncSession, row: Notification,
                package: ActivatedPackage, seq: int, now: datetime) -> bool:
    packages = await packages_of(session, row.id) + [package]
    message = compose(packages)
    codes = [p.package_code for p in unique_packages(packages)]
    # The guard loses against a stream that delivered the row meanwhile; the
    # activation then gets a notification of its own instead.
    result = await session.execute(
        update(Notification)
        .where(Notification.id == row.id, Notification.delivered_at.is_(None),
               Notification.read_at.is_(None))
        .values(seq=seq, title=message.title, body=message.body,
                package_codes=codes, changed_at=now,
                activated_at=min(as_utc(row.activated_at), package.activated_at))
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


def _link(notification_id: uuid.UUID, event_id: uuid.UUID,
          package: ActivatedPackage) -> NotificationActivation:
    return NotificationActivation(
        activation_id=package.activation_id, notification_id=notification_id,
        event_id=event_id, package_code=package.package_code,
        package_name=package.package_name, courses=list(package.courses),
        activated_at=package.activated_at)


async def packages_of(session: AsyncSession,
                      notification_id: uuid.UUID) -> list[ActivatedPackage]:
    """The activations a notification tells, oldest first."""
    rows = (await session.execute(
        select(NotificationActivation)
        .where(NotificationActivation.notification_id == notification_id)
        .order_by(NotificationActivation.activated_at))).scalars()
    return [ActivatedPackage(r.activation_id, r.package_code, r.package_name,
                             tuple(r.courses), r.activated_at) for r in rows]


def _of_student(school: str, student: str) -> tuple:
    return (Notification.school_code == school,
            Notification.student_code == student)


async def inbox_page(session: AsyncSession, school: str, student: str, *,
                     limit: int, offset: int) -> InboxPage:
    """Newest first, with the total, the unread count and the stream cursor."""
    where = _of_student(school, student)
    total, unread, last = (await session.execute(
        select(func.count(), func.count(Notification.id).filter(
            Notification.read_at.is_(None)), func.max(Notification.seq))
        .where(*where))).one()
    items = (await session.execute(
        select(Notification).where(*where).order_by(Notification.seq.desc())
        .limit(limit).offset(offset))).scalars().all()
    return InboxPage(list(items), total, unread, last or 0)


async def last_seq(session: AsyncSession, school: str, student: str) -> int:
    """The student's highest seq, 0 when they have no notification."""
    query = select(func.max(Notification.seq)).where(*_of_student(school, student))
    return (await session.execute(query)).scalar() or 0


async def after(session: AsyncSession, school: str, student: str, cursor: int,
                limit: int = 50) -> list[Notification]:
    """The student's notifications with seq above the cursor, in seq order."""
    query = (select(Notification)
             .where(*_of_student(school, student), Notification.seq > cursor)
             .order_by(Notification.seq).limit(limit))
    return list((await session.execute(query)).scalars().all())


async def mark_read(session: AsyncSession, school: str, student: str,
                    notification_id: uuid.UUID,
                    now: datetime) -> tuple[Notification | None, bool]:
    """Set read_at once: the row (None when unknown) and whether it changed."""
    result = await session.execute(
        update(Notification)
        .where(Notification.id == notification_id, *_of_student(school, student),
               Notification.read_at.is_(None))
        .values(read_at=now).execution_options(synchronize_session=False))
    query = select(Notification).where(Notification.id == notification_id,
                                       *_of_student(school, student))
    row = (await session.execute(
        query.execution_options(populate_existing=True))).scalar_one_or_none()
    return row, result.rowcount == 1


async def mark_delivered(session: AsyncSession, rows: Sequence[Notification], *,
                         channel: str, now: datetime, source: str) -> list[Delivery]:
    """Record the first delivery of each row and stage NotificationDelivered.

    The conditional update lets exactly one session, tab or replica win per
    notification, so the event goes out once however many streams pushed it.
    """
    done = []
    for row in rows:
        if row.delivered_at is not None:
            continue
        seconds = seconds_since(row.activated_at, now)
        result = await session.execute(
            update(Notification)
            .where(Notification.id == row.id, Notification.delivered_at.is_(None))
            .values(delivered_at=now, delivery_channel=channel,
                    delivery_seconds=seconds)
            .execution_options(synchronize_session=False))
        if result.rowcount == 1:
            _show_delivery(row, channel, now, seconds)
            await _announce_delivery(session, row, channel, now, seconds, source)
            done.append(Delivery(row, channel, seconds))
    return done


def _show_delivery(row: Notification, channel: str, now: datetime,
                   seconds: float) -> None:
    # The row mirrors what was written, without a second UPDATE at flush.
    set_committed_value(row, "delivered_at", now)
    set_committed_value(row, "delivery_channel", channel)
    set_committed_value(row, "delivery_seconds", seconds)


async def _announce_delivery(session: AsyncSession, row: Notification,
                             channel: str, now: datetime, seconds: float,
                             source: str) -> None:
    packages = await packages_of(session, row.id)
    body = NotificationDelivered(
        notification_id=row.id, student_code=row.student_code,
        activation_ids=[p.activation_id for p in packages],
        package_codes=[p.package_code for p in unique_packages(packages)],
        channel=channel, delivered_at=now, seconds_since_activation=seconds)
    add_event(session, body, source=source, school_code=row.school_code)


async def delivery_summary(session: AsyncSession, school: str | None) -> dict:
    """Counts of created, delivered (live or inbox) and read, and the median."""
    where = [Notification.school_code == school] if school else []
    created, delivered, live, read = (await session.execute(
        select(func.count(),
               func.count(Notification.delivered_at),
               func.count(Notification.id).filter(
                   Notification.delivery_channel == LIVE),
               func.count(Notification.read_at))
        .where(*where))).one()
    return {"created": created, "delivered": delivered, "delivered_live": live,
            "read": read,
            "median_seconds_to_delivery": await _median(session, where, delivered)}


async def _median(session: AsyncSession, where: list, count: int) -> float | None:
    offset, length = median_window(count)
    if not length:
        return None
    # Sorting in the database keeps the answer one short read at any size.
    values = (await session.execute(
        select(Notification.delivery_seconds)
        .where(*where, Notification.delivery_seconds.is_not(None))
        .order_by(Notification.delivery_seconds).offset(offset).limit(length)
    )).scalars().all()
    return median_of_middle(values)


async def recent_heads(session: AsyncSession,
                       since: datetime) -> list[tuple[str, str, int]]:
    """(school, student, highest seq) of students whose inbox changed since."""
    query = (select(Notification.school_code, Notification.student_code,
                    func.max(Notification.seq))
             .where(Notification.changed_at >= since)
             .group_by(Notification.school_code, Notification.student_code))
    return [tuple(r) for r in (await session.execute(query)).all()]
