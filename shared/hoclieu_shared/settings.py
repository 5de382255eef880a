"""Environment-driven settings: one base every service's settings extend."""

from __future__ import annotations

from pathlib import Path

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LOCAL_JWT_SECRET = "local-only-jwt-secret-never-use-in-deployments"


class ServiceSettings(BaseSettings):
    """What every service reads from the environment at start-up."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    service_name: str = "service"
    environment: str = "local"
    data_dir: Path = Path("data")
    database_url: str = ""
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    topic_prefix: str = ""
    consumer_group: str = ""
    auth_jwt_secret: str = LOCAL_JWT_SECRET
    auth_dev_login: bool = False
    log_level: str = "INFO"
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    outbox_replay_on_start: bool = False
    outbox_replay_hours: float = 2.0
    db_pool_size: int = 5
    db_max_overflow: int = 5
    outbox_retention_days: int = 14
    outbox_poll_seconds: float = 0.2
    consumer_max_attempts: int = 5
    run_migrations_on_start: bool = True

    @model_validator(mode="after")
    def _refuse_local_secret_outside_local(self) -> ServiceSettings:
        if self.environment != "local" and self.auth_jwt_secret == LOCAL_JWT_SECRET:
            raise ValueError(
                "AUTH_JWT_SECRET must be set outside the local environment"
            )
        if self.environment != "local" and self.auth_dev_login:
            raise ValueError("AUTH_DEV_LOGIN is only allowed in the local run")
        return self

    @property
    def sqlalchemy_url(self) -> str:
        """The async SQLAlchemy URL; a SQLite file under data_dir by default."""
        url = self.database_url or (
            f"sqlite:///{self.data_dir / (self.service_name + '.db')}"
        )
        return to_async_url(url)

    @property
    def group_id(self) -> str:
        """The Kafka consumer group of this service."""
        return self.consumer_group or f"hoclieu-{self.service_name}"

    def topic(self, name: str) -> str:
        """A topic name with the environment prefix, if any."""
        return f"{self.topic_prefix}{name}"


def to_async_url(url: str) -> str:
    """Pick the async driver for a plain PostgreSQL or SQLite URL."""
    for plain, driver in (
        ("postgresql://", "postgresql+asyncpg://"),
        ("postgres://", "postgresql+asyncpg://"),
        ("sqlite:///", "sqlite+aiosqlite:///"),
    ):
        if url.startswith(plain):
            return driver + url[len(plain):]
    return url
