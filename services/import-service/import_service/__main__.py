"""`python -m import_service [serve|migrate|replay-outbox]`."""

from hoclieu_shared.cli import run_service_cli

from .main import create_app
from .settings import SERVICE_ROOT, ImportSettings


def main() -> None:
    """Serve the API, or run an operator command."""
    run_service_cli(ImportSettings, create_app, SERVICE_ROOT)


if __name__ == "__main__":
    main()
