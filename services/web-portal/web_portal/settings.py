"""Settings of the web portal: the shared base plus where each service lives."""

from __future__ import annotations

from datetime import date

from hoclieu_shared.settings import ServiceSettings


def current_school_year(today: date | None = None) -> str:
    """The school year in force: it turns over in August, e.g. "2025-2026"."""
    today = today or date.today()
    start = today.year if today.month >= 8 else today.year - 1
    return f"{start}-{start + 1}"


class PortalSettings(ServiceSettings):
    """What the portal reads from the environment."""

    service_name: str = "web-portal"
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    activation_url: str = "http://127.0.0.1:8001"
    template_url: str = "http://127.0.0.1:8002"
    import_url: str = "http://127.0.0.1:8003"
    notification_url: str = "http://127.0.0.1:8004"
    # Generous: slips for a whole school or a large check may take minutes
    # on a busy machine, and the user is waiting for exactly that answer.
    backend_timeout_seconds: float = 300.0
    readiness_timeout_seconds: float = 3.0
    backend_max_connections: int = 2000
    school_year: str = ""

    def service_urls(self) -> dict[str, str]:
        """The base URL of each back-end service, by its short name."""
        return {
            "activation": self.activation_url.rstrip("/"),
            "template": self.template_url.rstrip("/"),
            "import": self.import_url.rstrip("/"),
            "notification": self.notification_url.rstrip("/"),
        }

    @property
    def default_school_year(self) -> str:
        """The school year the pages start from."""
        return self.school_year or current_school_year()
