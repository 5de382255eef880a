"""Alembic operations for the tables shared/ owns in every service database.

Each service's first migration calls these instead of spelling the outbox
and processed-event tables out again. They describe version 1 of those
tables; a later change to them comes as a new function here, called by a new
migration of every service.
"""

import sqlalchemy as sa
from alembic import op


def create_messaging_tables() -> None:
    """Create the outbox and processed-event tables (version 1)."""
    op.create_table(
        "outbox_messages",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  autoincrement=True, nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("message_key", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("correlation_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("id"),
    )
    op.create_index("ix_outbox_messages_published_at", "outbox_messages",
                    ["published_at"])
    op.create_index("ix_outbox_messages_status_seq", "outbox_messages",
                    ["status", "seq"])
    op.create_table(
        "processed_events",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("consumer", sa.String(length=100), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "consumer"),
    )


def drop_messaging_tables() -> None:
    """Drop what create_messaging_tables made."""
    op.drop_table("processed_events")
    op.drop_index("ix_outbox_messages_status_seq", table_name="outbox_messages")
    op.drop_index("ix_outbox_messages_published_at", table_name="outbox_messages")
    op.drop_table("outbox_messages")
