"""Tables of the notification-service database."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base whose metadata the migrations follow."""


class Notification(Base):
    """One message in a student's inbox.

    `seq` counts per student and is the SSE event id: it is taken as the
    student's highest seq plus one, and a unique constraint makes concurrent
    writers for one student retry, so rows commit in seq order and a stream
    resuming after seq N misses nothing.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("school_code", "student_code", "seq",
                         name="uq_notifications_student_seq"),
        Index("ix_notifications_changed_at", "changed_at"),
        Index("ix_notifications_school_delivery", "school_code",
              "delivery_seconds"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    school_code: Mapped[str] = mapped_column(String(50))
    student_code: Mapped[str] = mapped_column(String(50))
    seq: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    package_codes: Mapped[list[str]] = mapped_column(JSON)
    activated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivery_channel: Mapped[str | None] = mapped_column(String(10))
    delivery_seconds: Mapped[float | None] = mapped_column(Float)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Loaded with the rows (one more query per read), so the inbox and the
    # stream can name the packages without a lazy load, which async forbids.
    activations: Mapped[list[NotificationActivation]] = relationship(
        viewonly=True, lazy="selectin")


class NotificationActivation(Base):
    """An activation told by a notification; its key makes handling exact."""

    __tablename__ = "notification_activations"

    activation_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    notification_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("notifications.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    package_code: Mapped[str] = mapped_column(String(50))
    package_name: Mapped[str] = mapped_column(String(300))
    courses: Mapped[list[str]] = mapped_column(JSON)
    activated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
