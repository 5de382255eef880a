"""`python -m notification_service [serve|migrate|replay-outbox --hours N]`."""

from __future__ import annotations

import sys

from hoclieu_shared.cli import run_service_cli

from .main import SERVICE_ROOT, create_app
from .server import build_server
from .settings import NotificationSettings


def main(argv: list[str] | None = None) -> None:
    """Serve until SIGINT or SIGTERM, or run one of the shared commands."""
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] != "serve":
        run_service_cli(NotificationSettings, create_app, SERVICE_ROOT, args)
        return
    # Not the shared `serve`: this server ends open event streams on stop.
    settings = NotificationSettings()
    server = build_server(create_app(settings), host=settings.http_host,
                          port=settings.http_port)
    server.run()


if __name__ == "__main__":
    main()
