"""Settings of the notification-service, read from the environment."""

from __future__ import annotations

from pydantic import Field

from hoclieu_shared.settings import ServiceSettings


class NotificationSettings(ServiceSettings):
    """Everything the notification-service reads at start-up."""

    service_name: str = "notification"
    http_port: int = 8004  # HTTP_HOST (shared) stays 127.0.0.1 unless set
    # Activations of one student arriving this close together share one
    # notification, as long as it has not reached the student yet.
    group_window_seconds: float = Field(0.5, ge=0, le=5)
    # One database query per process at this interval wakes the streams
    # whose student has news written by any replica (docs/notification-service.md).
    stream_poll_seconds: float = Field(0.25, gt=0, le=0.3)
    stream_poll_lookback_seconds: float = Field(3.0, gt=0)
    # Each stream re-reads its own cursor this often even without a wake-up.
    stream_fallback_seconds: float = Field(5.0, gt=0)
    stream_keepalive_seconds: float = Field(15.0, gt=0)
    stream_retry_ms: int = Field(3000, ge=100)
    stream_max_per_student: int = Field(5, ge=1)
    # At most this many stream reads of one process use the database at
    # once, and never more than a third of the pool (docs/limitations.md).
    stream_db_concurrency: int = Field(3, ge=1)
    # An opening stream waits this long for the database, then gets a 503.
    stream_open_wait_seconds: float = Field(5.0, gt=0)
    stream_busy_retry_seconds: int = Field(2, ge=1)

    @property
    def stream_db_slots(self) -> int:
        """How many stream reads may use the database at once."""
        pool = self.db_pool_size + self.db_max_overflow
        return max(1, min(self.stream_db_concurrency, pool // 3))
