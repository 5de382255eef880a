"""Alembic environment of the activation-service."""

from activation_service.adapters.tables import Base
from hoclieu_shared.migrations import run_env

run_env(Base.metadata)
