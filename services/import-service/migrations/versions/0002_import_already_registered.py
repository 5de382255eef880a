"""Imports count the valid rows that earlier batches already registered.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-10 09:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add imports.already_registered (0 for imports checked before)."""
    op.add_column("imports", sa.Column(
        "already_registered", sa.Integer(), server_default=sa.text("0"),
        nullable=False))


def downgrade() -> None:
    """Drop imports.already_registered."""
    with op.batch_alter_table("imports") as batch:
        batch.drop_column("already_registered")
