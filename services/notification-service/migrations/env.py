"""Alembic environment of the notification-service."""

from hoclieu_shared.migrations import run_env
from notification_service.adapters.tables import Base

run_env(Base.metadata)
