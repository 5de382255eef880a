"""Alembic environment of the activation-service."""

from hoclieu_shared.migrations import run_env

from activation_service.adapters.tables import Base

run_env(Base.metadata)
