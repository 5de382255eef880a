"""Alembic environment of the import-service."""

from hoclieu_shared.migrations import run_env

from import_service.adapters.tables import Base

run_env(Base.metadata)
