"""`python -m import_service`: the service on HTTP_HOST (127.0.0.1) : HTTP_PORT."""

import uvicorn

from .main import create_app
from .settings import ImportSettings


def main() -> None:
    """Run the import-service until stopped."""
    settings = ImportSettings()
    uvicorn.run(create_app(settings), host=settings.http_host,
                port=settings.http_port, log_config=None)


if __name__ == "__main__":
    main()
