"""`python -m activation_service`: serve the API with uvicorn."""

from __future__ import annotations

import uvicorn

from .main import create_app
from .settings import ActivationSettings


def main() -> None:
    """Run the service on its host and port from the settings."""
    settings = ActivationSettings()
    uvicorn.run(create_app(settings), host=settings.http_host,
                port=settings.http_port, log_config=None)


if __name__ == "__main__":
    main()
