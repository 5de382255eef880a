"""The outbox and processed-event tables every service's database holds."""

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
)

messaging_metadata = MetaData()

outbox_messages = Table(
    "outbox_messages",
    messaging_metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("id", Uuid, nullable=False, unique=True),
    Column("topic", String(200), nullable=False),
    Column("message_key", String(200), nullable=False),
    Column("payload", Text, nullable=False),
    Column("correlation_id", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("published_at", DateTime(timezone=True)),
    Index("ix_outbox_messages_status_seq", "status", "seq"),
    Index("ix_outbox_messages_published_at", "published_at"),
)

processed_events = Table(
    "processed_events",
    messaging_metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("consumer", String(100), primary_key=True),
    Column("topic", String(200), nullable=False),
    Column("processed_at", DateTime(timezone=True), nullable=False),
)
