"""`python -m activation_service [serve|migrate|replay-outbox]`."""

from hoclieu_shared.cli import run_service_cli

from .main import SERVICE_ROOT, create_app
from .settings import ActivationSettings


def main() -> None:
    """Serve the API, or run an operator command."""
    run_service_cli(ActivationSettings, create_app, SERVICE_ROOT)


if __name__ == "__main__":
    main()
