"""Alembic environment of the template-service."""

from hoclieu_shared.migrations import run_env
from template_service.adapters.tables import Base

run_env(Base.metadata)
