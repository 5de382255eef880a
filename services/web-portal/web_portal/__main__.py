"""`python -m web_portal`: the portal on 127.0.0.1:8000 by default."""

import uvicorn

from .main import create_app
from .settings import PortalSettings


def main() -> None:
    """Serve the portal with the settings from the environment."""
    settings = PortalSettings()
    uvicorn.run(create_app(settings), host=settings.http_host,
                port=settings.http_port, log_config=None, access_log=False)


if __name__ == "__main__":
    main()
